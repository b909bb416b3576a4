//! Arbitrary bytes, NUL-terminated, into every C ABI entry point that takes a string: never
//! `CZ_PANIC`, every returned string freed with `cz_string_free`, every new handle freed.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

thread_local! {
    static HANDLES: common::FfiHandles = common::FfiHandles::new();
}

fuzz_target!(|data: &[u8]| {
    HANDLES.with(|h| h.check(data));
});
