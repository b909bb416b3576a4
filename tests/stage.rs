//! The stage report on the demo city: the seed's figures as the engine computes them, shards
//! merged equal to the whole, spans, the text and HTML renderings, and the audit.

use std::sync::OnceLock;

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::Campaign;
use chuangzheng::report::{
    Claims, Figure, Span, StageFigures, StageReport, Support, audit, findings_text,
};

/// The seed city, built once per test binary (through the ledger, from raw records).
fn city() -> &'static Campaign {
    static CITY: OnceLock<Campaign> = OnceLock::new();
    CITY.get_or_init(|| demo::build(&DemoSpec::seed()).expect("the demo builds"))
}

fn report() -> &'static StageReport {
    static REPORT: OnceLock<StageReport> = OnceLock::new();
    REPORT.get_or_init(|| {
        let c = city();
        StageReport::build(c, c.state().root().unwrap(), Span::as_of(demo::AS_OF))
    })
}

const TABLE: &str = include_str!("data/design_figures.tsv");

fn design_table() -> Vec<(&'static str, &'static str)> {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            (cols.next().unwrap(), cols.next().unwrap())
        })
        .collect()
}

#[test]
fn the_table_copy_matches_design_md_when_it_is_there() {
    let Ok(design) = std::fs::read_to_string("../shared/DESIGN.md") else {
        return; // A clean checkout without the shared notes: the copy stands.
    };
    for (key, value) in design_table() {
        let row = format!("| `{key}` | {value} |");
        assert!(design.contains(&row), "DESIGN.md has no row {row}");
    }
    let rows = design.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(
        rows,
        design_table().len(),
        "DESIGN.md's table has rows the copy lacks"
    );
}

#[test]
fn the_demo_reproduces_every_figure_of_the_design_table() {
    let json: serde_json::Value = serde_json::from_str(&report().to_json()).unwrap();
    let figures = json["figures"].as_object().unwrap();
    let table = design_table();
    assert_eq!(table.len(), 42);
    let mut wrong = Vec::new();
    for (key, expected) in table {
        let got = match figures.get(key) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => "(missing)".to_string(),
        };
        if got != expected {
            wrong.push(format!("{key}: computed {got}, seed {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn figures_are_typed_counts_rates_and_amounts() {
    let r = report();
    assert_eq!(
        r.figure("pledge.practical.total"),
        Some(Figure::Count(24768))
    );
    let Some(Figure::Rate(Some(rate))) = r.figure("coverage.non_public.rate") else {
        panic!("coverage.non_public.rate is a rate");
    };
    assert_eq!((rate.numerator(), rate.denominator()), (427, 493));
    let Some(Figure::Yuan(y)) = r.figure("service.donation.amount_yuan") else {
        panic!("the donations are an amount");
    };
    assert_eq!(y.to_string(), "2747410");
    assert_eq!(r.figure("no.such.key"), None);
}

#[test]
fn the_townships_merged_give_the_city() {
    let r = report();
    assert!(r.parts.len() > 80, "the city's direct subordinates");
    let mut merged = StageFigures::default();
    for p in &r.parts {
        merged.merge(&p.figures);
    }
    assert_eq!(merged, r.totals);
    // Merging is order-free: reversed, and through JSON as a data platform would ship them.
    let mut reversed = StageFigures::default();
    for p in r.parts.iter().rev() {
        let shipped: StageFigures =
            serde_json::from_str(&serde_json::to_string(&p.figures).unwrap()).unwrap();
        reversed.merge(&shipped);
    }
    assert_eq!(reversed, r.totals);
}

#[test]
fn the_one_pass_parts_equal_each_subtree_counted_alone() {
    let c = city();
    let s = c.state();
    let root = s.root().unwrap();
    for span in [
        Span::as_of(demo::AS_OF),
        Span {
            from: Some(jiff::civil::date(2010, 8, 1)),
            as_of: jiff::civil::date(2010, 9, 30),
        },
    ] {
        let r = StageReport::build(c, root, span);
        assert_eq!(r.totals, StageFigures::of(s, c.rules(), root, span));
        for p in &r.parts {
            let org = s.org_by_id(p.org.as_str()).unwrap();
            assert_eq!(
                p.figures,
                StageFigures::of(s, c.rules(), org, span),
                "{}",
                p.org
            );
        }
    }
}

#[test]
fn a_townships_report_covers_its_subtree_only() {
    let c = city();
    let t = c.state().org_by_id("t-01").unwrap();
    let r = StageReport::build(c, t, Span::as_of(demo::AS_OF));
    let whole = report();
    let part = whole
        .parts
        .iter()
        .find(|p| p.org.as_str() == "t-01")
        .unwrap();
    assert_eq!(r.totals, part.figures);
    assert!(!r.villages.is_empty());
    assert!(
        r.villages
            .iter()
            .all(|v| v.parent.as_ref().map(|p| p.as_str()) == Some("t-01"))
    );
    assert!(r.villages.len() < whole.villages.len());
    assert!(
        r.to_text().contains("全镇"),
        "a township's report speaks of 全镇"
    );
}

#[test]
fn spans_count_what_they_contain() {
    let c = city();
    let root = c.state().root().unwrap();
    let at = |from, as_of| StageFigures::of(c.state(), c.rules(), root, Span { from, as_of });
    let whole = &report().totals;
    // Before the 123 notice nothing of it is counted; the pledges were set in May.
    let june = at(None, jiff::civil::date(2010, 6, 30));
    assert_eq!(june.method123.visitors_received, 0);
    assert_eq!(june.pledges.made(), whole.pledges.made());
    assert!(
        june.pledges
            .fulfilled_of(chuangzheng::pledge::PledgeKind::PracticalMatter)
            < 13876
    );
    // From July on: the same 123 records, but no pledge set in the span.
    let since_july = at(Some(jiff::civil::date(2010, 7, 1)), demo::AS_OF);
    assert_eq!(since_july.method123.visitors_received, 4350);
    assert_eq!(since_july.pledges.made(), 0);
    // A span split at a day: additive records add up.
    let aug = jiff::civil::date(2010, 8, 31);
    let before = at(None, aug);
    let after = at(Some(jiff::civil::date(2010, 9, 1)), demo::AS_OF);
    assert_eq!(
        before.method123.visitors_received + after.method123.visitors_received,
        4350
    );
    assert_eq!(
        before.deliberation.proposed + after.deliberation.proposed,
        whole.deliberation.proposed
    );
    assert_eq!(
        before.activity.hotline_cases_received + after.activity.hotline_cases_received,
        whole.activity.hotline_cases_received
    );
}

#[test]
fn the_village_grid_has_every_village_and_month() {
    let r = report();
    assert_eq!(r.villages.len(), 206);
    assert_eq!(
        r.months.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
        ["2010-07", "2010-08", "2010-09", "2010-10"]
    );
    for v in &r.villages {
        assert_eq!(v.months.len(), 4);
        // July holds four full ISO weeks from the 5th and the month itself: all judged.
        assert!(v.months.iter().all(|t| t.judged > 0 && t.met <= t.judged));
    }
}

#[test]
fn the_grid_is_each_villages_own_verdicts_month_by_month_in_tree_order() {
    use chuangzheng::report::{Quota, village_verdicts};
    let c = city();
    let r = report();
    let start = r.method123_from.unwrap();
    let alone = village_verdicts(
        c.state(),
        c.rules(),
        c.state().root().unwrap(),
        start,
        demo::AS_OF,
    );
    assert_eq!(alone.len(), r.villages.len());
    for ((org, verdicts), row) in alone.iter().zip(&r.villages) {
        assert_eq!(c.state().org(*org).id, row.org, "tree order");
        for (m, tally) in r.months.iter().zip(&row.months) {
            let in_month: Vec<_> = verdicts
                .iter()
                .filter(|v| v.quota != Quota::Concerns && m.contains(v.period.last_day()))
                .collect();
            assert_eq!(tally.judged, in_month.len() as u64, "{} {m}", row.org);
            assert_eq!(
                tally.met,
                in_month.iter().filter(|v| v.met).count() as u64,
                "{} {m}",
                row.org
            );
        }
    }
}

#[test]
fn the_text_reads_like_the_seed() {
    let text = report().to_text();
    for phrase in [
        "共做出实事承诺24768件,已完成13876件,占总数的56.0%",
        "对25个党组织、268名党员的承诺书进行了修改完善",
        "增加效益1050万元",
        "全市206名村党组织书记和493名支委成员",
        "先后接待群众4350人次",
        "建组率86.6%",
        "共动议村级重大事项675件,乡镇党委政府审核否决12件,村民代表大会决议通过663件",
        "全市10267名党员干部累计捐款274.741万元",
        "帮扶款物折合人民币52.6万元",
        "全市共建立421支党员义工队伍,5937名党员参与活动",
    ] {
        assert!(text.contains(phrase), "the text lacks {phrase:?}\n{text}");
    }
}

#[test]
fn the_html_page_is_self_contained_with_three_charts() {
    let html = report().to_html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(html.matches("<svg ").count(), 3);
    assert_eq!(
        html.matches("<svg ").count(),
        html.matches("</svg>").count()
    );
    assert!(!html.contains("<script"), "no scripts");
    assert!(
        !html.contains("http://") || html.matches("http://").count() == 3,
        "the only URLs are the SVG namespaces"
    );
    assert!(html.contains("@page"), "print styles");
    assert!(html.contains("24768"));
}

#[test]
fn the_seeds_claims_are_supported_and_two_rates_only_under_a_reading() {
    let claims =
        Claims::from_json(include_str!("../examples/seed-claims.json")).expect("the example reads");
    let findings = audit(report(), &claims);
    assert_eq!(findings.len(), claims.claims.len());
    let under: Vec<&str> = findings
        .iter()
        .filter(|f| f.verdict == Support::SupportedUnderReading)
        .map(|f| f.claim.as_str())
        .collect();
    assert_eq!(under, ["non-public-rate", "social-rate"]);
    let np = findings
        .iter()
        .find(|f| f.claim == "non-public-rate")
        .unwrap();
    assert_eq!(np.computed.as_deref(), Some("71.6%"));
    assert_eq!(np.exact.as_deref(), Some("353/493"));
    assert!(np.reading.as_deref().unwrap().contains("427/493"));
    for f in &findings {
        assert!(
            matches!(
                f.verdict,
                Support::Supported | Support::SupportedUnderReading
            ),
            "{f:?}"
        );
    }
    let text = findings_text(&findings);
    assert!(text.contains("另一口径下有据 2，"), "{text}");
    assert!(text.contains("supported under a reading 2,"), "{text}");
    assert!(text.contains("[non-public-rate] 另一口径下有据 / supported under a reading"));
}

#[test]
fn the_audit_says_by_how_much_a_claim_is_off_and_what_it_cannot_check() {
    let claims = Claims::from_json(
        r#"{"claims": [
            {"id": "a", "figure": "pledge.practical.total", "claimed": "25000"},
            {"id": "b", "figure": "pledge.practical.completion_rate", "claimed": "57%"},
            {"id": "c", "figure": "no.such.figure", "claimed": "1"},
            {"id": "d", "figure": "pledge.practical.total", "claimed": "lots"},
            {"id": "e", "rate": {"numerator": 353, "denominator": 493}, "claimed": "71.6%"},
            {"id": "f", "rate": {"numerator": 353, "denominator": 0}, "claimed": "1%"},
            {"id": "g", "claimed": "1"},
            {"id": "h", "rate": {"numerator": "coverage.non_public.rate", "denominator": 1}, "claimed": "1"},
            {"id": "i", "figure": "service.donation.amount_yuan", "claimed": "274.74万元"}
        ]}"#,
    )
    .unwrap();
    let f = audit(report(), &claims);
    let v: Vec<Support> = f.iter().map(|f| f.verdict).collect();
    assert_eq!(
        v,
        [
            Support::Unsupported,
            Support::Unsupported,
            Support::Invalid,
            Support::Invalid,
            Support::Supported,
            Support::Invalid,
            Support::Invalid,
            Support::Invalid,
            Support::Supported,
        ]
    );
    assert_eq!(f[0].difference.as_deref(), Some("232"));
    assert_eq!(f[1].computed.as_deref(), Some("56%"));
    assert_eq!(f[1].difference.as_deref(), Some("1%"));
    assert!(f[2].problem.as_deref().unwrap().contains("no.such.figure"));
}

#[test]
fn a_bad_claims_file_names_the_field() {
    let e = Claims::from_json(r#"{"claims": [{"figure": "x", "claimed": 5}]}"#).unwrap_err();
    assert!(e.path.contains("claims[0].claimed"), "{}", e.path);
    let e = Claims::from_json(r#"{"claims": [{"figure": "x", "claimed": "5", "oops": 1}]}"#)
        .unwrap_err();
    assert!(e.message.contains("oops"), "{}", e.message);
}

#[test]
fn every_figure_key_is_documented() {
    let doc = include_str!("../docs/report.md");
    for (key, _) in report().totals.figures() {
        assert!(
            doc.contains(&format!("| `{key}` |")),
            "docs/report.md lacks {key}"
        );
    }
}

#[test]
fn the_demo_is_the_same_on_every_build() {
    let again = demo::build(&DemoSpec::seed()).unwrap();
    assert_eq!(again.seq(), city().seq());
    assert_eq!(
        again.last_hash(),
        city().last_hash(),
        "the same journal, record for record"
    );
    assert_eq!(again.latest_date(), Some(demo::AS_OF));
}
