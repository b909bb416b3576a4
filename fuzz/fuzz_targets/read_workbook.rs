//! `sheets::read_workbook` on fuzzed workbooks: the bytes raw, or sheet rows, shared strings and
//! a sheet name packed by the harness into a valid archive (see `common::sheets`). Never a
//! panic; a workbook read gives one well-formed command line per `lines` entry and cell
//! refusals by sheet, row and column; one refused whole has a code of 6001–6005; reading the
//! same bytes twice gives the same.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::sheets::check_workbook(data);
});
