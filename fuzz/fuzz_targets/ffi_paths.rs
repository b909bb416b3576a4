//! The C ABI entry points that take a file path, `cz_campaign_open` and `cz_campaign_create`,
//! on fuzzed file contents (raw, byte edits of a valid journal, or lines sealed into a valid
//! chain) and on fuzzed names, info and rules, every path kept inside a scratch directory of
//! this process. See `common::paths`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

thread_local! {
    static PATHS: common::paths::Paths = common::paths::Paths::new();
}

fuzz_target!(|data: &[u8]| {
    PATHS.with(|p| p.check(data));
});
