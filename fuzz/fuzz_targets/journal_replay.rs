//! Arbitrary bytes as a journal: raw, as byte edits on a valid journal, or as record bodies
//! sealed into a valid hash chain (so the record parser and the checks are reached), compared
//! with a serde reference. See `common::check_journal`.
#![no_main]

mod common;

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static JOURNAL: LazyLock<(Vec<u8>, Vec<String>)> = LazyLock::new(|| common::small_journal(40));

fuzz_target!(|data: &[u8]| {
    let (journal, states) = &*JOURNAL;
    common::check_journal(data, journal, states);
});
