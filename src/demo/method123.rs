//! The demo city's 123 work method since the notice: weekly receptions in every village,
//! monthly visits of poor households by every cadre, villagers' concerns raised, handled,
//! escalated and resolved.
//!
//! [`Method123Plan::seed`] holds the seed's totals; [`commands`] spreads them over the city's
//! villages and cadres as raw records. The report counts what these commands leave in the state.

use jiff::civil::{Date, date};

use super::{AS_OF, id, picked, share};
use crate::ledger::{Actor, Command, Event, State};
use crate::method123::{Channel, ConcernCategory, Tier};
use crate::model::{ExtId, OrgIdx, OrgKind, Stamp};

/// What the demo's 123 records add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method123Plan {
    /// The first day of the method (the notice).
    pub from: Date,
    /// The last day records are made for ([`AS_OF`] for the seed's stage review).
    pub until: Date,
    /// Visitors received in all (人次), over one reception per village and full week.
    pub visitors: u32,
    /// Poor households on the registers, each visited at least once.
    pub households: u32,
    /// Concerns collected.
    pub concerns: u32,
    /// Of them, resolved by the as-of date.
    pub resolved: u32,
}

impl Method123Plan {
    /// The seed's totals (seed §服务: 推行"123工作法").
    pub fn seed() -> Method123Plan {
        Method123Plan {
            from: date(2010, 7, 1),
            until: AS_OF,
            visitors: 4350,
            households: 1296,
            concerns: 468,
            resolved: 308,
        }
    }

    /// Totals for a small city (see [`super::DemoSpec::small`]).
    pub fn small() -> Method123Plan {
        Method123Plan {
            from: date(2010, 7, 1),
            until: AS_OF,
            visitors: 120,
            households: 30,
            concerns: 14,
            resolved: 9,
        }
    }

    /// The same method carried on for a whole year from `from` (to the day before its
    /// anniversary): visitors, concerns and resolutions scaled by the days covered, rounded
    /// down; the registers of poor households as they are. For the province benches, whose
    /// 123 records cover a year.
    pub fn for_a_year(&self) -> Method123Plan {
        let anniversary = self.from.saturating_add(jiff::Span::new().years(1));
        let until = anniversary.yesterday().unwrap_or(anniversary);
        let days = |a: Date, b: Date| (b - a).get_days().max(0) as u64 + 1;
        let (old, new) = (days(self.from, self.until), days(self.from, until));
        let scale = |n: u32| u32::try_from(u64::from(n) * new / old).unwrap_or(u32::MAX);
        Method123Plan {
            from: self.from,
            until,
            visitors: scale(self.visitors),
            households: self.households,
            concerns: scale(self.concerns),
            resolved: scale(self.resolved),
        }
    }
}

/// `n` days after `d`, but not after `until`.
fn day(d: Date, n: i64, until: Date) -> Date {
    d.saturating_add(jiff::Span::new().days(n)).min(until)
}

fn cmd(on: Date, actor: &ExtId, event: Event) -> Command {
    Command::new(Stamp::on(on), Actor::org(actor), event)
}

const CATEGORIES: [ConcernCategory; 7] = [
    ConcernCategory::LandBoundary,
    ConcernCategory::HousingApplication,
    ConcernCategory::Schooling,
    ConcernCategory::Health,
    ConcernCategory::Production,
    ConcernCategory::Infrastructure,
    ConcernCategory::Welfare,
];

/// The 123 commands of `plan` for the villages of `state`, in date order.
///
/// Receptions: one per village in every ISO week whose Monday falls from `plan.from` to
/// `plan.until` (a week that `until` cuts short holds its reception by then), with all the
/// village's cadres on duty (班子成员每周接待); the visitors are spread over them (at least one
/// each), and when there are fewer visitors than weeks the receptions stop there. Visits: every
/// cadre twice a month, round the village's register, to `plan.until`. Concerns: spread over the villages
/// and the days; the resolved ones are picked evenly, most resolved in the village by a cadre,
/// every fifth after escalation by the township; the open ones are escalated when due.
pub fn commands(state: &State, plan: &Method123Plan) -> Vec<Command> {
    let villages: Vec<OrgIdx> = (0..state.orgs().len() as u32)
        .map(OrgIdx)
        .filter(|o| state.org(*o).kind == OrgKind::Village)
        .collect();
    let mut round = Round::new(plan, villages.len() as u64);
    for (vi, &v) in villages.iter().enumerate() {
        let Some(village) = Village::of(state, v, vi as u64, plan.from) else {
            continue;
        };
        round.receptions(&village);
        let households = round.register(&village);
        round.visits(&village, &households);
        round.concerns(&village);
    }
    let mut cmds = round.cmds;
    cmds.sort_by_key(|c| c.at.date);
    cmds
}

/// A village the method runs in.
struct Village {
    /// Its place among the city's villages.
    vi: u64,
    id: ExtId,
    township: Option<ExtId>,
    /// Its cadres on the method's first day.
    cadres: Vec<ExtId>,
}

impl Village {
    /// The `vi`-th village `v` of `state`, with its cadres on `from`; none without cadres.
    fn of(state: &State, v: OrgIdx, vi: u64, from: Date) -> Option<Village> {
        let cadres: Vec<ExtId> = state
            .cadres_on(v, from)
            .map(|(m, _)| state.member(m).id.clone())
            .collect();
        if cadres.is_empty() {
            return None;
        }
        Some(Village {
            vi,
            id: state.org(v).id.clone(),
            township: state.org(v).parent.map(|p| state.org(p).id.clone()),
            cadres,
        })
    }
}

/// The city's 123 commands as they are made, village by village, with what the villages
/// share: the weeks, and the running counts of receptions and concerns.
struct Round<'a> {
    plan: &'a Method123Plan,
    /// Villages in the city.
    villages: u64,
    /// The first Monday on or after `plan.from`.
    first_monday: Date,
    /// Weeks whose Monday falls from `plan.from` to `plan.until`.
    weeks: u64,
    /// Receptions to hold in all: one per village and week, no more than the visitors.
    receptions: u64,
    /// Receptions made so far.
    held: u64,
    /// Concerns made so far.
    concerns: u64,
    cmds: Vec<Command>,
}

impl<'a> Round<'a> {
    /// The weeks and the receptions of `plan` over `villages` villages, none made yet.
    fn new(plan: &'a Method123Plan, villages: u64) -> Round<'a> {
        // Weeks: from the first Monday on or after `from` to the last Monday on or before `until`.
        let offset = i64::from(7 - plan.from.weekday().to_monday_zero_offset()) % 7;
        let first_monday = day(plan.from, offset, plan.until);
        let weeks = (plan.until - first_monday).get_days().max(-1) as u64 / 7 + 1;
        let weeks = if first_monday > plan.until { 0 } else { weeks };
        Round {
            plan,
            villages,
            first_monday,
            weeks,
            receptions: (villages * weeks).min(u64::from(plan.visitors)),
            held: 0,
            concerns: 0,
            cmds: Vec::new(),
        }
    }

    /// The village's weekly receptions, the whole committee on duty, until the city's are all
    /// held.
    fn receptions(&mut self, v: &Village) {
        let plan = self.plan;
        for w in 0..self.weeks {
            if self.held >= self.receptions {
                break;
            }
            let extra = share(
                u64::from(plan.visitors).saturating_sub(self.receptions),
                self.held,
                self.receptions,
            );
            self.held += 1;
            self.cmds.push(cmd(
                day(self.first_monday, (w * 7 + v.vi % 5) as i64, plan.until),
                &v.id,
                Event::RecordReception(crate::method123::RecordReception {
                    village: v.id.clone(),
                    cadres: super::list(v.cadres.clone()),
                    visitors: u32::try_from(1 + extra).unwrap_or(u32::MAX),
                }),
            ));
        }
    }

    /// The village's register of poor households, its share of the city's; returns it.
    fn register(&mut self, v: &Village) -> Vec<ExtId> {
        let households: Vec<ExtId> =
            (0..share(u64::from(self.plan.households), v.vi, self.villages))
                .map(|h| id(&format!("h-{}-{h:02}", v.id.as_str())))
                .collect();
        for h in &households {
            self.cmds.push(cmd(
                self.plan.from,
                &v.id,
                Event::RegisterHousehold(crate::method123::RegisterHousehold {
                    id: h.clone(),
                    village: v.id.clone(),
                }),
            ));
        }
        households
    }

    /// Every cadre's two visits a month, round the register `households`.
    fn visits(&mut self, v: &Village, households: &[ExtId]) {
        if households.is_empty() {
            return;
        }
        let plan = self.plan;
        let mut next = 0usize;
        let mut month_start = plan.from;
        while month_start <= plan.until {
            for (c, cadre) in v.cadres.iter().enumerate() {
                for k in 0..2i64 {
                    let on = day(month_start, 3 + 11 * k + c as i64 % 7, plan.until);
                    self.cmds.push(cmd(
                        on,
                        &v.id,
                        Event::RecordVisit(crate::method123::RecordVisit {
                            cadre: cadre.clone(),
                            household: households[next % households.len()].clone(),
                        }),
                    ));
                    next += 1;
                }
            }
            month_start = month_start
                .first_of_month()
                .saturating_add(jiff::Span::new().months(1));
        }
    }

    /// The village's concerns, its share of the city's, numbered on from the villages before.
    fn concerns(&mut self, v: &Village) {
        for q in 0..share(u64::from(self.plan.concerns), v.vi, self.villages) {
            let g = self.concerns;
            self.concerns += 1;
            let concern = id(&format!("q-{}-{q:02}", v.id.as_str()));
            self.concern(v, g, concern);
        }
    }

    /// The city's `g`-th concern, raised in village `v` on its day of the span, then handled.
    fn concern(&mut self, v: &Village, g: u64, concern: ExtId) {
        let plan = self.plan;
        let total = u64::from(plan.concerns);
        let span = (plan.until - plan.from).get_days().max(0) as u64;
        let raised = day(plan.from, (g * span / total.max(1)) as i64, plan.until);
        self.cmds.push(cmd(
            raised,
            &v.id,
            Event::RaiseConcern(crate::method123::RaiseConcern {
                id: concern.clone(),
                village: v.id.clone(),
                raised_by: None,
                channel: if g.is_multiple_of(2) {
                    Channel::Reception
                } else {
                    Channel::Visit
                },
                category: CATEGORIES[g as usize % CATEGORIES.len()],
                text: super::text("群众反映的实际问题"),
            }),
        ));
        self.handle(v, g, &concern, raised);
    }

    /// The `g`-th concern, raised on `raised`: if picked as resolved, every fifth escalated to
    /// the township and resolved there (when there is time by `plan.until`), the others
    /// resolved in the village by a cadre; if open, escalated when due.
    fn handle(&mut self, v: &Village, g: u64, concern: &ExtId, raised: Date) {
        let plan = self.plan;
        let escalate = |on: Date, t: &ExtId, to: Tier| {
            cmd(
                on,
                t,
                Event::EscalateConcern(crate::method123::EscalateConcern {
                    concern: concern.clone(),
                    to,
                }),
            )
        };
        let resolve = |on: Date, actor: &ExtId, handler: Option<ExtId>| {
            cmd(
                on,
                actor,
                Event::ResolveConcern(crate::method123::ResolveConcern {
                    concern: concern.clone(),
                    outcome: super::text("已协调解决"),
                    feedback: Some(super::text("已向群众反馈")),
                    handler,
                }),
            )
        };
        let after = |n: i64| raised.saturating_add(jiff::Span::new().days(n));
        let resolved = picked(g, u64::from(plan.resolved), u64::from(plan.concerns));
        let cmds = &mut self.cmds;
        match v.township.as_ref() {
            Some(t) if resolved && g.is_multiple_of(5) && after(20) <= plan.until => {
                cmds.push(escalate(after(15), t, Tier::Township));
                cmds.push(resolve(after(20), t, None));
            }
            _ if resolved => {
                let handler = v.cadres[g as usize % v.cadres.len()].clone();
                cmds.push(resolve(day(raised, 3, plan.until), &v.id, Some(handler)));
            }
            // Open: escalated when due, so none is overdue on the as-of date.
            Some(t) => {
                if after(15) <= plan.until {
                    cmds.push(escalate(after(15), t, Tier::Township));
                }
                if after(30) <= plan.until {
                    cmds.push(escalate(after(30), t, Tier::PartyCommittee));
                }
            }
            None => {}
        }
    }
}
