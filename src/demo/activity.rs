//! The demo city's service actions, volunteer teams, contact points and instructors, shaped so
//! that [`crate::activity::ActivityFigures`] reproduces the seed's figures exactly.
//!
//! For the seed city ([`super::DemoSpec::seed`]), [`commands`] records:
//!
//! - 1950 hotline cases, attributed round the township-level committees and departments, all
//!   1950 replied to and 1289 of them resolved (受理1950件次, 解决1289件, 回复率100%);
//! - donations to the 防汛救灾、重建家园 drive in August by 10267 members picked evenly across
//!   the city, totalling exactly 2,747,410 yuan (274.741万元);
//! - one home visit each by 2391 organ members picked evenly, solving 3599 problems and
//!   handing over aid of exactly 526,000 yuan (52.6万元);
//! - 421 volunteer teams owned by the village, community and organ organizations in turn, with
//!   5937 members from the owning organizations, founded before the 5 June launch, and two
//!   concentrated actions (义诊 566 people served, 5420 leaflets, 76 streets cleaned, 4630
//!   small advertisements removed: the seed's "560余名 … 5400余份 … 76条 … 4600多条");
//! - contact points: each of the 24 city-level leaders at one township-level committee and one
//!   city department, each of the 795 section-level leaders at one village or community;
//! - 798 instructors: the seed's 798 is the sum of its 493 non-public enterprises, 99 social
//!   organizations and 206 villages, so every enterprise and social organization unit
//!   (covered by an organization or not) and every village gets one, picked evenly among the
//!   organ members who are not leading cadres;
//! - 结对共建 (双包双联, [`pairing_commands`]): the 63 city departments, the city's 63 schools and
//!   clinics and 126 organ members paired with 63 villages;
//! - other activities: 走进直播间 (41 departments, 157 leading cadres, 203 consultations
//!   answered) and 62 惠民大篷车 trips.
//!
//! Each record is sent by the township-level committee or department above its organization.
//! On a state of another shape, the same rules apply with whatever members, organizations and
//! units there are: the counts shrink to what the city holds, and nothing panics.

use jiff::Span;
use jiff::civil::{Date, date};

use crate::activity::{Code, Output, PartnerRef, TargetRef};
use crate::ledger::{Actor, Command, Event, State};
use crate::model::{
    Amount, ExtId, LeaderLevel, MemberCategory, MemberIdx, Name, OrgIdx, OrgKind, Stamp, UnitKind,
};

/// What the demo's service actions and volunteers add up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityPlan {
    /// Hotline cases received (受理各类问题1950件次).
    pub hotline_cases: u32,
    /// Of them, resolved (已陆续解决实际问题1289件).
    pub hotline_resolved: u32,
    /// Distinct donors (10267名党员干部).
    pub donors: u32,
    /// Money donated, in yuan (274.741万元).
    pub donated_yuan: u64,
    /// Distinct members on home visits (2391名党员干部).
    pub visiting_cadres: u32,
    /// Problems solved on home visits (3599件).
    pub problems_solved: u32,
    /// Aid handed over on home visits, in yuan (52.6万元).
    pub aid_yuan: u64,
    /// Volunteer teams (421支党员义工队伍).
    pub teams: u32,
    /// Distinct volunteers (5937名党员).
    pub volunteers: u32,
    /// Villages paired with partners (与63个农村党组织结对共建); every department and
    /// institution is paired, round these villages.
    pub paired_villages: u32,
    /// Party cadres paired with those villages (126名党员干部).
    pub paired_cadres: u32,
}

impl ActivityPlan {
    /// The seed's totals.
    pub const fn seed() -> ActivityPlan {
        ActivityPlan {
            hotline_cases: 1950,
            hotline_resolved: 1289,
            donors: 10_267,
            donated_yuan: 2_747_410,
            visiting_cadres: 2391,
            problems_solved: 3599,
            aid_yuan: 526_000,
            teams: 421,
            volunteers: 5937,
            paired_villages: 63,
            paired_cadres: 126,
        }
    }

    /// Totals for a small city (see [`super::DemoSpec::small`]).
    pub const fn small() -> ActivityPlan {
        ActivityPlan {
            hotline_cases: 20,
            hotline_resolved: 13,
            donors: 30,
            donated_yuan: 8_000,
            visiting_cadres: 8,
            problems_solved: 11,
            aid_yuan: 2_000,
            teams: 4,
            volunteers: 16,
            paired_villages: 2,
            paired_cadres: 4,
        }
    }
}

/// The day every demo member is posted by, and the first day of these records.
const FIRST_DAY: Date = date(2010, 5, 4);

/// SplitMix64: a small, fixed pseudo-random sequence, so the demo is the same on every run.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next().checked_rem(n).unwrap_or(0)
    }
}

fn days(from: Date, n: i64) -> Date {
    from.saturating_add(Span::new().days(n))
}

/// The `i`-th of `n` days spread evenly over `[from, to]`.
fn spread_day(from: Date, to: Date, i: usize, n: usize) -> Date {
    let span = (to - from).get_days().max(0) as usize;
    days(from, (i * span).checked_div(n.max(1)).unwrap_or(0) as i64)
}

/// `total` split into `parts` values as evenly as possible (the first ones one more).
fn even(total: u64, parts: usize) -> Vec<u64> {
    let n = parts as u64;
    let base = total.checked_div(n).unwrap_or(0);
    let extra = total.checked_rem(n).unwrap_or(0);
    (0..n).map(|i| base + u64::from(i < extra)).collect()
}

/// `total` split into `parts` values that vary, summing to exactly `total`: an even split,
/// then a random amount moved within each pair (never taking a value below 1).
fn varied(total: u64, parts: usize, mix: &mut Mix) -> Vec<u64> {
    let mut v = even(total, parts);
    for pair in v.chunks_exact_mut(2) {
        let d = mix.below(pair[1]);
        pair[0] += d;
        pair[1] -= d;
    }
    v
}

/// `k` of `0..n`, spread evenly, distinct (all of them when `k >= n`).
fn pick(n: usize, k: usize) -> Vec<usize> {
    let k = k.min(n);
    (0..k).map(|i| i * n / k).collect()
}

fn code(s: &str) -> Option<Code> {
    Code::new("demo.code", s).ok()
}

fn yuan(y: u64) -> Amount {
    let fen = i64::try_from(y.saturating_mul(100)).unwrap_or(i64::MAX);
    Amount::from_fen("demo.amount", fen).unwrap_or(Amount::ZERO)
}

/// What the demo needs to know of the city, read once.
struct City<'a> {
    state: &'a State,
    plan: &'a ActivityPlan,
    /// Every member posted on [`FIRST_DAY`], with their organization, in index order.
    members: Vec<(MemberIdx, OrgIdx)>,
}

impl<'a> City<'a> {
    /// The city in `state`, with every member posted on [`FIRST_DAY`].
    fn of(state: &'a State, plan: &'a ActivityPlan) -> City<'a> {
        City {
            state,
            plan,
            members: state
                .members()
                .iter()
                .enumerate()
                .filter_map(|(i, m)| Some((MemberIdx(i as u32), m.posting_on(FIRST_DAY)?.org)))
                .collect(),
        }
    }

    /// The township-level committee or department above `org` (or `org` itself, at that
    /// level or the root): who sends the record.
    fn sender(&self, org: OrgIdx) -> Actor {
        let s = self.state;
        let mut at = org;
        for _ in 0..crate::ledger::MAX_DEPTH {
            match s.org(at).parent {
                Some(p) if s.org(p).parent.is_some() => at = p,
                _ => break,
            }
        }
        Actor::org(&s.org(at).id)
    }

    fn id(&self, org: OrgIdx) -> ExtId {
        self.state.org(org).id.clone()
    }

    fn member_id(&self, m: MemberIdx) -> ExtId {
        self.state.member(m).id.clone()
    }

    /// The organizations directly under the root: township-level committees and departments.
    fn tops(&self) -> Vec<OrgIdx> {
        self.state
            .root()
            .map(|r| self.state.children(r).to_vec())
            .unwrap_or_default()
    }

    fn orgs_of(&self, kinds: &[OrgKind]) -> Vec<OrgIdx> {
        (0..self.state.orgs().len() as u32)
            .map(OrgIdx)
            .filter(|o| kinds.contains(&self.state.org(*o).kind))
            .collect()
    }

    fn organ_members(&self, leaders: bool) -> Vec<(MemberIdx, OrgIdx)> {
        self.members
            .iter()
            .copied()
            .filter(|(m, _)| {
                let member = self.state.member(*m);
                member.category == MemberCategory::Organ
                    && (leaders || member.leader_level.is_none())
            })
            .collect()
    }
}

/// The demo's service actions, volunteer teams, contact points, instructors and other
/// activities for the city in `state` (built by [`super::commands`]), dated from 4 May to
/// [`super::AS_OF`], in date order. Deterministic for a given state.
pub fn commands(state: &State, plan: &ActivityPlan) -> Vec<Command> {
    let city = City::of(state, plan);
    let mut mix = Mix(0xAC71_0001);
    let mut cmds = Vec::new();
    hotline(&city, &mut mix, &mut cmds);
    donations(&city, &mut mix, &mut cmds);
    home_visits(&city, &mut mix, &mut cmds);
    volunteers(&city, &mut cmds);
    contact_points(&city, &mut cmds);
    instructors(&city, &mut cmds);
    other_activities(&city, &mut cmds);
    // Checked in date order per entity; the sort is stable, so a day keeps the order above
    // (a team founded before its members join, a case received before it is answered).
    cmds.sort_by_key(|c| c.at.date);
    cmds
}

/// The day the demo's pairings began (结对共建 is 常年, so they are in force all stage long).
const PAIRED_ON: Date = date(2010, 5, 10);

/// 双包双联: every city department and every institution (school, clinic), and
/// `plan.paired_cadres` organ members picked evenly, each paired with one of
/// `plan.paired_villages` villages picked evenly, in turn; sent by the city committee and dated
/// 10 May 2010. The seed's 63 departments and 126 cadres with 63 villages are reproduced; its
/// 71 institutions are not, as the demo city (unchanged since release 0.1) holds 63 (40 schools
/// and 23 clinics).
///
/// These commands were added after release 0.1: [`super::records`] sends them after all the
/// others, so the journal release 0.1 wrote for the demo stays a byte-for-byte prefix of
/// today's (`tests/legacy.rs`). A journal need not be in date order; reports read the dates.
pub fn pairing_commands(state: &State, plan: &ActivityPlan) -> Vec<Command> {
    let city = City::of(state, plan);
    let (Some(root), villages) = (state.root(), city.orgs_of(&[OrgKind::Village])) else {
        return Vec::new();
    };
    let chosen: Vec<OrgIdx> = pick(villages.len(), plan.paired_villages as usize)
        .into_iter()
        .map(|i| villages[i])
        .collect();
    let orgs = city.orgs_of(&[OrgKind::CityDepartment, OrgKind::School, OrgKind::Clinic]);
    let cadres = city.organ_members(true);
    let partners = orgs.iter().map(|o| PartnerRef::Org(city.id(*o))).chain(
        pick(cadres.len(), plan.paired_cadres as usize)
            .into_iter()
            .map(|i| PartnerRef::Member(city.member_id(cadres[i].0))),
    );
    let mut cmds = Vec::new();
    for (k, partner) in partners.enumerate() {
        let Some(village) = chosen.get(k % chosen.len().max(1)) else {
            break;
        };
        push(
            &mut cmds,
            PAIRED_ON,
            Actor::org(&city.id(root)),
            Event::PairVillage(crate::activity::PairVillage {
                partner,
                village: city.id(*village),
            }),
        );
    }
    cmds
}

fn push(cmds: &mut Vec<Command>, on: Date, actor: Actor, event: Event) {
    cmds.push(Command::new(Stamp::on(on), actor, event));
}

fn hotline(city: &City, mix: &mut Mix, cmds: &mut Vec<Command>) {
    let tops = city.tops();
    if tops.is_empty() {
        return;
    }
    let categories: Vec<Code> = [
        "road",
        "water_supply",
        "employment",
        "social_security",
        "environment",
        "housing",
    ]
    .into_iter()
    .filter_map(code)
    .collect();
    let n = city.plan.hotline_cases as usize;
    let resolved = city.plan.hotline_resolved as usize;
    for i in 0..n {
        let Ok(case) = super::try_id(&format!("hl-{:04}", i + 1)) else {
            continue;
        };
        let org = tops[i % tops.len()];
        let actor = city.sender(org);
        let received = spread_day(date(2010, 5, 10), date(2010, 9, 30), i, n);
        let Some(category) = categories.get(i % categories.len().max(1)).cloned() else {
            continue;
        };
        push(
            cmds,
            received,
            actor.clone(),
            Event::ReceiveHotlineCase(crate::activity::ReceiveHotlineCase {
                id: case.clone(),
                org: city.id(org),
                category,
                text: super::text("群众来电反映的民生问题"),
            }),
        );
        push(
            cmds,
            days(received, 1 + mix.below(3) as i64),
            actor.clone(),
            Event::ReplyHotlineCase(crate::activity::ReplyHotlineCase {
                case: case.clone(),
                reply: Some(super::text("已转相关部门办理并告知来电群众")),
            }),
        );
        // Resolved: `resolved` of the `n` cases, spread evenly.
        if (i + 1) * resolved / n > i * resolved / n {
            push(
                cmds,
                days(received, 3 + mix.below(20) as i64),
                actor,
                Event::ResolveHotlineCase(crate::activity::ResolveHotlineCase {
                    case,
                    outcome: super::text("相关部门已解决"),
                }),
            );
        }
    }
}

fn donations(city: &City, mix: &mut Mix, cmds: &mut Vec<Command>) {
    let donors = pick(city.members.len(), city.plan.donors as usize);
    let amounts = varied(city.plan.donated_yuan, donors.len(), mix);
    let drive = Name::new("demo.drive", "防汛救灾、重建家园").ok();
    for (k, (&i, &amount)) in donors.iter().zip(&amounts).enumerate() {
        let (m, org) = city.members[i];
        let Ok(id) = super::try_id(&format!("dn-{:05}", k + 1)) else {
            continue;
        };
        push(
            cmds,
            spread_day(date(2010, 8, 5), date(2010, 8, 31), k, donors.len()),
            city.sender(org),
            Event::RecordDonation(crate::activity::RecordDonation {
                id,
                member: city.member_id(m),
                amount_yuan: yuan(amount),
                drive: drive.clone(),
            }),
        );
    }
}

fn home_visits(city: &City, mix: &mut Mix, cmds: &mut Vec<Command>) {
    let organ = city.organ_members(true);
    let pool = if organ.len() >= city.plan.visiting_cadres as usize {
        organ
    } else {
        city.members.clone()
    };
    let cadres = pick(pool.len(), city.plan.visiting_cadres as usize);
    let problems = even(u64::from(city.plan.problems_solved), cadres.len());
    let aid = varied(city.plan.aid_yuan, cadres.len(), mix);
    for (k, &i) in cadres.iter().enumerate() {
        let (m, org) = pool[i];
        let Ok(id) = super::try_id(&format!("hv-{:04}", k + 1)) else {
            continue;
        };
        push(
            cmds,
            spread_day(date(2010, 6, 1), date(2010, 10, 20), k, cadres.len()),
            city.sender(org),
            Event::RecordHomeVisit(crate::activity::RecordHomeVisit {
                id,
                cadre: city.member_id(m),
                problems_solved: u32::try_from(problems[k]).unwrap_or(0),
                aid_yuan: yuan(aid[k]),
            }),
        );
    }
}

fn volunteers(city: &City, cmds: &mut Vec<Command>) {
    let owners = city.orgs_of(&[OrgKind::Village, OrgKind::Community, OrgKind::Organ]);
    if owners.is_empty() {
        return;
    }
    let n = city.plan.teams as usize;
    let sizes = even(u64::from(city.plan.volunteers), n);
    // Per owner: the members not yet in one of its teams.
    let mut next_member = vec![0usize; owners.len()];
    let members_of = |o: OrgIdx| -> Vec<MemberIdx> {
        city.members
            .iter()
            .filter(|(_, org)| *org == o)
            .map(|(m, _)| *m)
            .collect()
    };
    let pools: Vec<Vec<MemberIdx>> = owners.iter().map(|o| members_of(*o)).collect();
    let mut teams = Vec::new();
    for (t, &size) in sizes.iter().enumerate() {
        let w = t % owners.len();
        let org = owners[w];
        let (Ok(team), Ok(name)) = (
            super::try_id(&format!("vt-{:03}", t + 1)),
            Name::new(
                "demo.name",
                &format!("{}党员义工服务队{}", city.id(org), t / owners.len() + 1),
            ),
        ) else {
            continue;
        };
        let actor = city.sender(org);
        push(
            cmds,
            date(2010, 6, 1),
            actor.clone(),
            Event::FoundVolunteerTeam(crate::activity::FoundVolunteerTeam {
                id: team.clone(),
                name,
                org: city.id(org),
            }),
        );
        let take = (size as usize).min(pools[w].len().saturating_sub(next_member[w]));
        for j in 0..take {
            let m = pools[w][next_member[w] + j];
            push(
                cmds,
                days(date(2010, 6, 1), (j % 4) as i64),
                actor.clone(),
                Event::JoinVolunteerTeam(crate::activity::JoinVolunteerTeam {
                    team: team.clone(),
                    member: city.member_id(m),
                }),
            );
        }
        next_member[w] += take;
        teams.push((team, actor));
    }
    volunteer_actions(&teams, cmds);
}

/// Two concentrated actions after the 5 June launch: every team takes part in each, as a
/// medical clinic (义诊), publicity (宣传) or cleaning (清扫), in turn.
fn volunteer_actions(teams: &[(ExtId, Actor)], cmds: &mut Vec<Command>) {
    const KINDS: [&str; 3] = ["medical_clinic", "publicity", "cleaning"];
    let actions = [date(2010, 6, 12), date(2010, 9, 11)];
    // (action, team, kind)
    let mut plan: Vec<(usize, usize, usize)> = Vec::new();
    for a in 0..actions.len() {
        for t in 0..teams.len() {
            plan.push((a, t, (t + a) % KINDS.len()));
        }
    }
    let of_kind = |k: usize| plan.iter().filter(|p| p.2 == k).count();
    let served = even(566, of_kind(0));
    let leaflets = even(5420, of_kind(1));
    let streets = even(76, of_kind(2));
    let ads = even(4630, of_kind(2));
    let mut seen = [0usize; 3];
    for (i, &(a, t, k)) in plan.iter().enumerate() {
        let nth = seen[k];
        seen[k] += 1;
        let output = |what: &str, count: u64| {
            let count = u32::try_from(count).ok().filter(|c| *c > 0)?;
            Some(Output {
                what: code(what)?,
                count,
            })
        };
        let (people_served, outputs) = match k {
            0 => (served[nth], Vec::new()),
            1 => (0, output("leaflets", leaflets[nth]).into_iter().collect()),
            _ => (
                0,
                [
                    output("streets_cleaned", streets[nth]),
                    output("ads_removed", ads[nth]),
                ]
                .into_iter()
                .flatten()
                .collect(),
            ),
        };
        let (Ok(id), Some(kind)) = (super::try_id(&format!("va-{:04}", i + 1)), code(KINDS[k]))
        else {
            continue;
        };
        let (team, actor) = &teams[t];
        push(
            cmds,
            actions[a],
            actor.clone(),
            Event::RecordVolunteerActivity(crate::activity::RecordVolunteerActivity {
                id,
                team: team.clone(),
                kind,
                people_served: u32::try_from(people_served).unwrap_or(0),
                outputs: super::list(outputs),
            }),
        );
    }
}

fn contact_points(city: &City, cmds: &mut Vec<Command>) {
    let s = city.state;
    let townships: Vec<OrgIdx> = city
        .tops()
        .into_iter()
        .filter(|o| s.org(*o).kind.is_township_level())
        .collect();
    let departments = city.orgs_of(&[OrgKind::CityDepartment]);
    let grassroots = city.orgs_of(&[OrgKind::Village, OrgKind::Community]);
    let on = date(2010, 5, 20);
    let (mut city_k, mut section_k) = (0usize, 0usize);
    for &(m, org) in &city.members {
        let targets: Vec<OrgIdx> = match s.member(m).leader_level {
            LeaderLevel::City => {
                city_k += 1;
                [&townships, &departments]
                    .into_iter()
                    .filter_map(|list| list.get((city_k - 1) % list.len().max(1)).copied())
                    .collect()
            }
            LeaderLevel::Section => {
                section_k += 1;
                grassroots
                    .get((section_k - 1) % grassroots.len().max(1))
                    .copied()
                    .into_iter()
                    .collect()
            }
            LeaderLevel::None => continue,
        };
        for target in targets {
            push(
                cmds,
                on,
                city.sender(org),
                Event::LinkContactPoint(crate::activity::LinkContactPoint {
                    leader: city.member_id(m),
                    org: city.id(target),
                }),
            );
        }
    }
}

fn instructors(city: &City, cmds: &mut Vec<Command>) {
    let s = city.state;
    let mut targets: Vec<(TargetRef, OrgIdx)> = s
        .units()
        .iter()
        .filter(|u| u.kind != UnitKind::Cooperative)
        .map(|u| (TargetRef::Unit(u.id.clone()), u.area))
        .collect();
    targets.extend(
        city.orgs_of(&[OrgKind::Village])
            .into_iter()
            .map(|v| (TargetRef::Village(city.id(v)), v)),
    );
    let pool = city.organ_members(false);
    let chosen = pick(pool.len(), targets.len());
    for ((target, org), &i) in targets.into_iter().zip(&chosen) {
        push(
            cmds,
            date(2010, 6, 15),
            city.sender(org),
            Event::AssignInstructor(crate::activity::AssignInstructor {
                instructor: city.member_id(pool[i].0),
                target,
            }),
        );
    }
}

fn other_activities(city: &City, cmds: &mut Vec<Command>) {
    let departments = city.orgs_of(&[OrgKind::CityDepartment]);
    let studio = departments.len().min(41);
    let participants = even(157, studio);
    let answered = even(203, studio);
    let title = |s: &str| Name::new("demo.title", s).ok();
    let mut n = 0;
    let (Some(live), Some(caravan), Some(live_title), Some(caravan_title)) = (
        code("live_studio"),
        code("benefit_caravan"),
        title("走进直播间"),
        title("惠民大篷车进镇村"),
    ) else {
        return;
    };
    for (k, &d) in departments.iter().take(studio).enumerate() {
        n += 1;
        let Ok(id) = super::try_id(&format!("ac-{n:03}")) else {
            continue;
        };
        push(
            cmds,
            spread_day(date(2010, 5, 15), date(2010, 10, 15), k, studio),
            city.sender(d),
            Event::RecordActivity(crate::activity::RecordActivity {
                id,
                org: city.id(d),
                kind: live.clone(),
                title: live_title.clone(),
                participants: u32::try_from(participants[k]).unwrap_or(0),
                people_served: u32::try_from(answered[k]).unwrap_or(0),
            }),
        );
    }
    let farm_departments: Vec<OrgIdx> = departments.iter().take(5).copied().collect();
    for k in 0..62 {
        let Some(&d) = farm_departments.get(k % farm_departments.len().max(1)) else {
            break;
        };
        n += 1;
        let Ok(id) = super::try_id(&format!("ac-{n:03}")) else {
            continue;
        };
        push(
            cmds,
            spread_day(date(2010, 5, 20), date(2010, 10, 20), k, 62),
            city.sender(d),
            Event::RecordActivity(crate::activity::RecordActivity {
                id,
                org: city.id(d),
                kind: caravan.clone(),
                title: caravan_title.clone(),
                participants: 5 + (k % 4) as u32,
                people_served: 0,
            }),
        );
    }
}
