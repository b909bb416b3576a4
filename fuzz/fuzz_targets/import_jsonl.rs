//! Arbitrary text through the C ABI's `cz_campaign_import`, in both modes, on the small demo
//! city (a fresh handle from its snapshot for every input). The first byte picks the mode.
#![no_main]

mod common;

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static CITY: LazyLock<String> = LazyLock::new(|| common::city().snapshot_json());

fuzz_target!(|data: &[u8]| {
    common::check_import(&CITY, data);
});
