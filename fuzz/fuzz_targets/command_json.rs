//! Arbitrary UTF-8 as a command: `Command::from_json`, then `execute` on the small demo
//! campaign (rebuilt from its snapshot after an accepted command, so every input sees the same
//! state). A refused command changes nothing; a parsed command survives `to_json`.
#![no_main]

mod common;

use std::cell::RefCell;

use chuangzheng::ledger::Campaign;
use libfuzzer_sys::fuzz_target;

thread_local! {
    static DEMO: RefCell<(Campaign, String)> = RefCell::new({
        let c = common::full_demo();
        let snap = c.snapshot_json();
        (c, snap)
    });
}

fuzz_target!(|data: &[u8]| {
    DEMO.with(|d| {
        let (c, snap) = &mut *d.borrow_mut();
        // The state is compared on half the inputs: serializing it dominates the run.
        let sample = data.first().is_some_and(|b| b % 2 == 0);
        common::check_command(c, snap, data, sample);
    });
});
