//! The province generator: a province committee over copies of a demo city, every command
//! accepted, each city's figures those of the lone city, the province's their merge.

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{Campaign, Command};
use chuangzheng::model::OrgKind;
use chuangzheng::report::{Span, StageFigures, StageReport};
use chuangzheng::rules::RuleSet;

fn province(cities: u32) -> Campaign {
    let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
    let mut seen = Vec::new();
    let n = demo::populate_province(&mut c, &DemoSpec::small(), cities, 997, |k, done| {
        seen.push((k, done))
    })
    .expect("every command of the province is accepted");
    assert_eq!(c.seq(), n);
    assert_eq!(seen.len(), cities as usize);
    assert_eq!(seen.last().map(|s| s.1), Some(n));
    c
}

#[test]
fn each_city_of_a_province_has_the_lone_citys_figures_and_the_province_their_sum() {
    let lone = demo::build(&DemoSpec::small()).unwrap();
    let span = Span::as_of(demo::AS_OF);
    let lone_figures = StageFigures::of(
        lone.state(),
        lone.rules(),
        lone.state().root().unwrap(),
        span,
    );
    let p = province(3);
    let s = p.state();
    let root = s.root().unwrap();
    assert_eq!(s.org(root).kind, OrgKind::ProvinceCommittee);
    assert_eq!(s.children(root).len(), 3);
    let mut sum = StageFigures::default();
    for (k, city) in s.children(root).iter().enumerate() {
        assert_eq!(s.org(*city).id.as_str(), format!("k{k:03}.city"));
        assert_eq!(s.org(*city).kind, OrgKind::CityCommittee);
        let f = StageFigures::of(s, p.rules(), *city, span);
        assert_eq!(f, lone_figures, "city {k}");
        sum.merge(&f);
    }
    // The 123 quotas' periods are judged from the province's first record, the lone city's.
    let whole = StageFigures::of(s, p.rules(), root, span);
    assert_eq!(whole, sum);
    let report = StageReport::build(&p, root, span);
    assert_eq!(report.totals, whole);
    assert_eq!(report.parts.len(), 3);
    assert!(report.to_text().contains("全省"), "{}", report.to_text());
    // Three copies of the small city's villages in the 123 grid.
    let lone_report = StageReport::build(&lone, lone.state().root().unwrap(), span);
    assert_eq!(report.villages.len(), 3 * lone_report.villages.len());
}

#[test]
fn a_province_restores_from_its_own_snapshot() {
    let p = province(2);
    let again = Campaign::from_snapshot_json(&p.snapshot_json()).unwrap();
    assert_eq!(again.state_json(), p.state_json());
}

#[test]
fn only_a_province_committee_takes_cities_under_it() {
    let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
    let city = r#"{"at":"2010-05-01","actor":{"org":"a"},"event":{"create_org":{"id":"a","name":"甲市委","kind":"city_committee"}}}"#;
    c.execute(&Command::from_json(city).unwrap()).unwrap();
    let under_city = r#"{"at":"2010-05-01","actor":{"org":"a"},"event":{"create_org":{"id":"b","name":"乙市委","kind":"city_committee","parent":"a"}}}"#;
    let before = c.state_json();
    assert!(c.execute(&Command::from_json(under_city).unwrap()).is_err());
    assert_eq!(c.state_json(), before);
    let province = r#"{"at":"2010-05-01","actor":{"org":"a"},"event":{"create_org":{"id":"p","name":"省委","kind":"province_committee","parent":"a"}}}"#;
    assert!(c.execute(&Command::from_json(province).unwrap()).is_err());
}

#[test]
fn every_member_of_a_province_is_graded_and_one_pass_grades_as_each_organization_does() {
    use chuangzheng::model::{Granularity, Period};
    use chuangzheng::report::{all_member_grades, member_grades};
    let p = province(2);
    let s = p.state();
    assert_eq!(s.member_evaluations().len(), s.members().len());
    let round = Period::containing(demo::AS_OF, Granularity::Year);
    let all = all_member_grades(s, p.rules(), round);
    let graded: usize = all.iter().map(|(_, v)| v.len()).sum();
    assert_eq!(graded, s.members().len());
    for (org, verdicts) in &all {
        assert_eq!(verdicts, &member_grades(s, p.rules(), *org, round));
    }
    // The per-member index answers as a scan would, also after a snapshot round trip.
    let again = Campaign::from_snapshot_json(&p.snapshot_json()).unwrap();
    for (i, _) in s.members().iter().enumerate().step_by(7) {
        let m = chuangzheng::model::MemberIdx(i as u32);
        let scan: Vec<_> = s
            .member_evaluations()
            .iter()
            .filter(|e| e.member == m)
            .collect();
        assert_eq!(s.member_evaluations_of(m).collect::<Vec<_>>(), scan);
        assert_eq!(
            again.state().member_evaluations_of(m).collect::<Vec<_>>(),
            scan
        );
    }
}
