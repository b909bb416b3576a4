//! Figures alone and their merge (issue 21): a scope's figures document equals the report's
//! totals, reads back as written, and merges only with figures of the same terms and of
//! scopes that do not overlap; the report of a merge computes its rates from the merged counts;
//! a hostile document is refused by field, never trusted. And the read-only open: it streams a
//! journal, reports a torn tail without cutting it, never changes a byte, refuses commands.

use std::io::Write;
use std::sync::OnceLock;

use chuangzheng::Coded;
use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{Campaign, OpenOptions};
use chuangzheng::model::{Name, OrgKind};
use chuangzheng::report::{
    Figure, FiguresDoc, FiguresError, MAX_FIGURE, Reading, Span, StageFigures, StageReport,
};

fn city() -> &'static Campaign {
    static CITY: OnceLock<Campaign> = OnceLock::new();
    CITY.get_or_init(|| demo::build(&DemoSpec::small()).expect("the demo builds"))
}

fn span() -> Span {
    Span::as_of(demo::AS_OF)
}

/// The figures of the organization `id` of the small city.
fn figures_of(id: &str, span: Span, reading: Reading) -> FiguresDoc {
    let c = city();
    let org = c.state().org_by_id(id).expect("a demo organization");
    FiguresDoc::of(c, org, span, reading)
}

/// The city's direct subordinates' figures, one document each.
fn subordinates(span: Span, reading: Reading) -> Vec<FiguresDoc> {
    let c = city();
    let root = c.state().root().expect("a root");
    let tree = c.state().tree_on(span.as_of);
    tree.children(root)
        .iter()
        .map(|o| FiguresDoc::of(c, *o, span, reading))
        .collect()
}

fn code(e: &FiguresError) -> u32 {
    e.code()
}

#[test]
fn a_scope_s_figures_are_its_report_s_totals_and_read_back_as_written() {
    let c = city();
    for (id, from, reading) in [
        ("city", None, Reading::AsOf),
        ("t-01", None, Reading::AsOf),
        ("t-02", Some(jiff::civil::date(2010, 7, 1)), Reading::AsOf),
        ("city", None, Reading::Historical),
    ] {
        let span = Span {
            from,
            as_of: demo::AS_OF,
        };
        let org = c.state().org_by_id(id).unwrap();
        let doc = FiguresDoc::of(c, org, span, reading);
        let report = StageReport::build_with(c, org, span, reading);
        assert_eq!(doc.totals, report.totals, "{id}");
        assert_eq!(doc.method123_from, report.method123_from, "{id}");
        let back = FiguresDoc::from_json(&doc.to_json()).expect("reads back");
        assert_eq!(back, doc, "{id}");
        // The report of one scope's figures is its own report, without the parts and grid.
        let alone = StageReport::from_figures(&doc).unwrap();
        assert_eq!(
            alone.figure("pledge.practical.total"),
            report.figure("pledge.practical.total")
        );
        assert_eq!(
            alone.to_text().lines().next(),
            report.to_text().lines().next()
        );
        assert_eq!(alone.scope_name, report.scope_name);
    }
}

#[test]
fn the_subordinates_merged_are_the_report_s_parts_summed() {
    let c = city();
    let root = c.state().root().unwrap();
    let report = StageReport::build(c, root, span());
    let parts = subordinates(span(), Reading::AsOf);
    assert_eq!(parts.len(), report.parts.len());
    let merged = FiguresDoc::merge(&parts, None).expect("disjoint scopes merge");
    let mut sum = StageFigures::default();
    for p in &report.parts {
        sum.merge(&p.figures);
    }
    assert_eq!(merged.totals, sum);
    // In any order, in any grouping (a tree reduce), the same document.
    let mut reversed = parts.clone();
    reversed.reverse();
    let (a, b) = reversed.split_at(reversed.len() / 2);
    let halves = [
        FiguresDoc::merge(a, None).unwrap(),
        FiguresDoc::merge(b, None).unwrap(),
    ];
    assert_eq!(FiguresDoc::merge(&halves, None).unwrap(), merged);
    // Its report is the city's by name, each subordinate a part, rates from the merged counts.
    let from_merge = StageReport::from_figures(&merged).unwrap();
    assert_eq!(from_merge.scope_org.as_str(), "city");
    assert_eq!(from_merge.parts.len(), parts.len());
    // Its scope line says it holds the city's subordinates it was given, not the whole city.
    let n = parts.len();
    let (_, scope) = from_merge.heading();
    let first = &from_merge.parts[0].name;
    assert!(
        scope.starts_with(&format!(
            "范围：东港市委所属{first}等{n}个党组织及其所属党组织。"
        )),
        "{scope}"
    );
    let two = FiguresDoc::merge(&parts[..2], None).unwrap();
    let (_, scope) = StageReport::from_figures(&two).unwrap().heading();
    let names = format!("{}、{}", two.scopes[0].name, two.scopes[1].name);
    assert!(
        scope.starts_with(&format!("范围：东港市委所属{names}及其所属党组织。")),
        "{scope}"
    );
    // Its sentences speak of the scope line's area, not the whole city's.
    let text = StageReport::from_figures(&two).unwrap().to_text();
    assert!(
        text.contains("上述范围内非公有制经济组织") && !text.contains("全市"),
        "{text}"
    );
    // The rate is the merged counts' ratio (not the parts' rates averaged), the amount their sum.
    let practical = chuangzheng::pledge::PledgeKind::PracticalMatter;
    let made: u64 = report
        .parts
        .iter()
        .map(|p| p.figures.pledges.made_of(practical))
        .sum();
    let done: u64 = report
        .parts
        .iter()
        .map(|p| p.figures.pledges.fulfilled_of(practical))
        .sum();
    match from_merge.figure("pledge.practical.completion_rate") {
        Some(Figure::Rate(Some(r))) => {
            assert!(made > 0);
            assert_eq!(r.numerator() * made, done * r.denominator());
        }
        f => panic!("{f:?}"),
    }
    let key = "service.donation.amount_yuan";
    let amounts = report
        .parts
        .iter()
        .map(|p| p.figures.activity.donation_amount_yuan());
    let total: rust_decimal::Decimal = amounts.sum();
    assert!(total > rust_decimal::Decimal::ZERO);
    assert_eq!(from_merge.figure(key), Some(Figure::Yuan(total)));
    for format in [
        from_merge.to_text(),
        from_merge.to_html(),
        from_merge.to_json(),
    ] {
        assert!(!format.is_empty());
    }
    let xlsx = from_merge.to_xlsx().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut book = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut book).unwrap();
    // The summary, the parts and their chart; no empty grid of villages.
    assert!(
        book.contains("汇总") && book.contains("附表") && book.contains("图表"),
        "{book}"
    );
    assert!(!book.contains("123工作法"), "{book}");
}

#[test]
fn figures_of_other_terms_are_refused_naming_what_differs() {
    let base = figures_of("t-01", span(), Reading::AsOf);
    let other_as_of = Span::as_of(jiff::civil::date(2010, 9, 30));
    let other_from = Span {
        from: Some(jiff::civil::date(2010, 6, 1)),
        as_of: demo::AS_OF,
    };
    let mut rules = figures_of("t-02", span(), Reading::AsOf);
    rules.rules.hash = "0".repeat(64);
    let mut campaign = figures_of("t-02", span(), Reading::AsOf);
    campaign.campaign.id = chuangzheng::model::ExtId::new("id", "another").unwrap();
    let mut method123 = figures_of("t-02", span(), Reading::AsOf);
    method123.method123_from = Some(jiff::civil::date(2010, 8, 2));
    let mut display = figures_of("t-02", span(), Reading::AsOf);
    display.display.rounding.percent_places += 1;
    for (other, field) in [
        (figures_of("t-02", other_as_of, Reading::AsOf), "as_of"),
        (figures_of("t-02", other_from, Reading::AsOf), "from"),
        (
            figures_of("t-02", span(), Reading::Historical),
            "attribution",
        ),
        (rules, "rules.hash"),
        (campaign, "campaign"),
        (method123, "method123_from"),
        (display, "display"),
    ] {
        let err = FiguresDoc::merge(&[base.clone(), other], None).unwrap_err();
        assert_eq!(code(&err), 5005, "{field}: {err}");
        match &err {
            FiguresError::Incompatible { field: f, .. } => assert_eq!(*f, field),
            e => panic!("{field}: {e}"),
        }
        assert!(
            err.message_zh().contains("不能合并"),
            "{}",
            err.message_zh()
        );
    }
}

#[test]
fn overlapping_scopes_are_refused() {
    let t1 = figures_of("t-01", span(), Reading::AsOf);
    let city_doc = figures_of("city", span(), Reading::AsOf);
    // The village of t-01 whose figures t-01 already counts.
    let c = city();
    let t1_idx = c.state().org_by_id("t-01").unwrap();
    let village = c.state().tree_on(demo::AS_OF).children(t1_idx)[0];
    let village_id = c.state().org(village).id.to_string();
    let v = figures_of(&village_id, span(), Reading::AsOf);
    for (a, b) in [
        (&t1, &t1),
        (&city_doc, &t1),
        (&t1, &city_doc),
        (&v, &t1),
        (&city_doc, &v),
    ] {
        let err = FiguresDoc::merge(&[a.clone(), b.clone()], None).unwrap_err();
        assert_eq!(code(&err), 5006, "{err}");
    }
    // Seen from a journal rooted at t-01 (no path above it), t-01 is still under the city: the
    // city lists it among its subordinates.
    let mut rooted = t1.clone();
    rooted.scopes[0].path.clear();
    let err = FiguresDoc::merge(&[city_doc, rooted], None).unwrap_err();
    assert_eq!(code(&err), 5006, "{err}");
}

#[test]
fn a_merge_without_a_common_parent_is_reported_under_its_title() {
    let mut docs = vec![
        figures_of("t-01", span(), Reading::AsOf),
        figures_of("t-02", span(), Reading::AsOf),
    ];
    for d in &mut docs {
        d.scopes[0].path.clear();
    }
    let merged = FiguresDoc::merge(&docs, None).unwrap();
    let err = StageReport::from_figures(&merged).unwrap_err();
    assert_eq!(code(&err), 5007);
    let titled = FiguresDoc::merge(&docs, Some(Name::new("title", "两镇合计").unwrap())).unwrap();
    let report = StageReport::from_figures(&titled).unwrap();
    assert_eq!(report.scope_name.as_str(), "两镇合计");
    assert!(
        report
            .heading()
            .1
            .starts_with("范围：两镇合计及所属党组织。")
    );
    // Townships sit under a city: the merge reads as a city's.
    assert_eq!(report.scope_kind, OrgKind::CityCommittee);
    assert_eq!(report.parts.len(), 2);
    assert_eq!(FiguresDoc::from_json(&titled.to_json()).unwrap(), titled);
}

/// A document as JSON, changed by `edit`.
fn edited(doc: &FiguresDoc, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
    edit(&mut v);
    v.to_string()
}

#[test]
fn a_hostile_document_is_refused_by_field() {
    let doc = figures_of("t-01", span(), Reading::AsOf);
    let cases: Vec<(String, &str)> = vec![
        ("".into(), "."),
        ("[]".into(), "."),
        (format!("{} junk", doc.to_json()), "."),
        (
            edited(&doc, |v| v["format"] = "chuangzheng.stage_report".into()),
            "format",
        ),
        (edited(&doc, |v| v["version"] = 2.into()), "version"),
        (edited(&doc, |v| v["extra"] = 1.into()), "extra"),
        (
            edited(&doc, |v| v["rules"]["hash"] = "ABC".into()),
            "rules.hash",
        ),
        (edited(&doc, |v| v["from"] = "2011-01-01".into()), "from"),
        (
            edited(&doc, |v| v["scopes"] = serde_json::json!([])),
            "scopes",
        ),
        (
            edited(&doc, |v| {
                v["totals"]["pledges"]["revised_orgs"] = 7777.into()
            }),
            "totals",
        ),
        (
            edited(&doc, |v| {
                v["scopes"][0]["figures"]["pledges"]["revised_orgs"] = (MAX_FIGURE + 1).into();
                v["totals"]["pledges"]["revised_orgs"] = (MAX_FIGURE + 1).into();
            }),
            "scopes[0].figures.pledges.revised_orgs",
        ),
        (edited(&doc, |v| v["as_of"] = "2010-02-30".into()), "as_of"),
        (
            edited(&doc, |v| v["scopes"][0]["org"] = "".into()),
            "scopes[0].org",
        ),
    ];
    for (json, field) in cases {
        let err = FiguresDoc::from_json(&json).unwrap_err();
        assert_eq!(code(&err), 5004, "{json:.80}: {err}");
        match &err {
            FiguresError::Invalid { field: f, .. } => {
                assert!(f.starts_with(field), "{f} for {field}: {err}")
            }
            e => panic!("{e}"),
        }
    }
}

#[test]
fn a_sum_past_the_bound_is_refused_not_wrapped() {
    let doc = figures_of("t-01", span(), Reading::AsOf);
    let big = |id: &str| {
        let json = edited(&doc, |v| {
            v["scopes"][0]["org"] = id.into();
            v["scopes"][0]["figures"]["pledges"]["revised_orgs"] = MAX_FIGURE.into();
            v["totals"]["pledges"]["revised_orgs"] = MAX_FIGURE.into();
        });
        FiguresDoc::from_json(&json).expect("at the bound is allowed")
    };
    let err = FiguresDoc::merge(&[big("x-1"), big("x-2")], None).unwrap_err();
    assert_eq!(code(&err), 5004, "{err}");
    assert!(err.to_string().contains("revised_orgs"), "{err}");
}

#[test]
fn inconsistent_counts_still_render_without_a_panic() {
    // Counts no engine writes (more fulfilled than made, every count at the bound) are summed
    // as given; the report renders them rather than failing.
    let doc = figures_of("t-01", span(), Reading::AsOf);
    let json = edited(&doc, |v| {
        fn fill(v: &mut serde_json::Value) {
            match v {
                serde_json::Value::Number(_) => *v = MAX_FIGURE.into(),
                serde_json::Value::Array(a) => a.iter_mut().for_each(fill),
                serde_json::Value::Object(o) => o.values_mut().for_each(fill),
                _ => {}
            }
        }
        fill(&mut v["scopes"][0]["figures"]);
        v["totals"] = v["scopes"][0]["figures"].clone();
    });
    let doc = FiguresDoc::from_json(&json).expect("within bounds");
    let report = StageReport::from_figures(&doc).unwrap();
    assert!(report.to_text().contains(&MAX_FIGURE.to_string()));
    assert!(!report.to_html().is_empty());
    assert!(!report.to_json().is_empty());
    assert!(report.to_xlsx().unwrap().starts_with(b"PK"));
}

/// A temporary journal of the small demo's first `n` commands.
struct TempJournal(std::path::PathBuf);

impl TempJournal {
    fn new(what: &str, n: usize) -> TempJournal {
        let dir = std::env::temp_dir().join(format!("cz-rollup-{what}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.jsonl");
        let mut c =
            Campaign::create(&path, demo::info(), chuangzheng::rules::RuleSet::default()).unwrap();
        let cmds = demo::commands(&DemoSpec::small());
        assert!(
            c.execute_batch(&cmds[..n.min(cmds.len())])
                .unwrap()
                .all_accepted()
        );
        TempJournal(path)
    }
}

impl Drop for TempJournal {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

#[test]
fn the_read_only_open_reports_a_torn_tail_and_never_changes_a_byte() {
    let j = TempJournal::new("torn", 120);
    let torn = b"{\"seq\":121,\"at\":\"2010-05-0";
    std::fs::OpenOptions::new()
        .append(true)
        .open(&j.0)
        .unwrap()
        .write_all(torn)
        .unwrap();
    let before = std::fs::read(&j.0).unwrap();
    let (mut ro, report) = Campaign::open_read_only(&j.0).expect("opens");
    assert_eq!(report.records, 120);
    let tail = report.torn_tail.expect("the torn tail reported");
    assert_eq!(tail.len, torn.len() as u64);
    assert_eq!(tail.offset, before.len() as u64 - torn.len() as u64);
    assert!(tail.saved_to.is_none(), "nothing saved: nothing written");
    // Every command is refused, and nothing is written.
    let cmd = &demo::commands(&DemoSpec::small())[120];
    let err = ro.execute(cmd).unwrap_err();
    assert_eq!(err.code(), 4016, "{err}");
    let err = ro.execute_batch(std::slice::from_ref(cmd)).unwrap_err();
    assert_eq!(err.code(), 4016, "{err}");
    assert_eq!(ro.seq(), 120);
    // A second reader at the same time is fine (both share the lock).
    let (other, _) = Campaign::open_read_only(&j.0).expect("a second reader");
    assert_eq!(other.last_hash(), ro.last_hash());
    drop((ro, other));
    let dir = j.0.parent().unwrap();
    let files: Vec<_> = std::fs::read_dir(dir).unwrap().collect();
    assert_eq!(files.len(), 1, "no file saved beside the journal");
    assert_eq!(std::fs::read(&j.0).unwrap(), before, "not a byte changed");
    // The same as a full open's state, which cuts the tail.
    let (rw, _) = Campaign::open(&j.0, OpenOptions::default()).unwrap();
    assert_eq!(rw.seq(), 120);
}

#[test]
fn the_read_only_open_reads_beside_a_writer() {
    let j = TempJournal::new("writer", 100);
    let (mut writer, _) = Campaign::open(&j.0, OpenOptions::default()).unwrap();
    let (reader, _) = Campaign::open_read_only(&j.0).expect("reads while a writer holds it");
    assert_eq!(reader.seq(), 100);
    let cmds = demo::commands(&DemoSpec::small());
    writer.execute_batch(&cmds[100..120]).unwrap();
    // The reader saw the journal as it was when it opened.
    assert_eq!(reader.seq(), 100);
    let (later, _) = Campaign::open_read_only(&j.0).unwrap();
    assert_eq!(later.seq(), 120);
    // A corrupt record fails the read-only open as it fails a full one.
    drop(writer);
    let mut bytes = std::fs::read(&j.0).unwrap();
    let at = bytes.len() - 80;
    bytes[at] ^= 1;
    std::fs::write(&j.0, &bytes).unwrap();
    let err = Campaign::open_read_only(&j.0).unwrap_err();
    assert_eq!(err.code(), 4005, "{err}");
    assert_eq!(std::fs::read(&j.0).unwrap(), bytes);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Any counts within bounds, consistent or not, read, merge and render without a panic;
    /// the merge's totals are the sum of the two, count by count.
    #[test]
    fn any_counts_within_bounds_merge_and_render(
        seeds in proptest::collection::vec(0u64..=MAX_FIGURE, 1..64),
        small in proptest::prelude::any::<bool>(),
    ) {
        let doc = figures_of("t-01", span(), Reading::AsOf);
        let mut i = 0usize;
        let json = edited(&doc, |v| {
            fn fill(v: &mut serde_json::Value, seeds: &[u64], i: &mut usize, small: bool) {
                match v {
                    serde_json::Value::Number(_) => {
                        let s = seeds[*i % seeds.len()];
                        *v = (if small { s % 1000 } else { s }).into();
                        *i += 1;
                    }
                    serde_json::Value::Array(a) => a.iter_mut().for_each(|v| fill(v, seeds, i, small)),
                    serde_json::Value::Object(o) => o.values_mut().for_each(|v| fill(v, seeds, i, small)),
                    _ => {}
                }
            }
            fill(&mut v["scopes"][0]["figures"], &seeds, &mut i, small);
            v["totals"] = v["scopes"][0]["figures"].clone();
        });
        let one = FiguresDoc::from_json(&json).expect("within bounds");
        let report = StageReport::from_figures(&one).expect("one scope");
        proptest::prop_assert!(!report.to_text().is_empty());
        proptest::prop_assert!(!report.to_html().is_empty());
        let other = edited(&one, |v| v["scopes"][0]["org"] = "t-99".into());
        let other = FiguresDoc::from_json(&other).expect("another scope");
        match FiguresDoc::merge(&[one.clone(), other], None) {
            Ok(merged) => {
                let mut twice = one.totals.clone();
                twice.merge(&one.totals);
                proptest::prop_assert_eq!(&merged.totals, &twice);
                let untitled = FiguresDoc { title: None, ..merged };
                proptest::prop_assert!(StageReport::from_figures(&untitled).is_ok());
            }
            Err(e) => {
                // Only a sum past the bound is refused.
                proptest::prop_assert_eq!(e.code(), 5004);
                proptest::prop_assert!(!small);
            }
        }
    }
}
