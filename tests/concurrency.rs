//! One campaign handle used from many threads at once, through the C ABI (called from Rust):
//! typed and JSON records, refused commands, reports and state reads interleaved. No call fails
//! that should not, none deadlocks, every record lands once, and the state the handle shows at
//! the end is exactly the state the journal's recorded order gives when replayed alone.

use std::ffi::{CStr, CString, c_char};

use chuangzheng::ffi::{
    CZ_FORMAT_JSON, CZ_OK, cz_campaign, cz_campaign_create, cz_campaign_execute, cz_campaign_free,
    cz_campaign_new, cz_campaign_record_reception, cz_campaign_record_visit, cz_campaign_report,
    cz_campaign_seq, cz_campaign_state_json, cz_date, cz_last_error_code, cz_string_free,
};
use chuangzheng::ledger::Campaign;

const SETUP: [&str; 6] = [
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"市委","kind":"city_committee"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"t-1","name":"镇","kind":"township_committee","parent":"city"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"t-1"},"event":{"create_org":{"id":"v-1","name":"村","kind":"village","parent":"t-1"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"t-1"},"event":{"add_member":{"id":"m-1","org":"v-1","category":"farmer","role":"secretary"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"t-1"},"event":{"add_member":{"id":"m-2","org":"v-1","category":"farmer","role":"committee_member"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"t-1"},"event":{"register_household":{"id":"h-1","village":"v-1"}}}"#,
];

/// The handle, shared by the threads: the ABI synchronizes it.
struct Shared(*mut cz_campaign);
// SAFETY: cz_campaign is internally synchronized (a mutex per handle); the pointer is only
// used while the handle lives.
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

fn taken(out: *mut c_char) -> String {
    // SAFETY: a string from the library, freed once here.
    let s = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_string();
    unsafe { cz_string_free(out) };
    s
}

/// Records the village, its cadres and household the threads work on.
fn set_up(handle: *mut cz_campaign) {
    for json in SETUP {
        let cmd = CString::new(json).unwrap();
        // SAFETY: a live handle, a valid string.
        assert_eq!(
            unsafe { cz_campaign_execute(handle, cmd.as_ptr(), std::ptr::null_mut()) },
            CZ_OK
        );
    }
}

/// Runs `threads` threads of `calls` calls each on `handle`: every fifth a refused command,
/// every fifth a report, the others records.
fn hammer(handle: *mut cz_campaign, threads: usize, calls: usize) {
    let shared = Shared(handle);
    std::thread::scope(|s| {
        for t in 0..threads {
            let shared = &shared;
            s.spawn(move || {
                let h = shared.0;
                let v = c"v-1";
                let cadres = [c"m-1".as_ptr(), c"m-2".as_ptr()];
                let day = cz_date { year: 2010, month: 6, day: 1 + (t as u8) };
                let json = CString::new(format!(
                    r#"{{"at":"2010-06-{:02}","actor":{{"org":"v-1"}},"event":{{"record_reception":{{"village":"v-1","cadres":["m-2"],"visitors":{}}}}}}}"#,
                    t + 1,
                    t + 1
                ))
                .unwrap();
                let refused = cr#"{"at":"2010-06-01","actor":{"org":"v-1"},"event":{"record_visit":{"cadre":"m-9","household":"h-1"}}}"#;
                for i in 0..calls {
                    let mut seq = 0u64;
                    // SAFETY: a live handle; valid strings and out pointers.
                    unsafe {
                        match i % 5 {
                            0 => assert_eq!(
                                cz_campaign_record_reception(h, day, v.as_ptr(), std::ptr::null(), v.as_ptr(), cadres.as_ptr(), 2, 1, &mut seq),
                                CZ_OK
                            ),
                            1 => assert_eq!(
                                cz_campaign_record_visit(h, day, v.as_ptr(), std::ptr::null(), c"m-1".as_ptr(), c"h-1".as_ptr(), &mut seq),
                                CZ_OK
                            ),
                            2 => assert_eq!(cz_campaign_execute(h, json.as_ptr(), &mut seq), CZ_OK),
                            3 => {
                                assert_eq!(cz_campaign_execute(h, refused.as_ptr(), &mut seq), 3002);
                                assert_eq!(cz_last_error_code(), 3002, "the thread's own error");
                            }
                            _ => {
                                let mut out: *mut c_char = std::ptr::null_mut();
                                assert_eq!(
                                    cz_campaign_report(h, std::ptr::null(), std::ptr::null(), c"2010-06-30".as_ptr(), CZ_FORMAT_JSON, &mut out),
                                    CZ_OK
                                );
                                assert!(taken(out).contains("m123.receptions"));
                            }
                        }
                    }
                }
            });
        }
    });
}

#[test]
fn many_threads_one_handle_and_the_journal_order_replays_to_the_same_state() {
    let dir = std::env::temp_dir().join(format!("cz-conc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("j.jsonl");
    let cpath = CString::new(path.to_str().unwrap()).unwrap();
    let info = CString::new(r#"{"id":"c","name":"并发"}"#).unwrap();
    let mut handle: *mut cz_campaign = std::ptr::null_mut();
    // SAFETY: valid strings and out pointer.
    assert_eq!(
        unsafe { cz_campaign_create(cpath.as_ptr(), info.as_ptr(), std::ptr::null(), &mut handle) },
        CZ_OK
    );
    set_up(handle);
    const THREADS: usize = 6;
    const CALLS: usize = 120;
    hammer(handle, THREADS, CALLS);
    let seq = seq_of(handle);
    assert_eq!(
        seq,
        (SETUP.len() + THREADS * CALLS / 5 * 3) as u64,
        "three records per five calls"
    );
    let mut out: *mut c_char = std::ptr::null_mut();
    // SAFETY: a live handle, a valid out pointer.
    assert_eq!(unsafe { cz_campaign_state_json(handle, &mut out) }, CZ_OK);
    let shown = taken(out);
    // SAFETY: freed once; no thread uses it any more.
    unsafe { cz_campaign_free(handle) };
    let (replayed, _) = Campaign::open(&path, Default::default()).unwrap();
    assert_eq!(replayed.seq(), seq);
    assert!(
        replayed.state_json() == shown,
        "the recorded order replays to the state shown"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The same on an in-memory handle, small enough for Miri (`cargo +nightly miri test --test
/// concurrency in_memory`), which checks the ABI's unsafe code and the locking for undefined
/// behaviour and data races.
#[test]
fn many_threads_one_in_memory_handle() {
    let info = CString::new(r#"{"id":"c","name":"并发"}"#).unwrap();
    let mut handle: *mut cz_campaign = std::ptr::null_mut();
    // SAFETY: valid strings and out pointer.
    assert_eq!(
        unsafe { cz_campaign_new(info.as_ptr(), std::ptr::null(), &mut handle) },
        CZ_OK
    );
    set_up(handle);
    let (threads, calls) = if cfg!(miri) { (3, 10) } else { (8, 200) };
    hammer(handle, threads, calls);
    let seq = seq_of(handle);
    assert_eq!(seq, (SETUP.len() + threads * calls / 5 * 3) as u64);
    // SAFETY: freed once; no thread uses it any more.
    unsafe { cz_campaign_free(handle) };
}

/// The handle's seq, checked to be read.
fn seq_of(handle: *mut cz_campaign) -> u64 {
    let mut seq = u64::MAX;
    // SAFETY: a live handle and a local to write to.
    assert_eq!(unsafe { cz_campaign_seq(handle, &mut seq) }, 0);
    seq
}
