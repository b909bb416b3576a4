//! 123 work method figures and compliance over a whole city's year: the demo city's 206
//! villages and their cadres, with a year of receptions, visits and concerns. Figures go to
//! BENCHMARKS.md.
//!
//! Run: `cargo bench --bench method123`

use std::hint::black_box;

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::Campaign;
use chuangzheng::report::{Method123Figures, compliance};
use chuangzheng::rules::RuleSet;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jiff::civil::date;

fn city_year() -> (Campaign, usize) {
    let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).expect("campaign");
    let batch = c
        .execute_batch(&demo::commands(&DemoSpec::seed()))
        .expect("tree");
    assert!(batch.all_accepted());
    let records = demo::method123_commands(c.state(), date(2010, 6, 1));
    let batch = c.execute_batch(&records).expect("records");
    if let Some((i, e)) = batch.first_refusal() {
        panic!("record {i} refused: {e}");
    }
    (c, records.len())
}

fn method123(c: &mut Criterion) {
    let (campaign, records) = city_year();
    let state = campaign.state();
    let rules = campaign.rules();
    let root = state.root().expect("root");
    let (from, to) = (date(2010, 6, 1), date(2011, 5, 30));
    let mut g = c.benchmark_group("method123");
    g.sample_size(20);
    g.throughput(Throughput::Elements(records as u64));
    g.bench_function("compliance_city_year", |b| {
        b.iter(|| black_box(compliance(state, rules, root, from, to)))
    });
    g.bench_function("figures_city_year", |b| {
        b.iter(|| black_box(Method123Figures::of(state, rules, root, to)))
    });
    g.finish();
}

criterion_group!(benches, method123);
criterion_main!(benches);
