//! Structure-aware: a sequence of small operations (create an organization, add a member,
//! register a household, a reception, a visit, a pledge's steps, a village matter's steps, a
//! hotline case …) decoded with `arbitrary` into commands whose ids come from small pools, then
//! executed. Invariants: no panic; a refused command changes nothing; `check_invariants`; the
//! snapshot round trip; replaying the journal lines; `dry_run` and `execute_batch` agree with
//! one-by-one execution.
#![no_main]

mod common;

use arbitrary::{Arbitrary, Unstructured};
use common::sequence::{self, Op};
use libfuzzer_sys::fuzz_target;

/// `sequence::Op`, decoded by `arbitrary`'s derive.
#[derive(Arbitrary, Debug)]
struct ArbOp {
    kind: u8,
    a: u8,
    b: u8,
    c: u8,
    d: u8,
}

fuzz_target!(|data: &[u8]| {
    // The stable replay decodes corpus files with `sequence::ops`: it must read them as
    // `arbitrary` does.
    let mut u = Unstructured::new(data);
    let mut derived = Vec::new();
    while !u.is_empty() && derived.len() < sequence::MAX_OPS {
        let ArbOp { kind, a, b, c, d } = ArbOp::arbitrary(&mut u).expect("u8 fields never fail");
        derived.push(Op { kind, a, b, c, d });
    }
    assert_eq!(derived, sequence::ops(data));
    common::check_sequence(&sequence::command_lines(data));
});
