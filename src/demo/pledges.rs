//! The demo city's public pledges: set, reviewed (some returned for revision), published,
//! reported on monthly, fulfilled or still in progress, with the carriers' outputs.
//!
//! [`PledgePlan::seed`] holds the seed's totals; [`commands`] spreads them over the city's
//! organizations and members as the raw records a host would send. Nothing here is a figure of
//! the report: the report counts what these commands leave in the state.

use jiff::civil::{Date, date};
use rust_decimal::Decimal;

use super::{AS_OF, id, name, picked, share};
use crate::ledger::{Actor, Command, Event, State};
use crate::model::{Amount, ExtId, OrgIdx, Period, Stamp};
use crate::pledge::{
    Achieved, Carrier, Focus, Goal, Outputs, OwnerRef, PledgeContent, PledgeKind, ReviewDecision,
    Target,
};

/// What the demo's pledges add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgePlan {
    /// Practical-matter pledges made (实事承诺), members' and organizations'. Every member of
    /// the four carrier categories makes one; organizations make the rest.
    pub practical: u32,
    /// Of them, fulfilled by the as-of date.
    pub practical_fulfilled: u32,
    /// The share of organizations' work pledges fulfilled by the as-of date, in percent.
    pub work_fulfilled_percent: u32,
    /// Organizations whose pledge was returned for revision once.
    pub revised_orgs: u32,
    /// Members whose pledge was returned for revision once.
    pub revised_members: u32,
    /// The outputs recorded through each carrier, in [`Carrier::ALL`] order.
    pub outputs: [Outputs; 4],
}

fn yuan(n: i64) -> Amount {
    Amount::from_yuan("demo.benefit_yuan", Decimal::from(n))
        .unwrap_or_else(|e| panic!("demo amount {n}: {e}"))
}

impl PledgePlan {
    /// The seed's totals (seed §三: 四个载体 and the practical pledges).
    pub fn seed() -> PledgePlan {
        PledgePlan {
            practical: 24768,
            practical_fulfilled: 13876,
            work_fulfilled_percent: 40,
            revised_orgs: 25,
            revised_members: 268,
            outputs: [
                Outputs {
                    problems_solved: 687,
                    matters_done: 7832,
                    ..Outputs::default()
                },
                Outputs {
                    problems_solved: 1326,
                    clinics_held: 43,
                    cleanups_held: 156,
                    ..Outputs::default()
                },
                Outputs {
                    volunteer_teams: 39,
                    supervision_actions: 45,
                    resident_events: 33,
                    ..Outputs::default()
                },
                Outputs {
                    problems_solved: 273,
                    tech_groups: 1059,
                    projects_completed: 50,
                    benefit_yuan: yuan(10_500_000),
                    ..Outputs::default()
                },
            ],
        }
    }

    /// Totals for a small city (see [`super::DemoSpec::small`]).
    pub fn small() -> PledgePlan {
        PledgePlan {
            practical: 100,
            practical_fulfilled: 47,
            work_fulfilled_percent: 40,
            revised_orgs: 2,
            revised_members: 5,
            outputs: [
                Outputs {
                    problems_solved: 7,
                    matters_done: 30,
                    ..Outputs::default()
                },
                Outputs {
                    problems_solved: 9,
                    ..Outputs::default()
                },
                Outputs {
                    volunteer_teams: 2,
                    ..Outputs::default()
                },
                Outputs {
                    problems_solved: 3,
                    benefit_yuan: yuan(120_000),
                    ..Outputs::default()
                },
            ],
        }
    }
}

/// One pledge to generate.
struct Plan {
    id: ExtId,
    owner: OwnerRef,
    /// The owner's side, which drafts, submits, publishes and reports.
    actor: ExtId,
    /// The reviewer.
    reviewer: ExtId,
    kind: PledgeKind,
    carrier: Option<Carrier>,
    returned: bool,
    fulfilled: bool,
    /// Index among its carrier's pledges, for spreading the outputs.
    carrier_slot: Option<(usize, u64)>,
}

const DEADLINE: Date = date(2010, 12, 31);

fn day(d: Date, n: i64) -> Date {
    d.saturating_add(jiff::Span::new().days(n))
}

/// The commands of the pledges of `plan` in the city `state` holds (built by
/// [`super::commands`]), in date order. Every member of the four carrier categories posted on
/// the drafting day makes one practical pledge; organizations below the city make the other
/// practical pledges and one work pledge each.
pub fn commands(state: &State, plan: &PledgePlan) -> Vec<Command> {
    let drafted = date(2010, 5, 10);
    let mut plans = Vec::new();
    // Members: one practical pledge each, through their category's carrier.
    let mut carrier_count = [0u64; 4];
    for m in state.members() {
        let Some(posting) = m.posting_on(drafted) else {
            continue;
        };
        let Some(carrier) = Carrier::usual_for(m.category) else {
            continue;
        };
        let slot = Carrier::ALL.iter().position(|c| *c == carrier).unwrap_or(0);
        let org = state.org(posting.org).id.clone();
        plans.push(Plan {
            id: id(&format!("pm-{}", m.id.as_str())),
            owner: OwnerRef::Member(m.id.clone()),
            actor: org.clone(),
            reviewer: org,
            kind: PledgeKind::PracticalMatter,
            carrier: None,
            returned: false,
            fulfilled: false,
            carrier_slot: Some((slot, carrier_count[slot])),
        });
        carrier_count[slot] += 1;
    }
    let members_practical = plans.len() as u64;
    // Organizations below the city: the rest of the practical pledges, spread evenly, and one
    // work pledge each.
    let orgs: Vec<OrgIdx> = (0..state.orgs().len() as u32)
        .map(OrgIdx)
        .filter(|o| state.org(*o).parent.is_some() && state.org(*o).since <= drafted)
        .collect();
    let org_practical = u64::from(plan.practical).saturating_sub(members_practical);
    let n_orgs = orgs.len() as u64;
    for (i, &o) in orgs.iter().enumerate() {
        let org = state.org(o);
        let Some(parent) = org.parent else { continue };
        let parent = state.org(parent).id.clone();
        let practical = share(org_practical, i as u64, n_orgs);
        for (k, kind) in std::iter::repeat_n(PledgeKind::PracticalMatter, practical as usize)
            .chain([PledgeKind::Work])
            .enumerate()
        {
            plans.push(Plan {
                id: id(&format!("po-{}-{k}", org.id.as_str())),
                owner: OwnerRef::Org(org.id.clone()),
                actor: org.id.clone(),
                reviewer: parent.clone(),
                kind,
                carrier: None,
                returned: false,
                fulfilled: false,
                carrier_slot: None,
            });
        }
    }
    mark(&mut plans, plan);

    let mut cmds = Vec::new();
    for (i, p) in plans.iter().enumerate() {
        pledge_commands(&mut cmds, p, i, plan, &carrier_count);
    }
    // Stable: each pledge's own commands keep their order within a day.
    cmds.sort_by_key(|c| c.at.date);
    cmds
}

/// Picks the returned and the fulfilled pledges, spread evenly over the city.
fn mark(plans: &mut [Plan], plan: &PledgePlan) {
    let practical = plans
        .iter()
        .filter(|p| p.kind == PledgeKind::PracticalMatter)
        .count() as u64;
    let (mut i, mut w) = (0, 0);
    for p in plans.iter_mut() {
        if p.kind == PledgeKind::PracticalMatter {
            p.fulfilled = picked(i, u64::from(plan.practical_fulfilled), practical);
            i += 1;
        } else {
            p.fulfilled = picked(w, u64::from(plan.work_fulfilled_percent), 100);
            w += 1;
        }
    }
    // Each owner is returned at most once: members own one pledge, organizations' first.
    let members = plans
        .iter()
        .filter(|p| matches!(p.owner, OwnerRef::Member(_)))
        .count() as u64;
    for (i, p) in plans
        .iter_mut()
        .filter(|p| matches!(p.owner, OwnerRef::Member(_)))
        .enumerate()
    {
        p.returned = picked(i as u64, u64::from(plan.revised_members), members);
    }
    let firsts: Vec<usize> = plans
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p.owner, OwnerRef::Org(_)) && p.id.as_str().ends_with("-0"))
        .map(|(i, _)| i)
        .collect();
    let n = firsts.len() as u64;
    for (k, &i) in firsts.iter().enumerate() {
        plans[i].returned = picked(k as u64, u64::from(plan.revised_orgs), n);
    }
}

fn content(p: &Plan, goal: u64, title: &str) -> PledgeContent {
    let target = Target::new(
        "为群众办实事件数",
        "件",
        Goal::exact("demo.goal", &goal.to_string()).unwrap_or_else(|e| panic!("demo goal: {e}")),
    )
    .unwrap_or_else(|e| panic!("demo target: {e}"));
    let text = match p.kind {
        PledgeKind::PracticalMatter => format!("年内为群众办实事{goal}件, 每月公开进展。"),
        PledgeKind::Work => "围绕中心工作, 推进创先争优活动各项任务落实。".to_string(),
    };
    PledgeContent::new(name(title), &text, DEADLINE, vec![target])
        .unwrap_or_else(|e| panic!("demo content: {e}"))
}

/// The command of `event` by `actor` on `d`.
fn at(d: Date, actor: &ExtId, event: Event) -> Command {
    Command::new(Stamp::on(d), Actor::org(actor), event)
}

/// The commands of the `i`-th pledge `p`, in order: drafted and submitted, returned and
/// revised if it is to be, approved and published, reported on monthly (and fulfilled), then
/// its share of its carrier's outputs.
fn pledge_commands(
    cmds: &mut Vec<Command>,
    p: &Plan,
    i: usize,
    plan: &PledgePlan,
    carrier_count: &[u64; 4],
) {
    let goal = 2 + (i as u64 % 5);
    let drafted = draft_and_submit(cmds, p, i, goal);
    let mut d = day(drafted, 3);
    if p.returned {
        d = return_and_revise(cmds, p, goal, d);
    }
    let published = approve_and_publish(cmds, p, d);
    monthly_reports(cmds, p, i, goal, published);
    if let Some((slot, k)) = p.carrier_slot {
        let outputs = outputs_share(&plan.outputs[slot], k, carrier_count[slot]);
        if !outputs.is_empty() {
            cmds.push(at(
                day(published, 20),
                &p.actor,
                Event::RecordFulfilment(crate::pledge::RecordFulfilment {
                    pledge: p.id.clone(),
                    outputs,
                    note: None,
                }),
            ));
        }
    }
}

/// The `i`-th pledge drafted (drafts spread over the three weeks from 10 May) and submitted
/// the next day; returns the drafting day.
fn draft_and_submit(cmds: &mut Vec<Command>, p: &Plan, i: usize, goal: u64) -> Date {
    let d0 = date(2010, 5, 10).saturating_add(jiff::Span::new().days(i as i64 % 21));
    cmds.push(at(
        d0,
        &p.actor,
        Event::DraftPledge(crate::pledge::DraftPledge {
            id: p.id.clone(),
            owner: p.owner.clone(),
            kind: p.kind,
            focus: Focus::ALL[i % Focus::ALL.len()],
            carrier: p.carrier,
            content: content(p, goal, "承诺书"),
        }),
    ));
    cmds.push(at(
        day(d0, 1),
        &p.actor,
        Event::SubmitPledge(crate::pledge::SubmitPledge {
            pledge: p.id.clone(),
        }),
    ));
    d0
}

/// The pledge returned for revision on `d`, revised and submitted again within days; returns
/// the day of its second review.
fn return_and_revise(cmds: &mut Vec<Command>, p: &Plan, goal: u64, d: Date) -> Date {
    cmds.push(at(
        d,
        &p.reviewer,
        Event::ReviewPledge(crate::pledge::ReviewPledge {
            pledge: p.id.clone(),
            decision: ReviewDecision::Return {
                reasons: super::text("承诺目标不够具体, 请写明件数和时限"),
            },
        }),
    ));
    cmds.push(at(
        day(d, 2),
        &p.actor,
        Event::RevisePledge(crate::pledge::RevisePledge {
            pledge: p.id.clone(),
            content: content(p, goal, "承诺书 (修改稿)"),
        }),
    ));
    cmds.push(at(
        day(d, 3),
        &p.actor,
        Event::SubmitPledge(crate::pledge::SubmitPledge {
            pledge: p.id.clone(),
        }),
    ));
    day(d, 5)
}

/// The pledge approved on `d` and published two days later; returns the publication day.
fn approve_and_publish(cmds: &mut Vec<Command>, p: &Plan, d: Date) -> Date {
    cmds.push(at(
        d,
        &p.reviewer,
        Event::ReviewPledge(crate::pledge::ReviewPledge {
            pledge: p.id.clone(),
            decision: ReviewDecision::Approve,
        }),
    ));
    let published = day(d, 2);
    cmds.push(at(
        published,
        &p.actor,
        Event::PublishPledge(crate::pledge::PublishPledge {
            pledge: p.id.clone(),
        }),
    ));
    published
}

/// Monthly reports on each month's last day, from the publication's month to the as-of
/// date's. A fulfilled pledge reaches its goal in month `done` and is declared fulfilled that
/// day; the others make steady progress short of it.
fn monthly_reports(cmds: &mut Vec<Command>, p: &Plan, i: usize, goal: u64, published: Date) {
    let months: Vec<Period> = month_ends(published);
    let done = i % months.len().max(1);
    for (k, month) in months.iter().enumerate() {
        let value = if p.fulfilled {
            if k >= done {
                goal
            } else {
                goal * (k as u64 + 1) / (done as u64 + 2)
            }
        } else {
            (goal - 1) * (k as u64 + 1) / months.len() as u64
        };
        cmds.push(at(
            month.last_day(),
            &p.actor,
            Event::ReportProgress(crate::pledge::ReportProgress {
                pledge: p.id.clone(),
                month: *month,
                achieved: super::list(vec![Achieved {
                    target: 0,
                    value: Decimal::from(value),
                }]),
                note: None,
                correction: false,
            }),
        ));
        if p.fulfilled && k == done {
            cmds.push(at(
                month.last_day(),
                &p.actor,
                Event::FulfilPledge(crate::pledge::FulfilPledge {
                    pledge: p.id.clone(),
                }),
            ));
            break;
        }
    }
}

/// The months from `from`'s to the as-of date's.
fn month_ends(from: Date) -> Vec<Period> {
    let mut out = Vec::new();
    let mut m = Period::containing(from, crate::model::Granularity::Month);
    while m.first_day() <= AS_OF {
        out.push(m);
        match m.next() {
            Some(n) => m = n,
            None => break,
        }
    }
    out
}

/// Share `k` of `n` of every output in `total`: the shares add up to `total` exactly.
fn outputs_share(total: &Outputs, k: u64, n: u64) -> Outputs {
    let s = |t: u64| share(t, k, n);
    let fen = u64::try_from(total.benefit_yuan.fen()).unwrap_or(0);
    Outputs {
        problems_solved: s(total.problems_solved),
        matters_done: s(total.matters_done),
        clinics_held: s(total.clinics_held),
        cleanups_held: s(total.cleanups_held),
        volunteer_teams: s(total.volunteer_teams),
        supervision_actions: s(total.supervision_actions),
        resident_events: s(total.resident_events),
        tech_groups: s(total.tech_groups),
        projects_completed: s(total.projects_completed),
        // Whole yuan: shares of the yuan, in fen.
        benefit_yuan: Amount::from_fen(
            "demo.benefit_yuan",
            i64::try_from(share(fen / 100, k, n) * 100).unwrap_or(0),
        )
        .unwrap_or_else(|e| panic!("demo benefit: {e}")),
    }
}
