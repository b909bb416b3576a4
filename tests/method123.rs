//! The 123 work method through the ledger: households, receptions, visits, concerns and their
//! escalation, every refusal, and the figures.

use chuangzheng::Coded;
use chuangzheng::ledger::{Actor, Campaign, CampaignInfo, Command, Event};
use chuangzheng::method123::{Channel, ConcernCategory, Tier, escalation_day, escalation_due};
use chuangzheng::model::{ExtId, LeaderLevel, MemberCategory, Name, OrgKind, Role, Stamp};
use chuangzheng::report::Method123Figures;
use chuangzheng::rules::{EscalationRules, RuleSet};
use jiff::civil::{Date, date};

fn id(s: &str) -> ExtId {
    ExtId::new("test", s).unwrap()
}

fn name(s: &str) -> Name {
    Name::new("test", s).unwrap()
}

const D0: Date = date(2010, 5, 1);

fn on(d: Date, actor: Actor, event: Event) -> Command {
    Command::new(Stamp::on(d), actor, event)
}

fn org(s: &str) -> Actor {
    Actor::org(&id(s))
}

fn member(s: &str) -> Actor {
    Actor::Member { member: id(s) }
}

fn day(m: i8, d: i8) -> Date {
    date(2010, m, d)
}

/// city ─┬ t-01 ─┬ v-1 (m-1 secretary, m-2 committee, m-3 ordinary)
///       │       └ v-2 (m-4 secretary)
///       └ t-02 ── v-3 (m-5 secretary)
/// Households h-1, h-2 in v-1; h-3 in v-2; h-4 in v-3.
fn campaign() -> Campaign {
    let mut c = new_campaign();
    for cmd in &fixture_commands() {
        c.execute(cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    }
    c
}

fn new_campaign() -> Campaign {
    Campaign::in_memory(
        CampaignInfo {
            id: id("m123"),
            name: name("123工作法测试"),
        },
        RuleSet::default(),
    )
    .unwrap()
}

fn fixture_commands() -> Vec<Command> {
    let create = |actor: &str, new: &str, kind, parent: Option<&str>| {
        on(
            D0,
            org(actor),
            Event::CreateOrg(chuangzheng::org::CreateOrg {
                id: id(new),
                name: name(new),
                kind,
                parent: parent.map(id),
            }),
        )
    };
    let add = |m: &str, v: &str, role| {
        on(
            D0,
            org("city"),
            Event::AddMember(chuangzheng::org::AddMember {
                id: id(m),
                org: id(v),
                category: MemberCategory::Farmer,
                role,
                leader_level: LeaderLevel::None,
            }),
        )
    };
    let household = |h: &str, v: &str| {
        on(
            D0,
            org(v),
            Event::RegisterHousehold(chuangzheng::method123::RegisterHousehold {
                id: id(h),
                village: id(v),
            }),
        )
    };
    vec![
        create("city", "city", OrgKind::CityCommittee, None),
        create("city", "t-01", OrgKind::TownshipCommittee, Some("city")),
        create("city", "t-02", OrgKind::TownshipCommittee, Some("city")),
        create("t-01", "v-1", OrgKind::Village, Some("t-01")),
        create("t-01", "v-2", OrgKind::Village, Some("t-01")),
        create("t-02", "v-3", OrgKind::Village, Some("t-02")),
        add("m-1", "v-1", Role::Secretary),
        add("m-2", "v-1", Role::CommitteeMember),
        add("m-3", "v-1", Role::Ordinary),
        add("m-4", "v-2", Role::Secretary),
        add("m-5", "v-3", Role::Secretary),
        household("h-1", "v-1"),
        household("h-2", "v-1"),
        household("h-3", "v-2"),
        household("h-4", "v-3"),
    ]
}

#[track_caller]
fn refused(c: &mut Campaign, cmd: Command, code: u32) -> chuangzheng::ledger::LedgerError {
    let before = (c.state_json(), c.seq(), c.last_hash());
    let err = c.execute(&cmd).expect_err("accepted");
    assert_eq!(err.code(), code, "{err}");
    assert!(!err.message_zh().is_empty());
    assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
    err
}

fn reception(d: Date, actor: Actor, village: &str, cadres: &[&str], visitors: u32) -> Command {
    on(
        d,
        actor,
        Event::RecordReception(chuangzheng::method123::RecordReception {
            village: id(village),
            cadres: bounded(cadres.iter().map(|m| id(m)).collect()),
            visitors,
        }),
    )
}

fn visit(d: Date, actor: Actor, cadre: &str, household: &str) -> Command {
    on(
        d,
        actor,
        Event::RecordVisit(chuangzheng::method123::RecordVisit {
            cadre: id(cadre),
            household: id(household),
        }),
    )
}

fn raise(d: Date, actor: Actor, concern: &str, village: &str) -> Command {
    on(
        d,
        actor,
        Event::RaiseConcern(chuangzheng::method123::RaiseConcern {
            id: id(concern),
            village: id(village),
            raised_by: Some(name("村民张某")),
            channel: Channel::Reception,
            category: ConcernCategory::LandBoundary,
            text: long_text("与邻户地边界限不清"),
        }),
    )
}

fn escalate(d: Date, actor: Actor, concern: &str, to: Tier) -> Command {
    on(
        d,
        actor,
        Event::EscalateConcern(chuangzheng::method123::EscalateConcern {
            concern: id(concern),
            to,
        }),
    )
}

fn resolve(d: Date, actor: Actor, concern: &str, handler: Option<&str>) -> Command {
    on(
        d,
        actor,
        Event::ResolveConcern(chuangzheng::method123::ResolveConcern {
            concern: id(concern),
            outcome: long_text("双方协商重新划定地界"),
            feedback: Some(long_text("已当面告知村民")),
            handler: handler.map(id),
        }),
    )
}

#[test]
fn households_are_registered_per_village() {
    let mut c = campaign();
    let register = |actor: &str, h: &str, v: &str| {
        on(
            day(5, 2),
            org(actor),
            Event::RegisterHousehold(chuangzheng::method123::RegisterHousehold {
                id: id(h),
                village: id(v),
            }),
        )
    };
    refused(&mut c, register("v-2", "h-9", "v-1"), 3004);
    refused(&mut c, register("t-01", "h-9", "t-01"), 3010);
    refused(&mut c, register("v-1", "h-1", "v-1"), 3003);
    refused(&mut c, register("v-1", "h-9", "v-99"), 3002);
    c.execute(&register("t-01", "h-9", "v-1")).unwrap();
    // Removed after its last visit, not on or before it.
    c.execute(&visit(day(5, 10), org("v-1"), "m-1", "h-9"))
        .unwrap();
    let remove = |d: Date| {
        on(
            d,
            org("v-1"),
            Event::RemoveHousehold(chuangzheng::method123::RemoveHousehold {
                household: id("h-9"),
            }),
        )
    };
    refused(&mut c, remove(day(5, 10)), 3013);
    c.execute(&remove(day(5, 11))).unwrap();
    refused(&mut c, remove(day(5, 12)), 3014);
    // Off the register: no more visits.
    refused(&mut c, visit(day(5, 12), org("v-1"), "m-1", "h-9"), 3025);
    let s = c.state();
    let h = s.household(s.household_by_id("h-9").unwrap());
    assert!(h.registered_on(day(5, 10)) && !h.registered_on(day(5, 11)));
}

#[test]
fn receptions_are_by_the_villages_cadres() {
    let mut c = campaign();
    c.execute(&reception(
        day(5, 3),
        org("v-1"),
        "v-1",
        &["m-1", "m-2"],
        12,
    ))
    .unwrap();
    // A cadre on duty records it; an ordinary member cannot, nor be listed.
    c.execute(&reception(day(5, 10), member("m-2"), "v-1", &["m-2"], 3))
        .unwrap();
    refused(
        &mut c,
        reception(day(5, 10), member("m-3"), "v-1", &["m-1"], 3),
        3004,
    );
    let err = refused(
        &mut c,
        reception(day(5, 10), org("v-1"), "v-1", &["m-3"], 3),
        3024,
    );
    assert!(err.message_en().contains("event.cadres"));
    // A cadre of another village is no cadre of this one.
    refused(
        &mut c,
        reception(day(5, 10), org("t-01"), "v-1", &["m-4"], 3),
        3024,
    );
    // Bounds: no cadres, a cadre twice, no visitors, too many.
    refused(
        &mut c,
        reception(day(5, 10), org("v-1"), "v-1", &[], 3),
        1009,
    );
    refused(
        &mut c,
        reception(day(5, 10), org("v-1"), "v-1", &["m-1", "m-1"], 3),
        1013,
    );
    refused(
        &mut c,
        reception(day(5, 10), org("v-1"), "v-1", &["m-1"], 0),
        1009,
    );
    refused(
        &mut c,
        reception(day(5, 10), org("v-1"), "v-1", &["m-1"], 10_001),
        1009,
    );
    // Not a village, and another township's village.
    refused(
        &mut c,
        reception(day(5, 10), org("t-01"), "t-01", &["m-1"], 3),
        3010,
    );
    refused(
        &mut c,
        reception(day(5, 10), org("t-02"), "v-1", &["m-1"], 3),
        3004,
    );
    assert_eq!(c.state().receptions().len(), 2);
}

#[test]
fn visits_are_to_households_on_the_cadres_own_register() {
    let mut c = campaign();
    c.execute(&visit(day(5, 4), member("m-2"), "m-2", "h-1"))
        .unwrap();
    c.execute(&visit(day(5, 4), org("v-1"), "m-1", "h-2"))
        .unwrap();
    // Another village's household; a non-cadre; someone else recording a cadre's visit.
    refused(&mut c, visit(day(5, 4), org("t-01"), "m-1", "h-3"), 3025);
    refused(&mut c, visit(day(5, 4), org("v-1"), "m-3", "h-1"), 3024);
    refused(&mut c, visit(day(5, 4), member("m-3"), "m-1", "h-1"), 3004);
    refused(&mut c, visit(day(5, 4), org("v-1"), "m-1", "h-99"), 3002);
    // Not before the village existed.
    refused(&mut c, visit(day(4, 30), org("v-1"), "m-1", "h-1"), 3013);
    assert_eq!(c.state().visits().len(), 2);
}

#[test]
fn concerns_are_handled_in_three_tiers_by_the_deadlines() {
    let mut c = campaign();
    let raised = day(6, 1);
    refused(&mut c, raise(raised, member("m-3"), "q-1", "v-1"), 3004);
    c.execute(&raise(raised, member("m-1"), "q-1", "v-1"))
        .unwrap();
    refused(&mut c, raise(raised, org("v-1"), "q-1", "v-1"), 3003);
    // A blank text cannot be built, nor read from a host's JSON.
    let e = chuangzheng::model::LongText::new("event.text", " ").unwrap_err();
    assert_eq!(e.code(), 1001);
    let json = r#"{"at":"2010-06-01","actor":{"org":"v-1"},"event":{"raise_concern":{"id":"q-2","village":"v-1","channel":"other","category":"other","text":" "}}}"#;
    let e = Command::from_json(json).unwrap_err();
    assert_eq!(e.code(), 3001);
    assert!(
        e.message_zh()
            .contains("字段 event.raise_concern.text：不能为空"),
        "{}",
        e.message_zh()
    );
    // The defaults: 15 days at the village, 15 more at the township.
    let to_township = escalation_day(raised, Tier::Township, &c.rules().escalation);
    assert_eq!(to_township, day(6, 16));
    refused(
        &mut c,
        escalate(day(6, 15), org("t-01"), "q-1", Tier::Township),
        3026,
    );
    refused(
        &mut c,
        escalate(day(6, 16), org("t-01"), "q-1", Tier::PartyCommittee),
        3026,
    );
    refused(
        &mut c,
        escalate(day(6, 16), org("v-1"), "q-1", Tier::Township),
        3004,
    );
    refused(
        &mut c,
        escalate(day(6, 16), org("t-02"), "q-1", Tier::Township),
        3004,
    );
    // Due but not recorded yet: overdue in the figures, listed by escalation_due.
    let s = c.state();
    let q = s.concern(s.concern_by_id("q-1").unwrap());
    let due = escalation_due(q, day(6, 20), &c.rules().escalation);
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].on, due[0].to), (day(6, 16), Tier::Township));
    assert_eq!(escalation_due(q, day(7, 1), &c.rules().escalation).len(), 2);
    let f = Method123Figures::of(s, c.rules(), s.root().unwrap(), day(6, 20));
    assert_eq!(f.concerns_overdue, 1);
    c.execute(&escalate(day(6, 20), org("t-01"), "q-1", Tier::Township))
        .unwrap();
    // At the township tier the village no longer resolves it; the township does.
    refused(&mut c, resolve(day(6, 25), org("v-1"), "q-1", None), 3004);
    refused(&mut c, resolve(day(6, 19), org("t-01"), "q-1", None), 3013);
    refused(
        &mut c,
        resolve(day(6, 25), org("t-01"), "q-1", Some("m-3")),
        3024,
    );
    c.execute(&resolve(day(6, 25), org("t-01"), "q-1", Some("m-1")))
        .unwrap();
    refused(&mut c, resolve(day(6, 26), org("t-01"), "q-1", None), 3026);
    refused(
        &mut c,
        escalate(day(7, 1), org("t-01"), "q-1", Tier::PartyCommittee),
        3026,
    );
    let s = c.state();
    let q = s.concern(s.concern_by_id("q-1").unwrap());
    assert_eq!(q.tier_on(day(6, 19)), Tier::Village);
    assert_eq!(q.tier_on(day(6, 20)), Tier::Township);
    assert!(escalation_due(q, day(9, 1), &c.rules().escalation).is_empty());
    let r = q.resolution.as_ref().unwrap();
    assert_eq!(r.tier, Tier::Township);
    assert_eq!(r.feedback.as_deref(), Some("已当面告知村民"));
}

#[test]
fn a_concern_resolved_in_the_village_by_one_of_its_cadres() {
    let mut c = campaign();
    c.execute(&raise(day(6, 1), org("v-1"), "q-1", "v-1"))
        .unwrap();
    refused(&mut c, resolve(day(5, 31), org("v-1"), "q-1", None), 3013);
    refused(&mut c, resolve(day(6, 3), member("m-3"), "q-1", None), 3004);
    c.execute(&resolve(day(6, 3), member("m-2"), "q-1", Some("m-2")))
        .unwrap();
}

#[test]
fn escalation_deadlines_cross_month_and_leap_day_edges() {
    let rules = EscalationRules {
        village_days: 15,
        township_days: 10,
    };
    let leap = date(2012, 2, 14);
    assert_eq!(
        escalation_day(leap, Tier::Township, &rules),
        date(2012, 2, 29)
    );
    assert_eq!(
        escalation_day(leap, Tier::PartyCommittee, &rules),
        date(2012, 3, 10)
    );
    let year_end = date(2026, 12, 20);
    assert_eq!(
        escalation_day(year_end, Tier::Township, &rules),
        date(2027, 1, 4)
    );
    assert_eq!(escalation_day(year_end, Tier::Village, &rules), year_end);
}

#[test]
fn figures_count_the_records_and_merge_by_township() {
    let mut c = campaign();
    for cmd in [
        reception(day(5, 3), org("v-1"), "v-1", &["m-1", "m-2"], 12),
        reception(day(5, 10), org("v-2"), "v-2", &["m-4"], 5),
        reception(day(5, 10), org("v-3"), "v-3", &["m-5"], 7),
        visit(day(5, 4), org("v-1"), "m-1", "h-1"),
        visit(day(5, 5), org("v-1"), "m-2", "h-1"),
        visit(day(5, 6), org("v-1"), "m-2", "h-2"),
        visit(day(5, 6), org("v-3"), "m-5", "h-4"),
        raise(day(5, 7), org("v-1"), "q-1", "v-1"),
        raise(day(5, 7), org("v-2"), "q-2", "v-2"),
        raise(day(5, 8), org("v-3"), "q-3", "v-3"),
        resolve(day(5, 9), org("v-1"), "q-1", Some("m-1")),
        resolve(day(5, 9), org("v-3"), "q-3", None),
    ] {
        c.execute(&cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    }
    let s = c.state();
    let root = s.root().unwrap();
    let f = Method123Figures::of(s, c.rules(), root, day(5, 31));
    // Expected values counted by hand from the records above.
    assert_eq!((f.secretaries, f.committee_members), (3, 1));
    assert_eq!(f.cadres_taking_part, 4);
    assert_eq!((f.receptions, f.visitors_received), (3, 24));
    assert_eq!((f.household_visits, f.households_visited), (4, 3));
    assert_eq!(f.concerns_collected, 3);
    assert_eq!(f.concerns_resolved(), 2);
    assert_eq!(f.concerns_open_by_tier, [1, 0, 0]);
    assert_eq!(
        f.concerns_overdue, 1,
        "q-2 raised 05-07 is due at the township on 05-22"
    );
    // As of an earlier day, only what was recorded by then.
    let early = Method123Figures::of(s, c.rules(), root, day(5, 5));
    assert_eq!((early.household_visits, early.concerns_collected), (2, 0));
    // The townships' parts merge into the whole.
    let mut merged = Method123Figures::default();
    for &t in s.children(root) {
        merged.merge(&Method123Figures::of(s, c.rules(), t, day(5, 31)));
    }
    assert_eq!(merged, f);
    let t01 = Method123Figures::of(s, c.rules(), s.org_by_id("t-01").unwrap(), day(5, 31));
    assert_eq!((t01.visitors_received, t01.concerns_collected), (17, 2));
    // The records survive a snapshot.
    let loaded = Campaign::from_snapshot_json(&c.snapshot_json()).unwrap();
    assert_eq!(loaded.state_json(), c.state_json());
    let again = Method123Figures::of(loaded.state(), loaded.rules(), root, day(5, 31));
    assert_eq!(again, f);
}

#[test]
fn records_replay_from_the_journal() {
    let mut c = new_campaign();
    let mut journal = c.header_line();
    let records = [
        reception(day(5, 3), org("v-1"), "v-1", &["m-1"], 2),
        visit(day(5, 4), org("v-1"), "m-1", "h-1"),
        raise(day(5, 7), org("v-1"), "q-1", "v-1"),
        escalate(day(5, 22), org("t-01"), "q-1", Tier::Township),
        resolve(day(5, 23), org("t-01"), "q-1", None),
    ];
    for cmd in fixture_commands().iter().chain(&records) {
        journal.push_str(&c.execute(cmd).unwrap().line);
    }
    let (replayed, report) = Campaign::replay(journal.as_bytes()).unwrap();
    assert_eq!(report.records, c.seq());
    assert_eq!(replayed.state_json(), c.state_json());
    assert_eq!(replayed.last_hash(), c.last_hash());
    // Commands read from JSON, and written back the same.
    let json = r#"{"at":"2010-05-24","actor":{"member":"m-1"},"event":{"raise_concern":{"id":"q-9","village":"v-1","channel":"visit","category":"housing_application","text":"申请建房"}}}"#;
    let cmd = Command::from_json(json).unwrap();
    assert_eq!(Command::from_json(&cmd.to_json()).unwrap(), cmd);
    c.execute(&cmd).unwrap();
}

// ---------------------------------------------------------------- quota compliance

use chuangzheng::report::{Quota, cadre_verdicts, compliance};

fn post(d: Date, m: &str, v: &str, role: Role) -> Command {
    on(
        d,
        org("city"),
        Event::PostMember(chuangzheng::org::PostMember {
            member: id(m),
            org: id(v),
            role,
        }),
    )
}

#[test]
fn weekly_receptions_are_judged_by_iso_week_across_the_year_end() {
    let mut c = campaign();
    // 2026-W53 runs from Monday 2026-12-28 to Sunday 2027-01-03.
    c.execute(&reception(date(2027, 1, 2), org("v-1"), "v-1", &["m-1"], 4))
        .unwrap();
    let s = c.state();
    let m1 = s.member_by_id("m-1").unwrap();
    let verdicts = cadre_verdicts(s, c.rules(), m1, date(2026, 12, 21), date(2027, 1, 10));
    let weeks: Vec<(String, u32, bool)> = verdicts
        .iter()
        .filter(|v| v.quota == Quota::Receptions)
        .map(|v| (v.period.to_string(), v.count, v.met))
        .collect();
    assert_eq!(
        weeks,
        vec![
            ("2026-W52".into(), 0, false),
            ("2026-W53".into(), 1, true),
            ("2027-W01".into(), 0, false),
        ]
    );
    assert!(verdicts.iter().all(|v| v.rule.starts_with("method123.")));
    // No month or quarter lies wholly inside these three weeks.
    assert!(verdicts.iter().all(|v| v.quota == Quota::Receptions));
}

#[test]
fn monthly_visits_count_distinct_households_and_leap_days() {
    let mut c = campaign();
    for (d, m, h) in [
        (date(2012, 2, 1), "m-1", "h-1"),
        (date(2012, 2, 20), "m-1", "h-1"),
        (date(2012, 2, 29), "m-1", "h-2"),
        (date(2012, 3, 1), "m-2", "h-1"),
    ] {
        c.execute(&visit(d, org("v-1"), m, h)).unwrap();
    }
    let s = c.state();
    let root = s.root().unwrap();
    let (from, to) = (date(2012, 2, 1), date(2012, 3, 31));
    let m1 = s.member_by_id("m-1").unwrap();
    let feb = cadre_verdicts(s, c.rules(), m1, from, to)
        .into_iter()
        .find(|v| v.quota == Quota::Visits && v.period.to_string() == "2012-02")
        .unwrap();
    assert_eq!(
        (feb.count, feb.required, feb.met),
        (2, 2, true),
        "h-1 twice counts once"
    );
    let all = compliance(s, c.rules(), root, from, to);
    // Cadres m-1, m-2, m-4, m-5 over February and March: only m-1's February is met.
    assert_eq!(all.cadres_for(Quota::Visits).judged, 8);
    assert_eq!(all.cadres_for(Quota::Visits).met, 1);
    // Villages: v-1's February (h-1, h-2) is met; its March has one household.
    assert_eq!(all.orgs_for(Quota::Visits).judged, 6);
    assert_eq!(all.orgs_for(Quota::Visits).met, 1);
    let rate = all.orgs_for(Quota::Visits).rate().unwrap();
    assert_eq!((rate.numerator(), rate.denominator()), (1, 6));
}

#[test]
fn quarterly_concerns_are_counted_by_the_day_resolved() {
    let mut c = campaign();
    // Raised on 03-01, due at the township on 03-16: escalated, then resolved there, with
    // m-2 named as the village cadre who handled it.
    let resolved = [
        date(2011, 3, 30),
        date(2011, 3, 31),
        date(2011, 3, 31),
        date(2011, 4, 1),
    ];
    for (i, d) in resolved.into_iter().enumerate() {
        let q = format!("q-{i}");
        c.execute(&raise(date(2011, 3, 1), org("v-1"), &q, "v-1"))
            .unwrap();
        c.execute(&escalate(
            date(2011, 3, 16),
            org("t-01"),
            &q,
            Tier::Township,
        ))
        .unwrap();
        c.execute(&resolve(d, org("t-01"), &q, Some("m-2")))
            .unwrap();
    }
    let s = c.state();
    let m2 = s.member_by_id("m-2").unwrap();
    let quarters: Vec<(String, u32, bool)> =
        cadre_verdicts(s, c.rules(), m2, date(2011, 1, 1), date(2011, 6, 30))
            .into_iter()
            .filter(|v| v.quota == Quota::Concerns)
            .map(|v| (v.period.to_string(), v.count, v.met))
            .collect();
    assert_eq!(
        quarters,
        vec![("2011-Q1".into(), 3, true), ("2011-Q2".into(), 1, false)]
    );
}

#[test]
fn periods_partly_outside_a_tenure_are_skipped() {
    let mut c = campaign();
    // m-3 becomes a committee member of v-1 on Wednesday 2010-06-09, then moves to v-2 as its
    // secretary on Thursday 2010-07-15.
    c.execute(&post(date(2010, 6, 9), "m-3", "v-1", Role::CommitteeMember))
        .unwrap();
    c.execute(&post(date(2010, 7, 1), "m-4", "v-2", Role::Ordinary))
        .unwrap();
    c.execute(&post(date(2010, 7, 15), "m-3", "v-2", Role::Secretary))
        .unwrap();
    let s = c.state();
    let m3 = s.member_by_id("m-3").unwrap();
    let verdicts = cadre_verdicts(s, c.rules(), m3, date(2010, 6, 1), date(2010, 8, 31));
    let weeks: Vec<String> = verdicts
        .iter()
        .filter(|v| v.quota == Quota::Receptions)
        .map(|v| v.period.to_string())
        .collect();
    // 2010-W23 (06-07..06-13) holds the appointment day: skipped. W24 (06-14) is the first
    // whole week in v-1; W28 (07-12..07-18) holds the move: skipped; W29 the first in v-2.
    assert_eq!(weeks.first().map(String::as_str), Some("2010-W24"));
    assert!(!weeks.contains(&"2010-W28".to_string()));
    assert!(weeks.contains(&"2010-W27".to_string()));
    assert!(weeks.contains(&"2010-W29".to_string()));
    // Months: June holds the appointment, July the move: only August is judged.
    let months: Vec<String> = verdicts
        .iter()
        .filter(|v| v.quota == Quota::Visits)
        .map(|v| v.period.to_string())
        .collect();
    assert_eq!(months, vec!["2010-08".to_string()]);
    // A change of role in the same village does not break the tenure.
    let mut c2 = campaign();
    c2.execute(&post(date(2010, 6, 9), "m-2", "v-1", Role::Secretary))
        .unwrap_err();
    c2.execute(&post(date(2010, 6, 8), "m-1", "v-1", Role::CommitteeMember))
        .unwrap();
    c2.execute(&post(date(2010, 6, 9), "m-2", "v-1", Role::Secretary))
        .unwrap();
    let s2 = c2.state();
    let m2 = s2.member_by_id("m-2").unwrap();
    let june = cadre_verdicts(s2, c2.rules(), m2, date(2010, 6, 1), date(2010, 6, 30));
    assert!(
        june.iter()
            .any(|v| v.quota == Quota::Visits && v.period.to_string() == "2010-06")
    );
}

/// A cadre named in a 123 record (reception, visit or resolution) stays a cadre of their
/// village until after its date: a move dated on or before the latest such record is refused,
/// one after it accepted, and the same holds in a campaign restored from its snapshot.
#[test]
fn a_cadre_named_in_a_123_record_cannot_be_moved_before_it() {
    let mut c = campaign();
    c.execute(&reception(
        date(2010, 6, 7),
        org("v-1"),
        "v-1",
        &["m-1", "m-2"],
        3,
    ))
    .unwrap();
    c.execute(&visit(date(2010, 6, 20), org("v-1"), "m-2", "h-1"))
        .unwrap();
    c.execute(&raise(date(2010, 6, 1), org("v-1"), "q-1", "v-1"))
        .unwrap();
    c.execute(&resolve(date(2010, 6, 3), org("v-1"), "q-1", Some("m-1")))
        .unwrap();
    let mut restored = Campaign::from_snapshot_json(&c.snapshot_json()).unwrap();
    for c in [&mut c, &mut restored] {
        // m-1's latest record is the reception of 7 June; m-2's the visit of 20 June.
        for (m, latest) in [("m-1", date(2010, 6, 7)), ("m-2", date(2010, 6, 20))] {
            let err = refused(c, post(latest, m, "v-2", Role::Ordinary), 3013);
            assert!(err.to_string().contains("method123_records"), "{err}");
            assert!(err.to_string().contains(&latest.to_string()), "{err}");
            // Staying a cadre of the same village is no move.
            let after = latest.tomorrow().unwrap();
            c.execute(&post(after, m, "v-2", Role::Ordinary)).unwrap();
        }
        // m-3 is named in no record: free to move on any later day.
        c.execute(&post(date(2010, 5, 2), "m-3", "v-2", Role::Ordinary))
            .unwrap();
    }
}

#[test]
fn compliance_merges_by_township_and_follows_the_rules() {
    let mut c = campaign();
    for w in 0..4i64 {
        let d = date(2010, 6, 7).saturating_add(jiff::Span::new().weeks(w));
        c.execute(&reception(d, org("v-1"), "v-1", &["m-1"], 2))
            .unwrap();
        if w % 2 == 0 {
            c.execute(&reception(d, org("v-3"), "v-3", &["m-5"], 2))
                .unwrap();
        }
    }
    let s = c.state();
    let root = s.root().unwrap();
    let (from, to) = (date(2010, 6, 7), date(2010, 7, 4));
    let whole = compliance(s, c.rules(), root, from, to);
    // Four weeks: m-1 meets all four, m-5 two, m-2 and m-4 none.
    assert_eq!(whole.cadres_for(Quota::Receptions).judged, 16);
    assert_eq!(whole.cadres_for(Quota::Receptions).met, 6);
    assert_eq!(whole.orgs_for(Quota::Receptions).met, 6);
    let mut merged = chuangzheng::report::Compliance::default();
    for &t in s.children(root) {
        merged.merge(&compliance(s, c.rules(), t, from, to));
    }
    assert_eq!(merged, whole);
    // Two receptions a week required: none met.
    let mut strict = RuleSet::default();
    strict.method123.receptions_per_week = 2;
    assert_eq!(
        compliance(s, &strict, root, from, to)
            .cadres_for(Quota::Receptions)
            .met,
        0
    );
}

#[test]
fn escalation_commands_bring_every_concern_to_its_due_tier() {
    use chuangzheng::report::escalation_commands;
    let mut c = campaign();
    c.execute(&raise(day(6, 1), org("v-1"), "q-1", "v-1"))
        .unwrap();
    c.execute(&raise(day(6, 10), org("v-3"), "q-2", "v-3"))
        .unwrap();
    c.execute(&raise(day(6, 12), org("v-2"), "q-3", "v-2"))
        .unwrap();
    c.execute(&resolve(day(6, 13), org("v-2"), "q-3", None))
        .unwrap();
    let as_of = day(7, 2);
    let s = c.state();
    let cmds = escalation_commands(s, c.rules(), s.root().unwrap(), as_of);
    // q-1: raised 06-01, township from 06-16, party committee from 07-01: two steps.
    // q-2: raised 06-10, township from 06-25: one step. q-3 is resolved.
    let steps: Vec<(String, Tier)> = cmds
        .iter()
        .map(|cmd| match &cmd.event {
            Event::EscalateConcern(chuangzheng::method123::EscalateConcern { concern, to }) => {
                (concern.to_string(), *to)
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("q-1".into(), Tier::Township),
            ("q-1".into(), Tier::PartyCommittee),
            ("q-2".into(), Tier::Township)
        ]
    );
    for cmd in &cmds {
        c.execute(cmd).unwrap();
    }
    let s = c.state();
    assert!(escalation_commands(s, c.rules(), s.root().unwrap(), as_of).is_empty());
    let f = Method123Figures::of(s, c.rules(), s.root().unwrap(), as_of);
    assert_eq!(f.concerns_open_by_tier, [0, 1, 1]);
    assert_eq!(f.concerns_overdue, 0);
    // Only the subtree asked for.
    let t02 = s.org_by_id("t-02").unwrap();
    assert!(escalation_commands(s, c.rules(), t02, as_of).is_empty());
}

#[test]
fn organization_verdicts_explain_the_tallies() {
    use chuangzheng::report::org_verdicts;
    let mut c = campaign();
    c.execute(&reception(day(6, 8), org("v-1"), "v-1", &["m-1"], 2))
        .unwrap();
    let s = c.state();
    let v1 = s.org_by_id("v-1").unwrap();
    let verdicts = org_verdicts(s, c.rules(), v1, day(6, 7), day(6, 20));
    let weeks: Vec<(String, u32, bool)> = verdicts
        .iter()
        .map(|v| (v.period.to_string(), v.count, v.met))
        .collect();
    assert_eq!(
        weeks,
        vec![("2010-W23".into(), 1, true), ("2010-W24".into(), 0, false)]
    );
    assert!(
        org_verdicts(
            s,
            c.rules(),
            s.org_by_id("t-01").unwrap(),
            day(6, 7),
            day(6, 20)
        )
        .is_empty()
    );
}

// ---------------------------------------------------------------- 争先进位 (ranking)

#[test]
fn villages_rank_by_their_index_and_move_between_periods() {
    use chuangzheng::report::{movement, rank};
    let mut c = campaign();
    let week = |start: Date, w: i64| start.saturating_add(jiff::Span::new().weeks(w));
    // Earlier: 2010-W19..W22 (05-10 to 06-06): only v-2 receives villagers, every week.
    // Later: 2010-W23..W26 (06-07 to 07-04): v-1 every week, v-3 every other week.
    for w in 0..4 {
        c.execute(&reception(
            week(date(2010, 5, 10), w),
            org("v-2"),
            "v-2",
            &["m-4"],
            1,
        ))
        .unwrap();
        c.execute(&reception(
            week(date(2010, 6, 7), w),
            org("v-1"),
            "v-1",
            &["m-1"],
            1,
        ))
        .unwrap();
        if w % 2 == 0 {
            c.execute(&reception(
                week(date(2010, 6, 7), w),
                org("v-3"),
                "v-3",
                &["m-5"],
                1,
            ))
            .unwrap();
        }
    }
    let s = c.state();
    let rules = c.rules();
    // No pledges, units or graded members: the index is the 123 share alone, × 100.
    let later = rank(
        s,
        rules,
        OrgKind::Village,
        date(2010, 6, 7),
        date(2010, 7, 4),
        None,
    );
    let order: Vec<(String, String, u32)> = later
        .iter()
        .map(|r| (r.org.to_string(), r.index.to_string(), r.rank))
        .collect();
    assert_eq!(
        order,
        vec![
            ("v-1".into(), "100".into(), 1),
            ("v-3".into(), "50".into(), 2),
            ("v-2".into(), "0".into(), 3)
        ]
    );
    assert!(
        later[0]
            .components
            .iter()
            .filter(|c| c.share.is_some())
            .count()
            == 1
    );
    let earlier = rank(
        s,
        rules,
        OrgKind::Village,
        date(2010, 5, 10),
        date(2010, 6, 6),
        None,
    );
    // v-1 and v-3 tie at 0: by identifier.
    let ranks: Vec<(String, u32)> = earlier
        .iter()
        .map(|r| (r.org.to_string(), r.rank))
        .collect();
    assert_eq!(
        ranks,
        vec![("v-2".into(), 1), ("v-1".into(), 2), ("v-3".into(), 3)]
    );
    let moved = |top_n| {
        movement(&earlier, &later, top_n)
            .into_iter()
            .map(|m| {
                (
                    m.org.to_string(),
                    m.entered,
                    m.stayed,
                    m.improved,
                    m.dropped,
                )
            })
            .collect::<Vec<_>>()
    };
    // Top 1: v-1 enters and improves; v-3 improves; v-2 drops out.
    assert_eq!(
        moved(1),
        vec![
            ("v-1".into(), true, false, true, false),
            ("v-3".into(), false, false, true, false),
            ("v-2".into(), false, false, false, true)
        ]
    );
    // Top 2: v-1 stays and improves; v-3 enters and improves; v-2 drops out.
    assert_eq!(
        moved(2),
        vec![
            ("v-1".into(), false, true, true, false),
            ("v-3".into(), true, false, true, false),
            ("v-2".into(), false, false, false, true)
        ]
    );
    // Townships: t-01's villages met 4 of 8 weeks, t-02's 2 of 4: both 50, t-01 first by id.
    let towns = rank(
        s,
        rules,
        OrgKind::TownshipCommittee,
        date(2010, 6, 7),
        date(2010, 7, 4),
        None,
    );
    let towns: Vec<(String, String)> = towns
        .iter()
        .map(|r| (r.org.to_string(), r.index.to_string()))
        .collect();
    assert_eq!(
        towns,
        vec![("t-01".into(), "50".into()), ("t-02".into(), "50".into())]
    );
}

#[test]
fn the_index_weighs_the_shares_that_apply() {
    use chuangzheng::model::Ratio;
    use chuangzheng::report::{Component, index};
    let c = |name, share: Option<(u64, u64)>, weight| Component {
        name,
        share: share.map(|(n, d)| Ratio::new("s", n, d).unwrap()),
        weight,
    };
    // (25 × 1/2 + 25 × 3/4) / 50 × 100 = 62.5; the two shares that do not apply are left out.
    let parts = [
        c("pledges", Some((1, 2)), 25),
        c("method123", Some((3, 4)), 25),
        c("coverage", None, 25),
        c("members", None, 25),
    ];
    assert_eq!(index(&parts).unwrap().to_string(), "62.5");
    // Unequal weights: (10 × 1 + 30 × 0) / 40 × 100 = 25.
    let parts = [
        c("pledges", Some((2, 2)), 10),
        c("members", Some((0, 5)), 30),
    ];
    assert_eq!(index(&parts).unwrap().to_string(), "25");
    assert_eq!(index(&[c("pledges", None, 25)]), None);
}

#[test]
fn the_demo_generator_copes_with_any_village_id() {
    let mut c = campaign();
    let long = "v".repeat(64);
    let cmds = [
        on(
            D0,
            org("t-01"),
            Event::CreateOrg(chuangzheng::org::CreateOrg {
                id: id(&long),
                name: name("长编号村"),
                kind: OrgKind::Village,
                parent: Some(id("t-01")),
            }),
        ),
        on(
            D0,
            org("t-01"),
            Event::AddMember(chuangzheng::org::AddMember {
                id: id("m-long"),
                org: id(&long),
                category: MemberCategory::Farmer,
                role: Role::Secretary,
                leader_level: LeaderLevel::None,
            }),
        ),
    ];
    for cmd in &cmds {
        c.execute(cmd).unwrap();
    }
    let records = chuangzheng::demo::method123_commands(c.state(), date(2010, 6, 1));
    let batch = c.execute_batch(&records).unwrap();
    assert!(batch.all_accepted(), "{:?}", batch.first_refusal());
    // The long-id village still has its receptions, but no households or concerns.
    let s = c.state();
    let v = s.org_by_id(&long).unwrap();
    assert!(s.receptions().iter().any(|r| r.village == v));
    assert!(s.households().iter().all(|h| h.village != v));
}

/// A long text for a command built in Rust; the tests' texts are within bounds.
fn long_text(s: &str) -> chuangzheng::model::LongText {
    chuangzheng::model::LongText::new("test", s).unwrap()
}

/// A bounded list for a command built in Rust; the tests' lists are within bounds.
fn bounded<T, const MAX: usize>(items: Vec<T>) -> chuangzheng::model::Bounded<T, MAX> {
    chuangzheng::model::Bounded::new("test", items).unwrap()
}
