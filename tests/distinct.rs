//! Counts of distinct things count distinct things (issue 16 §2): for every published figure
//! key, one entity with several records, and the key checked to count the entity once (人, 户,
//! 个, 家, 支) or every record (件, 次, 人次, 户次), through `StageReport::build` as the report
//! publishes it. Each test also reads the townships: an entity whose records fall in two
//! townships counts in exactly one of them (its place on the as-of date), and the townships'
//! figures add up to the city's, under both readings.
//!
//! The last test fails when a key of `StageFigures::figures()` is not named in this file, so a
//! new key cannot be added without a test of what it counts.

use chuangzheng::activity::{Code, PartnerRef, TargetRef};
use chuangzheng::deliberation::ReviewVerdict;
use chuangzheng::ledger::{Actor, Campaign, CampaignInfo, Command, Event};
use chuangzheng::method123::{Channel, ConcernCategory};
use chuangzheng::model::{
    Amount, ExtId, LeaderLevel, MemberCategory, Name, OrgKind, Ratio, Role, Stamp, UnitKind,
};
use chuangzheng::pledge::{
    Carrier, Focus, Outputs, OwnerRef, PledgeContent, PledgeKind, ReviewDecision,
};
use chuangzheng::report::{Figure, Reading, Span, StageFigures, StageReport};
use chuangzheng::rules::RuleSet;
use jiff::civil::{Date, date};
use rust_decimal::Decimal;

// ---------------------------------------------------------------- helpers

fn id(s: &str) -> ExtId {
    ExtId::new("test", s).unwrap()
}

fn name(s: &str) -> Name {
    Name::new("test", s).unwrap()
}

fn yuan(s: &str) -> Amount {
    Amount::parse("test", s).unwrap()
}

fn code(s: &str) -> Code {
    Code::new("test", s).unwrap()
}

/// The day the tree and the 123 registers are set up (a Thursday: the second quarter, April,
/// May and June are whole periods of the span).
const D0: Date = date(2010, 4, 1);
/// The day members move from one township to the other.
const MOVE: Date = date(2010, 6, 1);
/// The reports' as-of day.
const AS_OF: Date = date(2010, 6, 30);

fn day(m: i8, d: i8) -> Date {
    date(2010, m, d)
}

/// Every command is sent by the city committee, at or above every organization.
fn cmd(d: Date, event: Event) -> Command {
    Command::new(Stamp::on(d), Actor::org(&id("city")), event)
}

/// city ─┬ t-01 ─┬ v-1 (m-1 secretary, m-2 committee member)
///       │       ├ v-2
///       │       ├ o-1 organ
///       │       └ e-1 enterprise, s-1 social organization, k-1 cooperative
///       ├ t-02 ─┬ v-3 (m-6 committee member)
///       │       └ o-3 organ
///       └ d-01 ── o-2 organ
/// Households h-1, h-2 in v-1; h-3 in v-3.
fn tree() -> Vec<Command> {
    let create = |new: &str, kind, parent: Option<&str>| {
        cmd(
            D0,
            Event::CreateOrg(chuangzheng::org::CreateOrg {
                id: id(new),
                name: name(new),
                kind,
                parent: parent.map(id),
            }),
        )
    };
    use OrgKind as K;
    let mut cmds = vec![
        create("city", K::CityCommittee, None),
        create("t-01", K::TownshipCommittee, Some("city")),
        create("t-02", K::TownshipCommittee, Some("city")),
        create("d-01", K::CityDepartment, Some("city")),
        create("v-1", K::Village, Some("t-01")),
        create("v-2", K::Village, Some("t-01")),
        create("o-1", K::Organ, Some("t-01")),
        create("e-1", K::Enterprise, Some("t-01")),
        create("s-1", K::SocialOrganization, Some("t-01")),
        create("k-1", K::Cooperative, Some("t-01")),
        create("v-3", K::Village, Some("t-02")),
        create("o-3", K::Organ, Some("t-02")),
        create("o-2", K::Organ, Some("d-01")),
        add("m-1", "v-1", Role::Secretary),
        add("m-2", "v-1", Role::CommitteeMember),
        add("m-6", "v-3", Role::CommitteeMember),
    ];
    for (h, v) in [("h-1", "v-1"), ("h-2", "v-1"), ("h-3", "v-3")] {
        cmds.push(cmd(
            D0,
            Event::RegisterHousehold(chuangzheng::method123::RegisterHousehold {
                id: id(h),
                village: id(v),
            }),
        ));
    }
    cmds
}

fn add(m: &str, o: &str, role: Role) -> Command {
    add_leader(m, o, role, LeaderLevel::None)
}

fn add_leader(m: &str, o: &str, role: Role, leader_level: LeaderLevel) -> Command {
    let category = if o.starts_with('v') {
        MemberCategory::Farmer
    } else {
        MemberCategory::Organ
    };
    cmd(
        D0,
        Event::AddMember(chuangzheng::org::AddMember {
            id: id(m),
            org: id(o),
            category,
            role,
            leader_level,
        }),
    )
}

fn post(d: Date, m: &str, o: &str, role: Role) -> Command {
    cmd(
        d,
        Event::PostMember(chuangzheng::org::PostMember {
            member: id(m),
            org: id(o),
            role,
        }),
    )
}

fn rules() -> RuleSet {
    let mut rules = RuleSet::default();
    // One concern a quarter, so a village's quarter can be met with one resolution.
    rules.method123.concerns_handled_per_quarter = 1;
    rules
}

/// The tree and then `scenario`'s commands, each accepted.
fn campaign(scenario: &[Command]) -> Campaign {
    let mut c = Campaign::in_memory(
        CampaignInfo {
            id: id("distinct"),
            name: name("去重计数测试"),
        },
        rules(),
    )
    .unwrap();
    for command in tree().iter().chain(scenario) {
        c.execute(command)
            .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    }
    c
}

/// The city's report and the reports of its three direct parts, as of [`AS_OF`].
struct Reports {
    root: StageReport,
    /// t-01, t-02, d-01.
    parts: [StageReport; 3],
}

const PARTS: [&str; 3] = ["t-01", "t-02", "d-01"];

impl Reports {
    fn of(c: &Campaign, reading: Reading) -> Reports {
        let build = |scope: &str| {
            let org = c.state().org_by_id(scope).unwrap();
            StageReport::build_with(c, org, Span::as_of(AS_OF), reading)
        };
        Reports {
            root: build("city"),
            parts: PARTS.map(build),
        }
    }

    /// `key` is `root` for the city and `parts` for t-01, t-02 and d-01 (counts and yuan).
    #[track_caller]
    fn expect(&self, key: &str, root: u64, parts: [u64; 3]) {
        assert_eq!(amount(&self.root, key), Decimal::from(root), "{key}, city");
        for ((scope, r), want) in PARTS.iter().zip(&self.parts).zip(parts) {
            assert_eq!(amount(r, key), Decimal::from(want), "{key}, {scope}");
        }
    }

    /// The rate `key` is `root` (numerator, denominator) for the city and `parts` for the
    /// parts; `None`: nothing to divide by.
    #[track_caller]
    fn expect_rate(&self, key: &str, root: Option<(u64, u64)>, parts: [Option<(u64, u64)>; 3]) {
        assert_eq!(rate(&self.root, key), root.map(ratio), "{key}, city");
        for ((scope, r), want) in PARTS.iter().zip(&self.parts).zip(parts) {
            assert_eq!(rate(r, key), want.map(ratio), "{key}, {scope}");
        }
    }

    /// Every count and amount of the parts adds up to the city's (no record is the city's own
    /// in these campaigns).
    #[track_caller]
    fn add_up(&self) {
        for (key, figure) in self.root.totals.figures() {
            if matches!(figure, Figure::Rate(_)) {
                continue;
            }
            let sum: Decimal = self.parts.iter().map(|r| amount(r, &key)).sum();
            assert_eq!(sum, amount(&self.root, &key), "{key}: the parts add up");
        }
    }
}

impl Reports {
    /// Each township's own report has the figures the city's report gives that township
    /// among its parts (one pass over the records, split by the tree).
    #[track_caller]
    fn match_the_citys_parts(&self) {
        for (scope, r) in PARTS.iter().zip(&self.parts) {
            let part = self.root.parts.iter().find(|p| p.org.as_str() == *scope);
            let part = part.unwrap_or_else(|| panic!("{scope}: not a part of the city"));
            assert_eq!(
                r.totals, part.figures,
                "{scope}: its report and the city's part"
            );
        }
    }

    /// `key` in the city report's parts t-01, t-02 and d-01.
    fn in_the_citys_parts(&self, key: &str) -> [Decimal; 3] {
        PARTS.map(|scope| {
            let part = self.root.parts.iter().find(|p| p.org.as_str() == scope);
            let figures = part.map(|p| p.figures.figures()).unwrap_or_default();
            match figures.into_iter().find(|(k, _)| k == key) {
                Some((_, Figure::Count(n))) => Decimal::from(n),
                Some((_, Figure::Yuan(y))) => y,
                other => panic!("{key}: not a count or an amount: {other:?}"),
            }
        })
    }
}

fn ratio((n, d): (u64, u64)) -> Ratio {
    Ratio::new("test", n, d).unwrap()
}

#[track_caller]
fn amount(r: &StageReport, key: &str) -> Decimal {
    match r.figure(key) {
        Some(Figure::Count(n)) => Decimal::from(n),
        Some(Figure::Yuan(y)) => y,
        other => panic!("{key}: not a count or an amount: {other:?}"),
    }
}

#[track_caller]
fn rate(r: &StageReport, key: &str) -> Option<Ratio> {
    match r.figure(key) {
        Some(Figure::Rate(x)) => x,
        other => panic!("{key}: not a rate: {other:?}"),
    }
}

/// Both readings of `scenario`, each checked to add up and to agree with the city report's
/// own parts.
fn both(scenario: &[Command]) -> (Reports, Reports) {
    let c = campaign(scenario);
    let as_of = Reports::of(&c, Reading::AsOf);
    let historical = Reports::of(&c, Reading::Historical);
    for r in [&as_of, &historical] {
        r.add_up();
        r.match_the_citys_parts();
    }
    (as_of, historical)
}

// ---------------------------------------------------------------- the 123 method

fn reception(d: Date, village: &str, cadres: &[&str], visitors: u32) -> Command {
    cmd(
        d,
        Event::RecordReception(chuangzheng::method123::RecordReception {
            village: id(village),
            cadres: bounded(cadres.iter().map(|m| id(m)).collect()),
            visitors,
        }),
    )
}

fn visit(d: Date, cadre: &str, household: &str) -> Command {
    cmd(
        d,
        Event::RecordVisit(chuangzheng::method123::RecordVisit {
            cadre: id(cadre),
            household: id(household),
        }),
    )
}

fn concern(d: Date, concern: &str, village: &str) -> Command {
    cmd(
        d,
        Event::RaiseConcern(chuangzheng::method123::RaiseConcern {
            id: id(concern),
            village: id(village),
            raised_by: None,
            channel: Channel::Reception,
            category: ConcernCategory::Infrastructure,
            text: long_text("村道破损"),
        }),
    )
}

/// Secretary m-1 serves v-1 (t-01) until 31 May, then v-3 (t-02): three receptions (two in
/// v-1 with 5 and 3 visitors, one in v-3 with 4), four visits to three households (h-1
/// twice), three concerns (one resolved with m-1 as handler, one overdue, one not yet due).
fn method123() -> Vec<Command> {
    vec![
        reception(day(5, 4), "v-1", &["m-1", "m-2"], 5),
        reception(day(5, 11), "v-1", &["m-1"], 3),
        visit(day(5, 5), "m-1", "h-1"),
        visit(day(5, 12), "m-1", "h-1"),
        visit(day(5, 19), "m-1", "h-2"),
        concern(day(5, 4), "c-1", "v-1"),
        concern(day(5, 11), "c-2", "v-1"),
        cmd(
            day(5, 20),
            Event::ResolveConcern(chuangzheng::method123::ResolveConcern {
                concern: id("c-1"),
                outcome: long_text("已修复"),
                feedback: None,
                handler: Some(id("m-1")),
            }),
        ),
        post(MOVE, "m-1", "v-3", Role::Secretary),
        reception(day(6, 8), "v-3", &["m-1", "m-6"], 4),
        visit(day(6, 9), "m-1", "h-3"),
        concern(day(6, 20), "c-3", "v-3"),
    ]
}

#[test]
fn the_123_methods_cadres_and_households_count_once_and_its_records_each_time() {
    let (r, h) = both(&method123());
    // Entities on the as-of date: m-1 is one secretary, in v-3 (t-02), though two villages'
    // records name them; m-2 and m-6 are committee members.
    r.expect("m123.secretaries", 1, [0, 1, 0]);
    r.expect("m123.committee_members", 2, [1, 1, 0]);
    r.expect("m123.cadres_taking_part", 3, [1, 2, 0]);
    // Records (次, 人次, 户次) in their village's township.
    r.expect("m123.receptions", 3, [2, 1, 0]);
    r.expect("m123.visitors_received", 12, [8, 4, 0]);
    r.expect("m123.household_visits", 4, [3, 1, 0]);
    // Households (户): h-1 visited twice is one.
    r.expect("m123.households_visited", 3, [2, 1, 0]);
    r.expect("m123.concerns_collected", 3, [2, 1, 0]);
    r.expect("m123.concerns_resolved", 1, [1, 0, 0]);
    r.expect("m123.concerns_open", 2, [1, 1, 0]);
    r.expect("m123.concerns_overdue", 1, [1, 0, 0]);
    // No village moved: the historical reading places every record alike.
    for key in [
        "m123.receptions",
        "m123.household_visits",
        "m123.secretaries",
    ] {
        assert_eq!(
            amount(&h.root, key),
            amount(&r.root, key),
            "{key}: both readings"
        );
    }
}

#[test]
fn the_123_quotas_count_cadre_periods_by_tenure_and_village_periods() {
    let (r, _) = both(&method123());
    // 12 whole weeks from 1 April to 30 June. Villages v-1, v-2, v-3: 36 village-weeks, met
    // in weeks of 3 May and 10 May (v-1) and 7 June (v-3).
    r.expect_rate(
        "m123.compliance.receptions.villages",
        Some((3, 36)),
        [Some((2, 24)), Some((1, 12)), None],
    );
    // Cadre-weeks: m-1's tenure in v-1 holds 8 whole weeks (2 met), in v-3 3 (1 met); the
    // week of 31 May spans both and is not judged. m-2 12 (1 met), m-6 12 (1 met). Each
    // tenure's weeks count under its village.
    r.expect_rate(
        "m123.compliance.receptions.cadres",
        Some((5, 35)),
        [Some((3, 20)), Some((2, 15)), None],
    );
    // Village-months: v-1 met May (two distinct households, h-1 twice counting once).
    r.expect_rate(
        "m123.compliance.visits.villages",
        Some((1, 9)),
        [Some((1, 6)), Some((0, 3)), None],
    );
    r.expect_rate(
        "m123.compliance.visits.cadres",
        Some((1, 9)),
        [Some((1, 5)), Some((0, 4)), None],
    );
    // The second quarter: v-1 resolved one concern (met); m-1's quarter spans two tenures
    // and is not judged.
    r.expect_rate(
        "m123.compliance.concerns.villages",
        Some((1, 3)),
        [Some((1, 2)), Some((0, 1)), None],
    );
    r.expect_rate(
        "m123.compliance.concerns.cadres",
        Some((0, 2)),
        [Some((0, 1)), Some((0, 1)), None],
    );
}

// ---------------------------------------------------------------- pledges

fn content(title: &str) -> PledgeContent {
    PledgeContent::new(name(title), "为群众办实事", day(12, 31), Vec::new()).unwrap()
}

fn draft(
    d: Date,
    pledge: &str,
    owner: OwnerRef,
    kind: PledgeKind,
    carrier: Option<Carrier>,
) -> Command {
    cmd(
        d,
        Event::DraftPledge(chuangzheng::pledge::DraftPledge {
            id: id(pledge),
            owner,
            kind,
            focus: Focus::MassesWishes,
            carrier,
            content: content("承诺"),
        }),
    )
}

fn pledge_step(d: Date, pledge: &str, step: &str) -> Command {
    let pledge = id(pledge);
    let event = match step {
        "submit" => Event::SubmitPledge(chuangzheng::pledge::SubmitPledge { pledge }),
        "approve" => Event::ReviewPledge(chuangzheng::pledge::ReviewPledge {
            pledge,
            decision: ReviewDecision::Approve,
        }),
        "return" => Event::ReviewPledge(chuangzheng::pledge::ReviewPledge {
            pledge,
            decision: ReviewDecision::Return {
                reasons: long_text("目标不具体"),
            },
        }),
        "publish" => Event::PublishPledge(chuangzheng::pledge::PublishPledge { pledge }),
        "fulfil" => Event::FulfilPledge(chuangzheng::pledge::FulfilPledge { pledge }),
        revised => Event::RevisePledge(chuangzheng::pledge::RevisePledge {
            pledge,
            content: content(revised),
        }),
    };
    cmd(d, event)
}

/// Drafted and submitted on 5 April, returned `returns` times, approved on 10 April, then
/// published on 12 April when `publish`.
fn reviewed(pledge: &str, returns: u32, publish: bool) -> Vec<Command> {
    let mut cmds = vec![pledge_step(day(4, 5), pledge, "submit")];
    for i in 0..returns {
        let d = day(4, 6 + i as i8);
        cmds.push(pledge_step(d, pledge, "return"));
        cmds.push(pledge_step(d, pledge, &format!("修改{i}")));
        cmds.push(pledge_step(d, pledge, "submit"));
    }
    cmds.push(pledge_step(day(4, 10), pledge, "approve"));
    if publish {
        cmds.push(pledge_step(day(4, 12), pledge, "publish"));
    }
    cmds
}

/// Every output `n`, and a benefit of `benefit` yuan.
fn outputs(n: u64, benefit: &str) -> Outputs {
    Outputs {
        problems_solved: n,
        matters_done: n,
        clinics_held: n,
        cleanups_held: n,
        volunteer_teams: n,
        supervision_actions: n,
        resident_events: n,
        tech_groups: n,
        projects_completed: n,
        benefit_yuan: yuan(benefit),
    }
}

fn fulfilment(d: Date, pledge: &str, o: Outputs) -> Command {
    cmd(
        d,
        Event::RecordFulfilment(chuangzheng::pledge::RecordFulfilment {
            pledge: id(pledge),
            outputs: o,
            note: None,
        }),
    )
}

/// Farmer m-p (v-1, t-01, until 31 May; then v-3, t-02) makes five pledges: p-1 and p-2
/// practical through 设岗定责 (p-1 returned twice, p-2 once), p-3, p-4, p-5 work pledges
/// through each other carrier. p-1, p-3, p-4, p-5 each have two fulfilment records, one in
/// each township: every output 1 and 100 yuan in May, every output 2 and 250 yuan in June.
/// p-1 and p-5 are fulfilled in time. Village v-2 has two work pledges, one returned twice and
/// published, one returned once and left so.
fn pledges() -> Vec<Command> {
    let member = || OwnerRef::Member(id("m-p"));
    let v2 = || OwnerRef::Org(id("v-2"));
    use Carrier as C;
    use PledgeKind as K;
    let drafts = [
        ("p-1", member(), K::PracticalMatter, Some(C::SetPostDuty), 2),
        ("p-2", member(), K::PracticalMatter, Some(C::SetPostDuty), 1),
        ("p-3", member(), K::Work, Some(C::DualPost), 0),
        ("p-4", member(), K::Work, Some(C::BuildingDuty), 0),
        ("p-5", member(), K::Work, Some(C::VanguardPost), 0),
        ("o-p1", v2(), K::Work, None, 2),
        ("o-p2", v2(), K::Work, None, 1),
    ];
    let mut cmds = vec![add("m-p", "v-1", Role::Ordinary)];
    for (pledge, owner, kind, carrier, returns) in drafts {
        cmds.push(draft(day(4, 5), pledge, owner, kind, carrier));
        cmds.extend(reviewed(pledge, returns, pledge != "o-p2"));
    }
    let recorded = ["p-1", "p-3", "p-4", "p-5"];
    for p in recorded {
        cmds.push(fulfilment(day(5, 10), p, outputs(1, "100")));
    }
    cmds.push(post(MOVE, "m-p", "v-3", Role::Ordinary));
    for p in recorded {
        cmds.push(fulfilment(day(6, 10), p, outputs(2, "250")));
    }
    cmds.push(pledge_step(day(6, 15), "p-1", "fulfil"));
    cmds.push(pledge_step(day(6, 20), "p-5", "fulfil"));
    cmds
}

#[test]
fn pledges_count_each_pledge_and_owners_once() {
    let (r, h) = both(&pledges());
    // Pledges (件): m-p's five under their posting on the as-of date (t-02), v-2's in t-01.
    r.expect("pledge.practical.total", 2, [0, 2, 0]);
    r.expect("pledge.practical.completed", 1, [0, 1, 0]);
    r.expect_rate(
        "pledge.practical.completion_rate",
        Some((1, 2)),
        [None, Some((1, 2)), None],
    );
    r.expect("pledge.work.total", 4, [1, 3, 0]);
    r.expect("pledge.work.completed", 1, [0, 1, 0]);
    r.expect_rate(
        "pledge.work.completion_rate",
        Some((1, 4)),
        [Some((0, 1)), Some((1, 3)), None],
    );
    r.expect("pledge.completed_in_time", 2, [0, 2, 0]);
    // Owners (个, 人): v-2 with two returned pledges, one returned twice, is one
    // organization; m-p likewise one member.
    r.expect("pledge.review.revised_orgs", 1, [1, 0, 0]);
    r.expect("pledge.review.revised_members", 1, [0, 1, 0]);
    // Under the historical reading the pledges count where m-p stood when drafting them
    // (t-01); the owners stay where they stand on the as-of date.
    h.expect("pledge.practical.total", 2, [2, 0, 0]);
    h.expect("pledge.work.total", 4, [4, 0, 0]);
    h.expect("pledge.completed_in_time", 2, [2, 0, 0]);
    h.expect("pledge.review.revised_orgs", 1, [1, 0, 0]);
    h.expect("pledge.review.revised_members", 1, [0, 1, 0]);
}

#[test]
fn carriers_count_members_once_and_sum_their_records_outputs() {
    let (r, h) = both(&pledges());
    // m-p made two pledges through 设岗定责 and one through each other carrier: one member
    // under each, where they stand on the as-of date, in both readings.
    for key in [
        "carrier.set_post_duty.members",
        "carrier.dual_post.members",
        "carrier.building_duty.members",
        "carrier.vanguard_post.members",
    ] {
        r.expect(key, 1, [0, 1, 0]);
        h.expect(key, 1, [0, 1, 0]);
    }
    // Outputs are quantities summed over the records (1 + 2), not records counted; under the
    // historical reading each record counts where m-p stood on its day.
    for key in OUTPUT_KEYS {
        r.expect(key, 3, [0, 3, 0]);
        h.expect(key, 3, [1, 2, 0]);
    }
    for key in [
        "carrier.set_post_duty.benefit_yuan",
        "carrier.dual_post.benefit_yuan",
        "carrier.building_duty.benefit_yuan",
        "carrier.vanguard_post.benefit_yuan",
    ] {
        r.expect(key, 350, [0, 350, 0]);
        h.expect(key, 350, [100, 250, 0]);
    }
}

/// Every carrier's output counts.
const OUTPUT_KEYS: [&str; 36] = [
    "carrier.set_post_duty.problems_solved",
    "carrier.set_post_duty.matters_done",
    "carrier.set_post_duty.clinics_held",
    "carrier.set_post_duty.cleanups_held",
    "carrier.set_post_duty.volunteer_teams",
    "carrier.set_post_duty.supervision_actions",
    "carrier.set_post_duty.resident_events",
    "carrier.set_post_duty.tech_groups",
    "carrier.set_post_duty.projects_completed",
    "carrier.dual_post.problems_solved",
    "carrier.dual_post.matters_done",
    "carrier.dual_post.clinics_held",
    "carrier.dual_post.cleanups_held",
    "carrier.dual_post.volunteer_teams",
    "carrier.dual_post.supervision_actions",
    "carrier.dual_post.resident_events",
    "carrier.dual_post.tech_groups",
    "carrier.dual_post.projects_completed",
    "carrier.building_duty.problems_solved",
    "carrier.building_duty.matters_done",
    "carrier.building_duty.clinics_held",
    "carrier.building_duty.cleanups_held",
    "carrier.building_duty.volunteer_teams",
    "carrier.building_duty.supervision_actions",
    "carrier.building_duty.resident_events",
    "carrier.building_duty.tech_groups",
    "carrier.building_duty.projects_completed",
    "carrier.vanguard_post.problems_solved",
    "carrier.vanguard_post.matters_done",
    "carrier.vanguard_post.clinics_held",
    "carrier.vanguard_post.cleanups_held",
    "carrier.vanguard_post.volunteer_teams",
    "carrier.vanguard_post.supervision_actions",
    "carrier.vanguard_post.resident_events",
    "carrier.vanguard_post.tech_groups",
    "carrier.vanguard_post.projects_completed",
];

// ---------------------------------------------------------------- coverage and instructors

fn register(u: &str, kind: UnitKind, area: &str, eligible: bool) -> Command {
    cmd(
        D0,
        Event::RegisterUnit(chuangzheng::org::RegisterUnit {
            id: id(u),
            name: name(u),
            kind,
            area: id(area),
            eligible,
        }),
    )
}

fn cover(d: Date, u: &str, o: &str) -> Command {
    cmd(
        d,
        Event::CoverUnit(chuangzheng::org::CoverUnit {
            unit: id(u),
            org: Some(id(o)),
        }),
    )
}

fn target(t: &str) -> TargetRef {
    if t.starts_with('v') {
        TargetRef::Village(id(t))
    } else {
        TargetRef::Unit(id(t))
    }
}

fn assign(d: Date, m: &str, t: &str) -> Command {
    cmd(
        d,
        Event::AssignInstructor(chuangzheng::activity::AssignInstructor {
            instructor: id(m),
            target: target(t),
        }),
    )
}

fn unassign(d: Date, m: &str, t: &str) -> Command {
    cmd(
        d,
        Event::UnassignInstructor(chuangzheng::activity::UnassignInstructor {
            instructor: id(m),
            target: target(t),
        }),
    )
}

/// For each kind of unit, under t-01: units `-a` and `-b` covered by one joint organization
/// (e-1, s-1, k-1), `-c` uncovered but served by instructor m-c1 until 1 May and m-c2 after;
/// under t-02 an ineligible unit `-d`. The joint enterprise organization e-1 (t-01) also covers
/// np-e, an enterprise of t-02.
fn coverage() -> Vec<Command> {
    let mut cmds = vec![
        add("m-c1", "o-1", Role::Ordinary),
        add("m-c2", "o-1", Role::Ordinary),
    ];
    for (k, kind, joint) in [
        ("np", UnitKind::NonPublicEnterprise, "e-1"),
        ("so", UnitKind::SocialOrganization, "s-1"),
        ("co", UnitKind::Cooperative, "k-1"),
    ] {
        let u = |s: &str| format!("{k}-{s}");
        cmds.extend([
            register(&u("a"), kind, "t-01", true),
            register(&u("b"), kind, "t-01", true),
            register(&u("c"), kind, "t-01", true),
            register(&u("d"), kind, "t-02", false),
            cover(day(4, 5), &u("a"), joint),
            cover(day(4, 5), &u("b"), joint),
            assign(day(4, 5), "m-c1", &u("c")),
            unassign(day(5, 1), "m-c1", &u("c")),
            assign(day(5, 1), "m-c2", &u("c")),
        ]);
    }
    cmds.extend([
        register("np-e", UnitKind::NonPublicEnterprise, "t-02", true),
        cover(day(4, 5), "np-e", "e-1"),
    ]);
    cmds
}

#[test]
fn coverage_counts_units_where_they_are_and_a_joint_organization_once() {
    let (r, h) = both(&coverage());
    // Units (家) under their area; e-1 covering three units, one of another township, is one
    // organization (个), where it sits.
    r.expect("coverage.non_public.units", 5, [3, 2, 0]);
    r.expect("coverage.non_public.eligible", 4, [3, 1, 0]);
    r.expect("coverage.non_public.covered", 3, [2, 1, 0]);
    r.expect("coverage.non_public.orgs", 1, [1, 0, 0]);
    r.expect_rate(
        "coverage.non_public.rate",
        Some((3, 4)),
        [Some((2, 3)), Some((1, 1)), None],
    );
    // np-c had two instructors one after the other: one unit reached.
    r.expect("coverage.non_public.work_covered", 4, [3, 1, 0]);
    r.expect_rate(
        "coverage.non_public.work_rate",
        Some((4, 4)),
        [Some((3, 3)), Some((1, 1)), None],
    );
    for (units, eligible, covered, orgs, rate, work_covered, work_rate) in [
        (
            "coverage.social.units",
            "coverage.social.eligible",
            "coverage.social.covered",
            "coverage.social.orgs",
            "coverage.social.rate",
            "coverage.social.work_covered",
            "coverage.social.work_rate",
        ),
        (
            "coverage.cooperative.units",
            "coverage.cooperative.eligible",
            "coverage.cooperative.covered",
            "coverage.cooperative.orgs",
            "coverage.cooperative.rate",
            "coverage.cooperative.work_covered",
            "coverage.cooperative.work_rate",
        ),
    ] {
        r.expect(units, 4, [3, 1, 0]);
        r.expect(eligible, 3, [3, 0, 0]);
        r.expect(covered, 2, [2, 0, 0]);
        r.expect(orgs, 1, [1, 0, 0]);
        r.expect_rate(rate, Some((2, 3)), [Some((2, 3)), None, None]);
        r.expect(work_covered, 3, [3, 0, 0]);
        r.expect_rate(work_rate, Some((3, 3)), [Some((3, 3)), None, None]);
    }
    // Stocks: the historical reading places them alike.
    h.expect("coverage.non_public.covered", 3, [2, 1, 0]);
    h.expect("coverage.non_public.orgs", 1, [1, 0, 0]);
    // Three units with two instructors each, one after the other; two instructors.
    r.expect("instructors.units", 3, [3, 0, 0]);
    r.expect("instructors.members", 2, [2, 0, 0]);
}

/// Instructors m-i1, m-i2, m-i3 of o-1 (t-01): u-1 (t-01) served by m-i1 until 1 May, then by
/// m-i2, who also serves u-2 (t-02); village v-2 served by m-i1 and m-i2 at once; m-i3 serves
/// v-3 (t-02), moves to o-3 (t-02) on 1 June and then serves v-1 (t-01) too.
fn instructors() -> Vec<Command> {
    vec![
        add("m-i1", "o-1", Role::Ordinary),
        add("m-i2", "o-1", Role::Ordinary),
        add("m-i3", "o-1", Role::Ordinary),
        register("u-1", UnitKind::NonPublicEnterprise, "t-01", true),
        register("u-2", UnitKind::Cooperative, "t-02", true),
        assign(day(4, 5), "m-i1", "u-1"),
        unassign(day(5, 1), "m-i1", "u-1"),
        assign(day(5, 1), "m-i2", "u-1"),
        assign(day(5, 1), "m-i2", "u-2"),
        assign(day(4, 5), "m-i1", "v-2"),
        assign(day(4, 10), "m-i2", "v-2"),
        assign(day(4, 5), "m-i3", "v-3"),
        post(MOVE, "m-i3", "o-3", Role::Ordinary),
        assign(day(6, 10), "m-i3", "v-1"),
    ]
}

#[test]
fn instructors_units_and_villages_count_once_each() {
    let (r, h) = both(&instructors());
    // People (人) where they are posted on the as-of date, whatever they serve.
    r.expect("instructors.members", 3, [2, 1, 0]);
    // Units (家) and villages (个) under their own area or themselves, however many
    // instructors served them.
    r.expect("instructors.units", 2, [1, 1, 0]);
    r.expect("instructors.villages", 3, [2, 1, 0]);
    h.expect("instructors.members", 3, [2, 1, 0]);
    h.expect("instructors.units", 2, [1, 1, 0]);
    h.expect("instructors.villages", 3, [2, 1, 0]);
    r.expect("coverage.cooperative.work_covered", 1, [0, 1, 0]);
}

// ---------------------------------------------------------------- pairings (结对共建)

fn pair(d: Date, partner: PartnerRef, village: &str) -> Command {
    cmd(
        d,
        Event::PairVillage(chuangzheng::activity::PairVillage {
            partner,
            village: id(village),
        }),
    )
}

fn unpair(d: Date, partner: PartnerRef, village: &str) -> Command {
    cmd(
        d,
        Event::UnpairVillage(chuangzheng::activity::UnpairVillage {
            partner,
            village: id(village),
        }),
    )
}

/// Department d-01 paired with v-1 and v-3; school sc-1 (t-02) and clinic cl-1 (t-01) with
/// v-2, the clinic's pairing ended on 1 May; cadre m-p1 of o-1 (t-01) with v-1 and v-3, moved
/// to o-3 (t-02) on 1 June; cadre m-p2 of o-2 (d-01) with v-3.
fn pairings() -> Vec<Command> {
    let create = |new: &str, kind, parent: &str| {
        cmd(
            D0,
            Event::CreateOrg(chuangzheng::org::CreateOrg {
                id: id(new),
                name: name(new),
                kind,
                parent: Some(id(parent)),
            }),
        )
    };
    let org = |o: &str| PartnerRef::Org(id(o));
    let member = |m: &str| PartnerRef::Member(id(m));
    vec![
        create("sc-1", OrgKind::School, "t-02"),
        create("cl-1", OrgKind::Clinic, "t-01"),
        add("m-p1", "o-1", Role::Ordinary),
        add("m-p2", "o-2", Role::Ordinary),
        pair(day(4, 5), org("d-01"), "v-1"),
        pair(day(4, 5), org("d-01"), "v-3"),
        pair(day(4, 5), org("sc-1"), "v-2"),
        pair(day(4, 5), org("cl-1"), "v-2"),
        unpair(day(5, 1), org("cl-1"), "v-2"),
        pair(day(4, 5), member("m-p1"), "v-1"),
        pair(day(4, 5), member("m-p1"), "v-3"),
        post(MOVE, "m-p1", "o-3", Role::Ordinary),
        pair(day(4, 5), member("m-p2"), "v-3"),
    ]
}

#[test]
fn pairing_partners_and_villages_count_once_each() {
    let (r, h) = both(&pairings());
    for reports in [&r, &h] {
        // Organizations (个) in their own part, however many villages they are paired with;
        // a pairing ended in the span still counts.
        reports.expect("pairing.departments", 1, [0, 0, 1]);
        reports.expect("pairing.institutions", 2, [1, 1, 0]);
        // People (人) where they are posted on the as-of date.
        reports.expect("pairing.cadres", 2, [0, 1, 1]);
        // Villages (个) under themselves, however many partners.
        reports.expect("pairing.villages", 3, [2, 1, 0]);
    }
}

// ---------------------------------------------------------------- service actions

fn case_step(d: Date, case: &str, step: &str) -> Command {
    let case = id(case);
    let event = match step {
        "resolve" => Event::ResolveHotlineCase(chuangzheng::activity::ResolveHotlineCase {
            case,
            outcome: long_text("已解决"),
        }),
        "reply" => {
            Event::ReplyHotlineCase(chuangzheng::activity::ReplyHotlineCase { case, reply: None })
        }
        org => Event::ReceiveHotlineCase(chuangzheng::activity::ReceiveHotlineCase {
            id: case,
            org: id(org),
            category: code("road"),
            text: long_text("路灯不亮"),
        }),
    };
    cmd(d, event)
}

fn donation(d: Date, donation: &str, m: &str, amount: &str) -> Command {
    cmd(
        d,
        Event::RecordDonation(chuangzheng::activity::RecordDonation {
            id: id(donation),
            member: id(m),
            amount_yuan: yuan(amount),
            drive: None,
        }),
    )
}

fn home_visit(d: Date, visit: &str, m: &str, problems: u32, aid: &str) -> Command {
    cmd(
        d,
        Event::RecordHomeVisit(chuangzheng::activity::RecordHomeVisit {
            id: id(visit),
            cadre: id(m),
            problems_solved: problems,
            aid_yuan: yuan(aid),
        }),
    )
}

/// Hotline: v-1 receives two cases (one resolved, both replied), v-3 one. Donor m-d and
/// visiting cadre m-h serve o-1 (t-01) until 31 May, then o-3 (t-02): m-d gives 100 yuan in May
/// and 50 in June; m-h makes two visits in May (2 and 1 problems solved, 300 yuan of aid) and
/// one in June (4 problems, 200 yuan).
fn service() -> Vec<Command> {
    vec![
        add("m-d", "o-1", Role::Ordinary),
        add("m-h", "o-1", Role::Ordinary),
        case_step(day(5, 1), "hc-1", "v-1"),
        case_step(day(5, 2), "hc-2", "v-1"),
        case_step(day(5, 5), "hc-1", "resolve"),
        case_step(day(5, 5), "hc-1", "reply"),
        case_step(day(5, 6), "hc-2", "reply"),
        case_step(day(6, 2), "hc-3", "v-3"),
        donation(day(5, 10), "dn-1", "m-d", "100"),
        home_visit(day(5, 12), "hv-1", "m-h", 2, "300"),
        home_visit(day(5, 20), "hv-2", "m-h", 1, "0"),
        post(MOVE, "m-d", "o-3", Role::Ordinary),
        post(MOVE, "m-h", "o-3", Role::Ordinary),
        donation(day(6, 10), "dn-2", "m-d", "50"),
        home_visit(day(6, 12), "hv-3", "m-h", 4, "200"),
    ]
}

#[test]
fn hotline_cases_donations_and_home_visits_count_records_and_people_once() {
    let (r, h) = both(&service());
    // Cases (件次) under the organization that received them.
    r.expect("service.hotline.cases", 3, [2, 1, 0]);
    r.expect("service.hotline.resolved", 1, [1, 0, 0]);
    r.expect("service.hotline.replied", 2, [2, 0, 0]);
    r.expect_rate(
        "service.hotline.reply_rate",
        Some((2, 3)),
        [Some((2, 2)), Some((0, 1)), None],
    );
    // Donations (次) and money under the organization each was given through; the donor
    // (人) once, where they are posted on the as-of date.
    r.expect("service.donation.donations", 2, [1, 1, 0]);
    r.expect("service.donation.members", 1, [0, 1, 0]);
    r.expect("service.donation.amount_yuan", 150, [100, 50, 0]);
    // Visits (次) and what they did likewise; the cadre (人) once.
    r.expect("service.home_visits.visits", 3, [2, 1, 0]);
    r.expect("service.home_visits.cadres", 1, [0, 1, 0]);
    r.expect("service.home_visits.problems_solved", 7, [3, 4, 0]);
    r.expect("service.home_visits.aid_yuan", 500, [300, 200, 0]);
    // No organization moved: the historical reading places them alike.
    h.expect("service.donation.donations", 2, [1, 1, 0]);
    h.expect("service.donation.members", 1, [0, 1, 0]);
    h.expect("service.home_visits.cadres", 1, [0, 1, 0]);
}

// ---------------------------------------------------------------- volunteers and contact points

fn team(team: &str, o: &str) -> Command {
    cmd(
        day(4, 5),
        Event::FoundVolunteerTeam(chuangzheng::activity::FoundVolunteerTeam {
            id: id(team),
            name: name(team),
            org: id(o),
        }),
    )
}

fn join(d: Date, team: &str, m: &str) -> Command {
    cmd(
        d,
        Event::JoinVolunteerTeam(chuangzheng::activity::JoinVolunteerTeam {
            team: id(team),
            member: id(m),
        }),
    )
}

fn team_activity(d: Date, activity: &str, team: &str, people_served: u32) -> Command {
    cmd(
        d,
        Event::RecordVolunteerActivity(chuangzheng::activity::RecordVolunteerActivity {
            id: id(activity),
            team: id(team),
            kind: code("clinic"),
            people_served,
            outputs: Default::default(),
        }),
    )
}

/// Teams tm-1 (t-01) and tm-2 (t-02). Volunteer m-v joins tm-1 from v-1, moves to v-3 on
/// 1 June and joins tm-2 too (still in tm-1); m-w of v-3 is in tm-2. tm-1 holds two activities
/// (10 and 20 people served), tm-2 one (5).
fn volunteers() -> Vec<Command> {
    vec![
        add("m-v", "v-1", Role::Ordinary),
        add("m-w", "v-3", Role::Ordinary),
        team("tm-1", "t-01"),
        team("tm-2", "t-02"),
        join(day(4, 10), "tm-1", "m-v"),
        join(day(4, 10), "tm-2", "m-w"),
        team_activity(day(5, 1), "va-1", "tm-1", 10),
        team_activity(day(5, 15), "va-2", "tm-1", 20),
        post(MOVE, "m-v", "v-3", Role::Ordinary),
        join(day(6, 5), "tm-2", "m-v"),
        team_activity(day(6, 10), "va-3", "tm-2", 5),
    ]
}

#[test]
fn volunteers_in_two_teams_count_once() {
    let (r, h) = both(&volunteers());
    // Teams (支) where they sit; members (人) once, where posted on the as-of date.
    r.expect("volunteer.teams", 2, [1, 1, 0]);
    r.expect("volunteer.members", 2, [0, 2, 0]);
    // Activities (次) and people served (人次) under their team's organization.
    r.expect("volunteer.activities", 3, [2, 1, 0]);
    r.expect("volunteer.people_served", 35, [30, 5, 0]);
    h.expect("volunteer.members", 2, [0, 2, 0]);
    h.expect("volunteer.teams", 2, [1, 1, 0]);
}

fn link(d: Date, leader: &str, o: &str) -> Command {
    cmd(
        d,
        Event::LinkContactPoint(chuangzheng::activity::LinkContactPoint {
            leader: id(leader),
            org: id(o),
        }),
    )
}

fn level(d: Date, m: &str, leader_level: LeaderLevel) -> Command {
    cmd(
        d,
        Event::SetLeaderLevel(chuangzheng::org::SetLeaderLevel {
            member: id(m),
            leader_level,
        }),
    )
}

/// Leader m-l of o-1 (section level) links to v-1, becomes a city-level leader on 1 May, moves
/// to o-3 (t-02) on 1 June and links to v-3. m-k of o-2 (city level) links to v-2 and v-3. m-s
/// of o-1 (section level) links to v-1; m-x of o-1 (section level) links to v-2 and is no
/// longer a leader from 10 May.
fn contact_points() -> Vec<Command> {
    use LeaderLevel as L;
    vec![
        add_leader("m-l", "o-1", Role::Ordinary, L::Section),
        add_leader("m-k", "o-2", Role::Ordinary, L::City),
        add_leader("m-s", "o-1", Role::Ordinary, L::Section),
        add_leader("m-x", "o-1", Role::Ordinary, L::Section),
        link(day(4, 5), "m-l", "v-1"),
        link(day(4, 5), "m-k", "v-2"),
        link(day(4, 5), "m-k", "v-3"),
        link(day(4, 5), "m-s", "v-1"),
        link(day(4, 5), "m-x", "v-2"),
        level(day(5, 1), "m-l", L::City),
        level(day(5, 10), "m-x", L::None),
        post(MOVE, "m-l", "o-3", Role::Ordinary),
        link(day(6, 10), "m-l", "v-3"),
    ]
}

#[test]
fn leaders_with_two_contact_points_count_once_by_their_level_on_the_as_of_date() {
    let (r, h) = both(&contact_points());
    // Points (个) under the leader's organization on the day each was linked.
    r.expect("contact_points.points", 6, [3, 1, 2]);
    // Leaders (人) once, where posted on the as-of date, by their level then: m-l (two
    // points, one linked as a section-level leader) is one city-level leader in t-02; m-x,
    // no longer a leader, by the level of their point.
    r.expect("contact_points.city_leaders", 2, [0, 1, 1]);
    r.expect("contact_points.section_leaders", 2, [2, 0, 0]);
    h.expect("contact_points.city_leaders", 2, [0, 1, 1]);
    h.expect("contact_points.points", 6, [3, 1, 2]);
}

// ---------------------------------------------------------------- village matters

fn matter(d: Date, step: Event) -> Command {
    cmd(d, step)
}

fn propose(m: &str, village: &str) -> Command {
    matter(
        day(6, 1),
        Event::ProposeMatter(chuangzheng::deliberation::ProposeMatter {
            id: id(m),
            village: id(village),
            title: name("鱼塘发包"),
            text: long_text("鱼塘公开发包三年"),
            category: None,
        }),
    )
}

fn discuss(m: &str, votes_for: u32) -> Command {
    matter(
        day(6, 3),
        Event::DiscussMatter(chuangzheng::deliberation::DiscussMatter {
            matter: id(m),
            votes_for,
            against: 7 - votes_for,
            total: 7,
        }),
    )
}

fn deliberate(m: &str, votes_for: u32) -> Command {
    matter(
        day(6, 8),
        Event::DeliberateMatter(chuangzheng::deliberation::DeliberateMatter {
            matter: id(m),
            expected: 10,
            attending: 10,
            votes_for,
        }),
    )
}

fn review_matter(m: &str, veto: bool) -> Command {
    let decision = if veto {
        ReviewVerdict::Veto {
            reasons: long_text("程序不全"),
        }
    } else {
        ReviewVerdict::Approve
    };
    matter(
        day(6, 10),
        Event::ReviewMatter(chuangzheng::deliberation::ReviewMatter {
            matter: id(m),
            decision,
        }),
    )
}

fn resolve_matter(m: &str, votes_for: u32) -> Command {
    matter(
        day(6, 12),
        Event::ResolveMatter(chuangzheng::deliberation::ResolveMatter {
            matter: id(m),
            attending: 10,
            votes_for,
        }),
    )
}

/// Village v-1 proposes six matters, one ending at each outcome (dm-1 resolved with both
/// publications); v-3 one, resolved with its resolution published.
fn matters() -> Vec<Command> {
    let mut cmds = Vec::new();
    for (m, v) in [
        ("dm-1", "v-1"),
        ("dm-2", "v-1"),
        ("dm-3", "v-1"),
        ("dm-4", "v-1"),
        ("dm-5", "v-1"),
        ("dm-6", "v-1"),
        ("dm-7", "v-3"),
    ] {
        cmds.push(propose(m, v));
    }
    // dm-2 falls at the committees, dm-3 at the members, dm-4 at the township's review, dm-5
    // at the villagers; dm-6 stays in progress.
    cmds.push(discuss("dm-2", 3));
    for m in ["dm-1", "dm-3", "dm-4", "dm-5", "dm-7"] {
        cmds.push(discuss(m, 5));
    }
    cmds.push(deliberate("dm-3", 5));
    for m in ["dm-1", "dm-4", "dm-5", "dm-7"] {
        cmds.push(deliberate(m, 8));
    }
    cmds.push(review_matter("dm-4", true));
    for m in ["dm-1", "dm-5", "dm-7"] {
        cmds.push(review_matter(m, false));
    }
    cmds.push(resolve_matter("dm-5", 5));
    for m in ["dm-1", "dm-7"] {
        cmds.push(resolve_matter(m, 8));
        cmds.push(matter(
            day(6, 12),
            Event::PublishResolution(chuangzheng::deliberation::PublishResolution {
                matter: id(m),
            }),
        ));
    }
    cmds.push(matter(
        day(6, 20),
        Event::PublishResult(chuangzheng::deliberation::PublishResult {
            matter: id("dm-1"),
            result: long_text("已发包"),
        }),
    ));
    cmds
}

#[test]
fn village_matters_count_each_matter() {
    let (r, _) = both(&matters());
    // Matters (件): one village's six are six, each in exactly one outcome.
    r.expect("deliberation.proposed", 7, [6, 1, 0]);
    r.expect("deliberation.in_progress", 1, [1, 0, 0]);
    r.expect("deliberation.rejected_by_committees", 1, [1, 0, 0]);
    r.expect("deliberation.rejected_by_members", 1, [1, 0, 0]);
    r.expect("deliberation.vetoed", 1, [1, 0, 0]);
    r.expect("deliberation.rejected_by_villagers", 1, [1, 0, 0]);
    r.expect("deliberation.resolved", 2, [1, 1, 0]);
    r.expect("deliberation.resolutions_published", 2, [1, 1, 0]);
    r.expect("deliberation.results_published", 1, [1, 0, 0]);
}

// ---------------------------------------------------------------- a village that moved

/// Village v-2 (secretary m-9, household h-9) moves from t-01 to t-02 on 1 June; it holds a
/// reception and m-9 visits h-9 once before the move and once after.
fn moved_village() -> Vec<Command> {
    vec![
        add("m-9", "v-2", Role::Secretary),
        cmd(
            D0,
            Event::RegisterHousehold(chuangzheng::method123::RegisterHousehold {
                id: id("h-9"),
                village: id("v-2"),
            }),
        ),
        reception(day(5, 10), "v-2", &["m-9"], 6),
        visit(day(5, 10), "m-9", "h-9"),
        cmd(
            MOVE,
            Event::MoveOrg(chuangzheng::org::MoveOrg {
                org: id("v-2"),
                parent: id("t-02"),
            }),
        ),
        reception(day(6, 10), "v-2", &["m-9"], 2),
        visit(day(6, 10), "m-9", "h-9"),
    ]
}

#[test]
fn records_of_a_moved_village_split_by_their_day_and_its_entities_do_not() {
    let c = campaign(&moved_village());
    let r = Reports::of(&c, Reading::AsOf);
    r.add_up();
    r.match_the_citys_parts();
    // As of 30 June v-2 is t-02's, with its past.
    r.expect("m123.receptions", 2, [0, 2, 0]);
    r.expect("m123.visitors_received", 8, [0, 8, 0]);
    r.expect("m123.household_visits", 2, [0, 2, 0]);
    r.expect("m123.households_visited", 1, [0, 1, 0]);
    // m-9, and m-1 of v-1.
    r.expect("m123.secretaries", 2, [1, 1, 0]);
    // Historical, in the city report's parts: each record where v-2 stood on its day; the
    // household (户), the secretary and the cadre taking part where they stand on the as-of
    // date.
    let h = Reports::of(&c, Reading::Historical);
    let split = |key: &str, want: [u64; 3]| {
        assert_eq!(h.in_the_citys_parts(key), want.map(Decimal::from), "{key}");
        assert_eq!(
            amount(&h.root, key),
            Decimal::from(want.iter().sum::<u64>())
        );
    };
    split("m123.receptions", [1, 1, 0]);
    split("m123.visitors_received", [6, 2, 0]);
    split("m123.household_visits", [1, 1, 0]);
    split("m123.households_visited", [0, 1, 0]);
    split("m123.secretaries", [1, 1, 0]);
    split("m123.cadres_taking_part", [0, 1, 0]);
}

/// The same split from the townships' own reports. A township's split makes v-2 a head in
/// both t-01's (a former child, under the historical reading) and t-02's (a child on the as-of
/// date); each must hold only v-2's records of the days v-2 stood under it, or the townships
/// would add up to 4 receptions of the city's 2 (as they did before the walk checked the
/// record's day).
#[test]
fn a_townships_historical_report_counts_a_moved_villages_records_of_its_days_only() {
    let c = campaign(&moved_village());
    let h = Reports::of(&c, Reading::Historical);
    h.expect("m123.receptions", 2, [1, 1, 0]);
    h.expect("m123.household_visits", 2, [1, 1, 0]);
    h.expect("m123.households_visited", 1, [0, 1, 0]);
    h.add_up();
    h.match_the_citys_parts();
}

// ---------------------------------------------------------------- all together, and every key

#[test]
fn every_scenario_together_adds_up_and_both_readings_agree_at_the_root() {
    let all: Vec<Command> = [
        method123(),
        pledges(),
        coverage(),
        instructors(),
        service(),
        volunteers(),
        contact_points(),
        matters(),
        pairings(),
    ]
    .concat();
    let (r, h) = both(&all);
    for (key, figure) in r.root.totals.figures() {
        assert_eq!(h.root.figure(&key), Some(figure), "{key}: both readings");
    }
    // Spot checks that the scenarios did not disturb each other's distinct counts.
    r.expect("m123.secretaries", 1, [0, 1, 0]);
    r.expect("service.donation.members", 1, [0, 1, 0]);
    r.expect("instructors.members", 5, [4, 1, 0]);
}

#[test]
fn every_figure_key_is_tested_in_this_file() {
    let here = include_str!("distinct.rs");
    let missing: Vec<String> = StageFigures::default()
        .figures()
        .into_iter()
        .map(|(key, _)| key)
        .filter(|key| !here.contains(&format!("\"{key}\"")))
        .collect();
    assert!(
        missing.is_empty(),
        "keys with no test of what they count (entities or records) in tests/distinct.rs: \
         {missing:?}"
    );
}

/// A long text for a command built in Rust; the tests' texts are within bounds.
fn long_text(s: &str) -> chuangzheng::model::LongText {
    chuangzheng::model::LongText::new("test", s).unwrap()
}

/// A bounded list for a command built in Rust; the tests' lists are within bounds.
fn bounded<T, const MAX: usize>(items: Vec<T>) -> chuangzheng::model::Bounded<T, MAX> {
    chuangzheng::model::Bounded::new("test", items).unwrap()
}
