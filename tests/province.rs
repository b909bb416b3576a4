//! The province generator: a province committee over copies of a demo city, every command
//! accepted, each city's figures those of the lone city, the province's their merge.

use chuangzheng::demo::{self, DemoSpec};
use chuangzheng::ledger::{Campaign, Command};
use chuangzheng::model::OrgKind;
use chuangzheng::report::{Quota, Span, StageFigures, StageReport, compliance};
use chuangzheng::rules::RuleSet;
use jiff::civil::{Date, date};

fn province(spec: &DemoSpec, cities: u32) -> Campaign {
    let mut c = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
    let mut seen = Vec::new();
    let n = demo::populate_province(&mut c, spec, cities, 997, |k, done| seen.push((k, done)))
        .expect("every command of the province is accepted");
    assert_eq!(c.seq(), n);
    assert_eq!(seen.len(), cities as usize);
    assert_eq!(seen.last().map(|s| s.1), Some(n));
    c
}

/// The small city with its 123 method carried on for a year, as the province benches build it.
fn small_over_a_year() -> DemoSpec {
    let spec = DemoSpec::small();
    DemoSpec {
        method123: spec.method123.for_a_year(),
        ..spec
    }
}

/// Three cities of `spec` under a province, each with the lone city's figures as of `as_of`,
/// the province's their merge.
fn check_cities(spec: &DemoSpec, as_of: Date) {
    let lone = demo::build(spec).unwrap();
    let span = Span::as_of(as_of);
    let lone_figures = StageFigures::of(
        lone.state(),
        lone.rules(),
        lone.state().root().unwrap(),
        span,
    );
    let p = province(spec, 3);
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
fn each_city_of_a_province_has_the_lone_citys_figures_and_the_province_their_sum() {
    check_cities(&DemoSpec::small(), demo::AS_OF);
}

#[test]
fn a_province_whose_123_records_cover_a_year_adds_up_too() {
    let spec = small_over_a_year();
    check_cities(&spec, spec.method123.until);
}

#[test]
fn a_years_123_records_hold_a_reception_every_week_and_visits_every_month() {
    let seed = demo::method123::Method123Plan::seed();
    let year = seed.for_a_year();
    assert_eq!((year.from, year.until), (seed.from, date(2011, 6, 30)));
    // Scaled by the days covered: 365 against the seed's 123 (1 July to 31 October).
    let (days, seed_days) = (
        (year.until - year.from).get_days() + 1,
        (seed.until - seed.from).get_days() + 1,
    );
    assert_eq!((days, seed_days), (365, 123));
    let scaled = |n: u32| (u64::from(n) * 365 / 123) as u32;
    assert_eq!(year.visitors, scaled(seed.visitors));
    assert_eq!(year.concerns, scaled(seed.concerns));
    assert_eq!(year.resolved, scaled(seed.resolved));
    assert_eq!(year.households, seed.households);

    let spec = small_over_a_year();
    let p = province(&spec, 2);
    let s = p.state();
    let (from, until) = (spec.method123.from, spec.method123.until);
    let villages = s
        .orgs()
        .iter()
        .filter(|o| o.kind == OrgKind::Village)
        .count();
    // A reception in every village every week whose Monday falls from `from` to `until`.
    let mondays = std::iter::successors(Some(from), |d| d.tomorrow().ok())
        .take_while(|d| *d <= until)
        .filter(|d| d.weekday() == jiff::civil::Weekday::Monday)
        .count();
    assert_eq!(mondays, 52);
    assert_eq!(s.receptions().len(), villages * mondays);
    let dates = s.receptions().iter().map(|r| r.on);
    assert_eq!(dates.clone().min(), Some(date(2010, 7, 5)));
    assert!(
        dates
            .max()
            .is_some_and(|d| d > date(2011, 6, 26) && d <= until)
    );
    // Visits in each of the twelve months.
    let mut months: Vec<_> = s.visits().iter().map(|v| v.on.first_of_month()).collect();
    months.sort();
    months.dedup();
    assert_eq!(months.len(), 12);
    // Every cadre met the visits quota in each of the twelve months, and every village the
    // receptions quota in every full week (the week of 27 June 2011 ends after `until`).
    let full_weeks = std::iter::successors(Some(from), |d| d.tomorrow().ok())
        .take_while(|d| *d <= until)
        .filter(|d| {
            d.weekday() == jiff::civil::Weekday::Monday
                && d.checked_add(jiff::Span::new().days(6))
                    .is_ok_and(|s| s <= until)
        })
        .count();
    assert_eq!(full_weeks, 51);
    let root = s.root().unwrap();
    let c = compliance(s, p.rules(), root, from, until);
    let visits = c.cadres_for(Quota::Visits);
    assert!(visits.judged > 0);
    assert_eq!(visits.met, visits.judged);
    assert_eq!(c.orgs_for(Quota::Visits).judged, (villages * 12) as u64);
    let receptions = c.orgs_for(Quota::Receptions);
    assert_eq!(receptions.judged, (villages * full_weeks) as u64);
    assert_eq!(receptions.met, receptions.judged);
    // A range a century past the records judges every whole week of it, and finds met the
    // weeks with a reception: all 52, the one `until` cut short now whole.
    let far = date(2110, 6, 30);
    let century = compliance(s, p.rules(), root, from, far).orgs_for(Quota::Receptions);
    let weeks = ((far - date(2010, 7, 5)).get_days() + 1) / 7;
    assert_eq!(century.judged, villages as u64 * weeks as u64);
    assert_eq!(century.met, (villages * mondays) as u64);
}

#[test]
fn a_province_restores_from_its_own_snapshot() {
    let p = province(&DemoSpec::small(), 2);
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
    let p = province(&DemoSpec::small(), 2);
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
