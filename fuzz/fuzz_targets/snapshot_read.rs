//! Arbitrary bytes as the binary snapshot beside a valid journal: raw, as byte edits on the
//! journal's own snapshot, or as edits with every checksum made to match again. See
//! `common::snapshot`.
#![no_main]

mod common;

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static CASE: LazyLock<common::snapshot::SnapshotCase> =
    LazyLock::new(common::snapshot::SnapshotCase::new);

fuzz_target!(|data: &[u8]| {
    CASE.check(data);
});
