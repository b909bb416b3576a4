//! The stage report over the demo city (314,710 records): the scope's figures alone, the whole
//! report (the scope, its 86 direct subordinates and the 206 villages' monthly 123 grid), and
//! its renderings; and the whole report under the historical reading, where each record is
//! placed by its own day. Figures go to BENCHMARKS.md.
//!
//! Run: `cargo bench --bench report`

use std::hint::black_box;

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::report::{Reading, Span, StageFigures, StageReport};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn report(c: &mut Criterion) {
    let campaign = demo::build(&DemoSpec::seed()).expect("the demo builds");
    let state = campaign.state();
    let rules = campaign.rules();
    let root = state.root().expect("root");
    let span = Span::as_of(demo::AS_OF);
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    g.throughput(Throughput::Elements(campaign.seq()));
    g.bench_function("figures_city", |b| {
        b.iter(|| black_box(StageFigures::of(state, rules, root, span)))
    });
    g.bench_function("stage_report_city", |b| {
        b.iter(|| black_box(StageReport::build(&campaign, root, span)))
    });
    g.bench_function("stage_report_city_historical", |b| {
        b.iter(|| {
            black_box(StageReport::build_with(
                &campaign,
                root,
                span,
                Reading::Historical,
            ))
        })
    });
    let built = StageReport::build(&campaign, root, span);
    g.bench_function("render_text", |b| b.iter(|| black_box(built.to_text())));
    g.bench_function("render_json", |b| b.iter(|| black_box(built.to_json())));
    g.bench_function("render_html", |b| b.iter(|| black_box(built.to_html())));
    g.bench_function("render_xlsx", |b| {
        b.iter(|| black_box(built.to_xlsx().expect("the demo city's workbook")))
    });
    g.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
