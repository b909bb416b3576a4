//! Figures alone across machines: what a rollup's driver spends reading, merging and reporting
//! figures documents, against what a task spends computing one. A seed city's figures document
//! is copied to `CITIES` cities (their ids renamed, as a country's cities are distinct), then
//! read from JSON, merged, and reported. `cargo bench --bench rollup`; figures in BENCHMARKS.md.

use std::hint::black_box;

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::report::{FiguresDoc, Reading, Span, StageReport};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

/// A country's cities (about 330 prefecture-level ones).
const CITIES: usize = 330;

/// The seed city's figures document, and its copies as `CITIES` distinct cities' JSON.
fn documents() -> (FiguresDoc, Vec<String>) {
    let city = demo::build(&DemoSpec::seed()).expect("the demo city");
    let root = city.state().root().expect("a root");
    let doc = FiguresDoc::of(&city, root, Span::as_of(demo::AS_OF), Reading::AsOf);
    let json = doc.to_json();
    let copies = (0..CITIES)
        .map(|i| {
            let mut v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
            let scope = &mut v["scopes"][0];
            scope["org"] = format!("c{i:03}.city").into();
            if let Some(subs) = scope["subordinates"].as_array_mut() {
                for s in subs.iter_mut() {
                    *s = format!("c{i:03}.{}", s.as_str().unwrap_or_default()).into();
                }
            }
            v.to_string()
        })
        .collect();
    (doc, copies)
}

fn bench(c: &mut Criterion) {
    let (doc, copies) = documents();
    let one = doc.to_json();
    let mut g = c.benchmark_group("rollup");
    g.throughput(Throughput::Bytes(one.len() as u64));
    g.bench_function("figures_to_json/city", |b| {
        b.iter(|| black_box(doc.to_json()))
    });
    g.bench_function("figures_from_json/city", |b| {
        b.iter(|| FiguresDoc::from_json(black_box(&one)).expect("reads"))
    });
    let docs: Vec<FiguresDoc> = copies
        .iter()
        .map(|j| FiguresDoc::from_json(j).expect("reads"))
        .collect();
    let bytes: usize = copies.iter().map(String::len).sum();
    g.throughput(Throughput::Elements(CITIES as u64));
    g.bench_function(format!("merge/{CITIES}_cities"), |b| {
        b.iter(|| FiguresDoc::merge(black_box(&docs), None).expect("merges"))
    });
    // A tree reduce merges two at a time: the cost of one step with a large side.
    let (left, right) = docs.split_at(CITIES / 2);
    let halves = [
        FiguresDoc::merge(left, None).expect("merges"),
        FiguresDoc::merge(right, None).expect("merges"),
    ];
    g.bench_function(format!("merge_pair/{CITIES}_cities"), |b| {
        b.iter(|| FiguresDoc::merge(black_box(&halves), None).expect("merges"))
    });
    let title = chuangzheng::model::Name::new("title", "全国").expect("a name");
    let all = FiguresDoc::merge(&docs, Some(title)).expect("merges");
    g.bench_function(format!("report_text/{CITIES}_cities"), |b| {
        b.iter_batched(
            || all.clone(),
            |d| StageReport::from_figures(&d).expect("a report").to_text(),
            BatchSize::SmallInput,
        )
    });
    g.finish();
    eprintln!(
        "rollup: a city's figures {} bytes; {CITIES} cities {bytes} bytes; merged {} bytes",
        one.len(),
        all.to_json().len()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
