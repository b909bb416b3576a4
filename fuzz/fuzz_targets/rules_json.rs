//! Arbitrary text as a rule set: `RuleSet::from_json` accepts only valid rules, and what it
//! accepts survives `to_json`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        common::check_rules(text);
    }
});
