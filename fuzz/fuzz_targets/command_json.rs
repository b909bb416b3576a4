//! Arbitrary UTF-8 as a command: `Command::from_json`, then `execute` on the small demo
//! campaign (rebuilt from its snapshot after an accepted command, so every input sees the same
//! state). A refused command changes nothing; a parsed command survives `to_json`.
#![no_main]

mod common;

use std::cell::RefCell;

use chuangzheng::ledger::{Campaign, Command};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static DEMO: RefCell<(Campaign, String)> = RefCell::new({
        let c = common::full_demo();
        let snap = c.snapshot_json();
        (c, snap)
    });
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(cmd) = Command::from_json(text) else {
        return;
    };
    assert_eq!(
        Command::from_json(&cmd.to_json()).ok().as_ref(),
        Some(&cmd),
        "a parsed command does not survive to_json"
    );
    DEMO.with(|d| {
        let (c, snap) = &mut *d.borrow_mut();
        let sample = data[0] % 2 == 0;
        let before = sample.then(|| c.state_json());
        let seq = c.seq();
        match c.execute(&cmd) {
            Ok(receipt) => {
                assert_eq!(receipt.seq, seq + 1);
                *c = Campaign::from_snapshot_json(snap).expect("demo snapshot");
            }
            Err(_) => {
                assert_eq!(c.seq(), seq, "a refused command moved the sequence");
                if let Some(before) = before {
                    assert_eq!(
                        c.state_json(),
                        before,
                        "a refused command changed the state"
                    );
                }
            }
        }
    });
});
