//! The baseline for the C ABI's overhead: the same 123 reception `bindings/c/bench.c` records
//! through `cz_campaign_record_reception`, recorded here from Rust without the ABI — with the
//! command built once (the work alone), and built from string ids on every call (what the typed
//! path does besides the boundary). Figures go to BENCHMARKS.md.
//!
//! Run: `cargo bench --bench ffi`, then `bindings/c/bench.sh`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chuangzheng::ledger::{Actor, Campaign, CampaignInfo, Command, Event};
use chuangzheng::model::{ExtId, Name, Stamp};
use chuangzheng::rules::RuleSet;
use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::date;

const SETUP: [&str; 4] = [
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"市委","kind":"city_committee"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"t-1","name":"镇","kind":"township_committee","parent":"city"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"t-1"},"event":{"create_org":{"id":"v-1","name":"村","kind":"village","parent":"t-1"}}}"#,
    r#"{"at":"2010-05-01","actor":{"org":"t-1"},"event":{"add_member":{"id":"m-1","org":"v-1","category":"farmer","role":"secretary"}}}"#,
];

fn fresh() -> Campaign {
    let info = CampaignInfo {
        id: ExtId::new("id", "b").expect("id"),
        name: Name::new("name", "bench").expect("name"),
    };
    let mut c = Campaign::in_memory(info, RuleSet::default()).expect("campaign");
    for json in SETUP {
        c.execute(&Command::from_json(json).expect("json"))
            .expect("setup");
    }
    c
}

fn reception(village: &str, cadre: &str) -> Command {
    let v = ExtId::new("event.village", village).expect("village");
    Command::new(
        Stamp::on(date(2010, 6, 1)),
        Actor::org(&v),
        Event::RecordReception(chuangzheng::method123::RecordReception {
            village: v,
            cadres: vec![ExtId::new("event.cadres", cadre).expect("cadre")]
                .try_into()
                .expect("one cadre"),
            visitors: 2,
        }),
    )
}

/// Times `iters` calls of `call` on a fresh campaign, as the C bench does.
fn timed(iters: u64, mut call: impl FnMut(&mut Campaign)) -> Duration {
    let mut c = fresh();
    let start = Instant::now();
    for _ in 0..iters {
        call(&mut c);
    }
    start.elapsed()
}

fn ffi(c: &mut Criterion) {
    let mut g = c.benchmark_group("ffi_baseline");
    g.sample_size(20);
    let prebuilt = reception("v-1", "m-1");
    g.bench_function("execute_prebuilt_reception", |b| {
        b.iter_custom(|iters| {
            timed(iters, |c| {
                black_box(c.execute(&prebuilt).expect("accepted"));
            })
        })
    });
    g.bench_function("execute_reception_built_from_strs", |b| {
        b.iter_custom(|iters| {
            timed(iters, |c| {
                black_box(c.execute(&reception("v-1", "m-1")).expect("accepted"));
            })
        })
    });
    // The typed C entry point itself, called from Rust with C strings: the same harness and
    // campaign sizes as above, so the difference is the ABI's overhead.
    let (org, cadre) = (c"v-1", c"m-1");
    let cadres = [cadre.as_ptr()];
    let day = chuangzheng::ffi::cz_date {
        year: 2010,
        month: 6,
        day: 1,
    };
    g.bench_function("cz_campaign_record_reception", |b| {
        b.iter_custom(|iters| {
            let handle = chuangzheng::ffi::into_raw_handle(fresh());
            let start = Instant::now();
            for _ in 0..iters {
                // SAFETY: a live handle and valid C strings.
                let rc = unsafe {
                    chuangzheng::ffi::cz_campaign_record_reception(
                        handle,
                        day,
                        org.as_ptr(),
                        std::ptr::null(),
                        org.as_ptr(),
                        cadres.as_ptr(),
                        1,
                        2,
                        std::ptr::null_mut(),
                    )
                };
                assert_eq!(rc, 0);
            }
            let elapsed = start.elapsed();
            // SAFETY: made above, freed once.
            unsafe { chuangzheng::ffi::cz_campaign_free(handle) };
            elapsed
        })
    });
    g.finish();
}

criterion_group!(benches, ffi);
criterion_main!(benches);
