//! The SQL that `benches/province.rs` times against the engine gives the engine's figures:
//! for the small and the seed demo city, over whole and partial spans, for the whole scope and
//! each part, every figure the SQL computes equals the engine's. So the bench compares two
//! ways of computing the same report.

#[path = "../benches/sqlite/mod.rs"]
mod sqlite;

use std::collections::BTreeMap;

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::Campaign;
use chuangzheng::model::OrgIdx;
use chuangzheng::report::{Figure, Span, StageReport};
use rusqlite::Connection;

fn loaded(c: &Campaign) -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    let rows = sqlite::load(&mut conn, c.state()).unwrap();
    assert!(rows > 0);
    conn
}

/// Compares the SQL's figures with the engine's report for `scope` over `span`; returns how
/// many figures were compared.
fn compare(c: &Campaign, conn: &Connection, scope: OrgIdx, span: Span) -> usize {
    let report = StageReport::build(c, scope, span);
    let parts = sqlite::report(conn, c.rules(), scope, span).unwrap();
    let sql_total = sqlite::figures(&sqlite::total(&parts));
    let engine: BTreeMap<String, Figure> = report.totals.figures().into_iter().collect();
    // Every figure the SQL computes (BENCHMARKS.md counts them), all of them keys of the report.
    assert_eq!(sql_total.len(), 93, "{:?}", sql_total.keys());
    let mut compared = 0;
    for (key, value) in &sql_total {
        let mine = engine
            .get(key)
            .unwrap_or_else(|| panic!("the engine has no {key}"));
        assert_eq!(
            mine.exact(),
            value.exact(),
            "{key} over {span:?}: engine {mine:?}, SQL {value:?}"
        );
        compared += 1;
    }
    let s = c.state();
    for p in &report.parts {
        let idx = s.org_by_id(p.org.as_str()).unwrap();
        let counts = parts.get(&idx.0).cloned().unwrap_or_default();
        let sql = sqlite::figures(&counts);
        let engine: BTreeMap<String, Figure> = p.figures.figures().into_iter().collect();
        for key in sql_total.keys() {
            let zero = match engine[key] {
                Figure::Rate(_) => Figure::Rate(None),
                Figure::Yuan(_) => Figure::Yuan(Default::default()),
                Figure::Count(_) => Figure::Count(0),
            };
            let value = sql.get(key).copied().unwrap_or(zero);
            assert_eq!(
                engine[key].exact(),
                value.exact(),
                "{key} of {} over {span:?}",
                p.org
            );
            compared += 1;
        }
    }
    compared
}

#[test]
fn the_sql_gives_the_small_citys_figures_over_any_span() {
    let c = demo::build(&DemoSpec::small()).unwrap();
    let conn = loaded(&c);
    let root = c.state().root().unwrap();
    for span in sqlite::small_city_spans() {
        assert!(compare(&c, &conn, root, span) > 60);
        // A township's report, parts and all, from the same tables.
        let t = c.state().children(root)[0];
        assert!(compare(&c, &conn, t, span) > 60);
    }
}

#[test]
fn the_sql_gives_the_seed_citys_figures() {
    let c = demo::build(&DemoSpec::seed()).unwrap();
    let conn = loaded(&c);
    let root = c.state().root().unwrap();
    let n = compare(&c, &conn, root, Span::as_of(demo::AS_OF));
    assert!(n > 80 * 60, "{n} figures compared");
}

#[test]
fn the_sql_gives_a_provinces_figures_city_by_city() {
    let mut c = Campaign::in_memory(demo::info(), Default::default()).unwrap();
    demo::populate_province(&mut c, &DemoSpec::small(), 3, 4096, |_, _| {}).unwrap();
    let conn = loaded(&c);
    let root = c.state().root().unwrap();
    assert!(compare(&c, &conn, root, Span::as_of(demo::AS_OF)) > 3 * 60);
}

/// The province benches' data: 123 records over a year, the review as of its last day.
#[test]
fn the_sql_gives_a_provinces_figures_over_a_year_of_123_records() {
    let small = DemoSpec::small();
    let spec = DemoSpec {
        method123: small.method123.for_a_year(),
        ..small
    };
    let mut c = Campaign::in_memory(demo::info(), Default::default()).unwrap();
    demo::populate_province(&mut c, &spec, 2, 4096, |_, _| {}).unwrap();
    let conn = loaded(&c);
    let root = c.state().root().unwrap();
    assert!(compare(&c, &conn, root, Span::as_of(spec.method123.until)) > 2 * 60);
}
