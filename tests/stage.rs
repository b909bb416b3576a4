//! The stage report on the demo city: the seed's figures as the engine computes them, shards
//! merged equal to the whole, spans, the text and HTML renderings, and the audit.

use std::sync::OnceLock;

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::Campaign;
use chuangzheng::ledger::Command;
use chuangzheng::model::OrgKind;
use chuangzheng::report::{
    Claims, Figure, Reading, Span, StageFigures, StageReport, Support, audit, findings_text,
};
use chuangzheng::rules::RuleSet;

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

/// docs/seed.md tells a reader what the 42 figures are, group by group (`pledge.*`: 5, …): its
/// table must count the same keys as the list the demo is checked against.
#[test]
fn docs_seed_md_counts_the_figures_of_the_table() {
    let doc = include_str!("../docs/seed.md");
    let heading = "\n## The 42 figures the demo reproduces\n";
    let start = doc.find(heading).expect("the section in docs/seed.md");
    let section = &doc[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut documented: Vec<(String, usize)> = section
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            let group = cells.get(1)?.strip_prefix('`')?.strip_suffix(".*`")?;
            Some((group.to_string(), cells.get(2)?.parse().ok()?))
        })
        .collect();
    let mut counted: Vec<(String, usize)> = Vec::new();
    for (key, _) in design_table() {
        let group = key.split('.').next().unwrap();
        match counted.iter_mut().find(|(g, _)| g == group) {
            Some((_, n)) => *n += 1,
            None => counted.push((group.to_string(), 1)),
        }
    }
    documented.sort();
    counted.sort();
    assert_eq!(
        documented, counted,
        "docs/seed.md's groups against design_figures.tsv"
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

/// The seed's 双包双联 ("全市有63个市直部门、71个事业单位和126名党员干部常年与63个农村党组织结对
/// 共建"), not in the table of the seed's figures (docs/seed.md): the demo reproduces the departments, the cadres and the
/// villages; its tree holds 63 institutions (40 schools and 23 clinics), not the seed's 71.
#[test]
fn the_demo_pairs_the_seeds_departments_and_cadres_with_its_villages() {
    let r = report();
    let count = |key: &str| match r.figure(key) {
        Some(Figure::Count(n)) => n,
        other => panic!("{key}: {other:?}"),
    };
    assert_eq!(count("pairing.departments"), 63);
    assert_eq!(count("pairing.cadres"), 126);
    assert_eq!(count("pairing.villages"), 63);
    let institutions = city()
        .state()
        .orgs()
        .iter()
        .filter(|o| matches!(o.kind, OrgKind::School | OrgKind::Clinic))
        .count() as u64;
    assert_eq!(count("pairing.institutions"), institutions);
    assert!(r.to_text().contains(
        "深化“双包双联”活动，全市有63个市直部门、63个事业单位和126名党员干部与63个农村党组织结对共建。"
    ));
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
        "截至2010年10月31日，共做出实事承诺24768件，已完成13876件，占总数的56.0%",
        "对25个党组织、268名党员的承诺书进行了修改完善",
        "增加效益1050万元",
        "全市206名村党组织书记和493名支委成员",
        "先后接待群众4350人次",
        "建组率86.6%",
        "共动议村级重大事项675件，乡镇党委政府审核否决12件，村民代表大会决议通过663件",
        "全市10267名党员干部累计捐款274.741万元",
        "帮扶款物折合人民币52.6万元",
        "全市共建立421支党员义工队伍，5937名党员参与活动",
        "范围：东港市委及所属党组织。统计期：自活动开始至2010年10月31日。统计口径：按截止日组织隶属关系统计。规则：默认规则（第1版）",
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
fn the_page_lists_every_part_and_its_captions_say_what_is_drawn() {
    let r = report();
    let html = r.to_html();
    for (key, _) in r.totals.figures() {
        assert!(!html.contains(&key), "the page shows the key {key}");
    }
    assert!(!html.contains("(city)") && !html.contains("default v1"));
    // 附表一: a row per direct subordinate, with its kind's Chinese label.
    for p in &r.parts {
        let row = format!("<tr><td>{}</td><td>{}</td>", p.name, p.kind.label_zh());
        assert!(html.contains(&row), "附表一 lacks {}", p.name);
    }
    // Figure 1 draws the township-level parts and says where the others are.
    let townships = r
        .parts
        .iter()
        .filter(|p| p.kind.is_township_level())
        .count();
    let caption = format!(
        "图1 各乡镇（街道、农场）实事承诺完成情况（浅色为已做出，深色为已完成，\
         右侧为已完成/已做出及完成率；其余{}个下级党组织见附表一）",
        r.parts.len() - townships
    );
    assert!(html.contains(&caption), "{caption}");
    // Figure 3: one cell per village and month, as its caption says.
    let cells = html.matches("width=\"6\" height=\"12\"").count();
    assert_eq!(cells, r.villages.len() * r.months.len());
    let groups = {
        let mut parents: Vec<_> = r.villages.iter().map(|v| &v.parent).collect();
        parents.dedup();
        parents.len()
    };
    let caption = format!(
        "（共{}个村，按所属{groups}个党组织分组；每个小格为一个村一个月",
        r.villages.len()
    );
    assert!(html.contains(&caption), "{caption}");
}

#[test]
fn a_townships_page_says_subordinates_and_labels_its_villages() {
    let c = city();
    let t = c.state().org_by_id("t-01").unwrap();
    let r = StageReport::build(c, t, Span::as_of(demo::AS_OF));
    let html = r.to_html();
    assert!(html.contains("图1 各下级党组织实事承诺完成情况"));
    assert!(
        !html.contains("各乡镇"),
        "a township's parts are not townships"
    );
    let label = format!("font-size=\"10\">{}</text>", r.scope_name);
    assert!(
        html.contains(&label),
        "the villages' block is named after the township"
    );
    assert!(html.contains(&format!(
        "（共{}个村，按所属1个党组织分组",
        r.villages.len()
    )));
    // A span with no pledge made draws no empty bars, and its sentence omits the rate.
    let span = Span {
        from: Some(jiff::civil::date(2010, 7, 1)),
        as_of: demo::AS_OF,
    };
    let since_july = StageReport::build(c, t, span);
    assert_eq!(
        since_july.figure("pledge.practical.total"),
        Some(Figure::Count(0))
    );
    let html = since_july.to_html();
    assert!(!html.contains("图1"), "no chart of nothing");
    assert_eq!(html.matches("<svg ").count(), 2);
    assert!(!since_july.to_text().contains("占总数的"));
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

/// A village moved from township t-a to t-b on 2010-07-01, with one reception before the move
/// (3 visitors) and one after (5 visitors).
fn moved_village() -> Campaign {
    let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
    for line in [
        r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"东港市委","kind":"city_committee"}}}"#,
        r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"t-a","name":"甲镇党委","kind":"township_committee","parent":"city"}}}"#,
        r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"t-b","name":"乙镇党委","kind":"township_committee","parent":"city"}}}"#,
        r#"{"at":"2010-05-01","actor":{"org":"t-a"},"event":{"create_org":{"id":"v-1","name":"大鹿村党支部","kind":"village","parent":"t-a"}}}"#,
        r#"{"at":"2010-05-01","actor":{"org":"v-1"},"event":{"add_member":{"id":"m-1","org":"v-1","category":"farmer","role":"secretary"}}}"#,
        r#"{"at":"2010-06-01","actor":{"org":"v-1"},"event":{"record_reception":{"village":"v-1","cadres":["m-1"],"visitors":3}}}"#,
        r#"{"at":"2010-07-01","actor":{"org":"city"},"event":{"move_org":{"org":"v-1","parent":"t-b"}}}"#,
        r#"{"at":"2010-08-01","actor":{"org":"v-1"},"event":{"record_reception":{"village":"v-1","cadres":["m-1"],"visitors":5}}}"#,
    ] {
        c.execute(&Command::from_json(line).unwrap()).unwrap();
    }
    c
}

#[test]
fn a_townships_historical_report_holds_the_records_of_the_days_its_villages_stood_under_it() {
    let c = moved_village();
    let s = c.state();
    let visitors = |scope: &str, reading| {
        let org = s.org_by_id(scope).unwrap();
        let r = StageReport::build_with(&c, org, Span::as_of(demo::AS_OF), reading);
        match r.figure("m123.visitors_received") {
            Some(Figure::Count(n)) => n,
            other => panic!("{other:?}"),
        }
    };
    // The as-of reading: the village brings both receptions to t-b.
    assert_eq!(visitors("t-a", Reading::AsOf), 0);
    assert_eq!(visitors("t-b", Reading::AsOf), 3 + 5);
    // The historical reading: each township keeps the reception of its own days, so the two
    // still add up to the city (the moved village is a part of both, for its days there).
    assert_eq!(visitors("t-a", Reading::Historical), 3);
    assert_eq!(visitors("t-b", Reading::Historical), 5);
    assert_eq!(visitors("city", Reading::Historical), 3 + 5);
    assert_eq!(visitors("city", Reading::AsOf), 3 + 5);
}

/// What an official's page must not show: ASCII commas, semicolons and colons (a 公文 writes
/// ，；：), any figure key of the JSON, and (when `no_latin`) any Latin letter. Returns the
/// offending lines.
fn unofficial_lines(text: &str, no_latin: bool) -> Vec<String> {
    let keys: Vec<String> = report()
        .totals
        .figures()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    text.lines()
        .filter(|l| {
            l.contains([',', ';', ':'])
                || keys.iter().any(|k| l.contains(k.as_str()))
                || (no_latin && l.chars().any(|c| c.is_ascii_alphabetic()))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_text_uses_full_width_punctuation_and_no_key_or_english() {
    let text = report().to_text();
    let bad = unofficial_lines(&text, true);
    assert!(
        bad.is_empty(),
        "lines an official cannot sign:\n{}",
        bad.join("\n")
    );
    // Every direct subordinate is in the table by name and kind: the 63 city departments too.
    assert_eq!(report().parts.len(), 86);
    for p in &report().parts {
        let row = format!("  {}", p.name);
        assert!(
            text.lines()
                .any(|l| l.starts_with(&row) && l.contains(p.kind.label_zh())),
            "附表一 lacks {}",
            p.name
        );
    }
    assert_eq!(text.matches("市直部门党委").count(), 63);
}

#[test]
fn a_scoped_span_is_worded_as_a_span() {
    let c = city();
    let t = c.state().org_by_id("t-01").unwrap();
    let span = Span {
        from: Some(jiff::civil::date(2010, 7, 1)),
        as_of: jiff::civil::date(2010, 9, 30),
    };
    let text = StageReport::build(c, t, span).to_text();
    assert!(
        text.contains("统计期：2010年7月1日至2010年9月30日")
            && text.contains("统计期内（2010年7月1日至2010年9月30日）共做出实事承诺0件"),
        "{text}"
    );
    assert!(
        !text.contains("截至"),
        "a span is not 截至 its last day:\n{text}"
    );
    // Below the city too, no id, key, ASCII punctuation or Latin letter reaches the page.
    let bad = unofficial_lines(&text, true);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    let whole = StageReport::build(c, t, Span::as_of(demo::AS_OF)).to_text();
    assert!(
        whole.contains("截至2010年10月31日，共做出实事承诺"),
        "{whole}"
    );
}

/// `n / d` (times 100 when `percent`) rounded half up to `places`, in integers, written with
/// its places: the check's own arithmetic, apart from the library's.
fn half_up(n: u64, d: u64, percent: bool, places: u32) -> String {
    let scale = 10u128.pow(places + if percent { 2 } else { 0 });
    let (n, d) = (u128::from(n) * scale, u128::from(d));
    let q = (2 * n + d) / (2 * d); // floor(n/d + 1/2)
    let unit = 10u128.pow(places);
    if places == 0 {
        return q.to_string();
    }
    format!("{}.{:0width$}", q / unit, q % unit, width = places as usize)
}

/// A figure as the page should write it with `pct` places of percent and `wan` places of 万元,
/// half up, worked out here in integers.
fn expected_display(f: Figure, pct: u32, wan: u32) -> String {
    match f {
        Figure::Count(n) => n.to_string(),
        Figure::Rate(None) => "—".to_string(),
        Figure::Rate(Some(r)) => format!("{}%", half_up(r.numerator(), r.denominator(), true, pct)),
        Figure::Yuan(y) if y < rust_decimal::Decimal::from(10_000) => {
            format!("{}元", y.normalize())
        }
        Figure::Yuan(y) => {
            let fen: u64 = (y * rust_decimal::Decimal::from(100))
                .trunc()
                .to_string()
                .parse()
                .unwrap();
            let w = half_up(fen, 1_000_000, false, wan);
            let w = if w.contains('.') {
                w.trim_end_matches('0').trim_end_matches('.')
            } else {
                &w
            };
            format!("{w}万元")
        }
    }
}

#[test]
fn the_rule_sets_rounding_reaches_the_report_and_the_json_display() {
    use chuangzheng::rules::{RoundingRules, RuleSet};
    let rounding = RoundingRules {
        rate_places: 6,
        percent_places: 3,
        wan_places: 1,
        ..RoundingRules::default()
    };
    let rules = RuleSet {
        rounding: rounding.clone(),
        ..RuleSet::default()
    };
    let mut own = Campaign::in_memory(demo::info(), rules).unwrap();
    demo::populate(&mut own, &DemoSpec::small(), 1 << 16).unwrap();
    let defaults = demo::build(&DemoSpec::small()).unwrap();
    let at =
        |c: &Campaign| StageReport::build(c, c.state().root().unwrap(), Span::as_of(demo::AS_OF));
    let (mine, theirs) = (at(&own), at(&defaults));
    assert_eq!(
        mine.display.rounding, rounding,
        "the report keeps its rules' rounding"
    );
    // The figures are the same; only their display differs.
    assert_eq!(mine.totals, theirs.totals);
    let json = |r: &StageReport| serde_json::from_str::<serde_json::Value>(&r.to_json()).unwrap();
    let (mj, tj) = (json(&mine), json(&theirs));
    assert_eq!(
        mj["figures"], tj["figures"],
        "`figures` keeps its fixed format"
    );
    let display = &mj["display"];
    assert_eq!(display["rounding"]["percent_places"], 3);
    for (key, f) in mine.totals.figures() {
        let want = expected_display(f, 3, 1);
        assert_eq!(display["figures"][&key], want.as_str(), "{key}");
        assert_eq!(
            tj["display"]["figures"][&key],
            expected_display(f, 1, 3).as_str(),
            "{key}"
        );
        if let Figure::Rate(r) = f {
            let fraction = r.map(|r| half_up(r.numerator(), r.denominator(), false, 6));
            assert_eq!(display["rates"][&key], serde_json::json!(fraction), "{key}");
        }
    }
    assert_eq!(
        display["labels"]["pledge.practical.total"],
        "实事承诺（件）"
    );
    let text = mine.to_text();
    let np = expected_display(mine.figure("coverage.non_public.rate").unwrap(), 3, 1);
    assert!(text.contains(&format!("建组率{np}")), "{np} not in\n{text}");
    assert!(mine.to_html().contains(&np), "the page rounds as the text");
    assert!(text.contains("百分比保留3位小数、万元保留1位小数，四舍五入"));
}

#[test]
fn wan_places_and_percent_places_round_the_seed_citys_amounts_and_rates() {
    use chuangzheng::rules::RoundingRules;
    let mut r = report().clone();
    r.display.rounding = RoundingRules {
        percent_places: 2,
        wan_places: 1,
        ..RoundingRules::default()
    };
    let text = r.to_text();
    let html = r.to_html();
    for key in [
        "service.donation.amount_yuan",
        "pledge.practical.completion_rate",
        "coverage.social.rate",
    ] {
        let want = expected_display(r.figure(key).unwrap(), 2, 1);
        assert!(
            text.contains(&want) && html.contains(&want),
            "{key}: {want}"
        );
    }
    // Each part's donations in 附表一, as its own figures give them.
    for p in &r.parts {
        let donated = Figure::Yuan(p.figures.activity.donation_amount_yuan());
        let want = expected_display(donated, 2, 1);
        let row = text
            .lines()
            .find(|l| l.starts_with(&format!("  {} ", p.name)))
            .unwrap();
        assert!(row.trim_end().ends_with(&want), "{row} / {want}");
    }
}
