//! The demo's village decisions (四议一审): the seed's 675 matters proposed, 12 vetoed by the
//! township review and 663 resolved (共动议村级重大事项675件, 乡镇党委政府审核否决12件,
//! 村民代表大会决议通过663件).
//!
//! The matters are spread round the villages of the state in index order and over the
//! campaign's first five months, each going through every step by the day after the review;
//! most resolutions are published, some results of implementation too. Every vote and meeting
//! passes under the default rules, with counts drawn from a fixed sequence: the figures the
//! engine computes from these records are the seed's, not copied from it.
//!
//! ```
//! use chuangzheng::deliberation::DeliberationFigures;
//! use chuangzheng::demo::{self, DemoSpec};
//! use chuangzheng::ledger::Campaign;
//! use chuangzheng::rules::RuleSet;
//!
//! let mut campaign = Campaign::in_memory(demo::info(), RuleSet::default()).unwrap();
//! campaign.execute_batch(&demo::commands(&DemoSpec::small())).unwrap();
//! let cmds = demo::deliberation::commands(campaign.state(), &demo::deliberation::DeliberationPlan::seed());
//! assert!(campaign.execute_batch(&cmds).unwrap().all_accepted());
//! let s = campaign.state();
//! let (matters, reg) = (s.deliberation(), s.registry());
//! let f = DeliberationFigures::of(matters, reg, s.root().unwrap(), None, demo::AS_OF);
//! assert_eq!((f.proposed, f.vetoed, f.resolved), (675, 12, 663));
//! ```

use jiff::civil::Date;

use super::{AS_OF, START};
use crate::deliberation::{MAX_MEETING, MatterCategory, ReviewVerdict};
use crate::ledger::{Actor, Command, Event, State};
use crate::model::{ExtId, Name, OrgIdx, OrgKind, Stamp};
use crate::rules::DeliberationRules;

/// What the demo's village decisions add up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliberationPlan {
    /// Matters proposed (the seed: 共动议村级重大事项675件).
    pub proposed: u32,
    /// Of them, vetoed by the township review (the seed: 审核否决12件); the others are
    /// resolved.
    pub vetoed: u32,
}

impl DeliberationPlan {
    /// The seed's totals.
    pub const fn seed() -> DeliberationPlan {
        DeliberationPlan {
            proposed: 675,
            vetoed: 12,
        }
    }

    /// Totals for a small city (see [`super::DemoSpec::small`]).
    pub const fn small() -> DeliberationPlan {
        DeliberationPlan {
            proposed: 12,
            vetoed: 2,
        }
    }
}

/// Days over which the proposals are spread, from the first day after the villages exist.
const PROPOSAL_SPAN_DAYS: u32 = 140;

/// What the demo's matters are about, in turn.
const SUBJECTS: [(&str, MatterCategory); 6] = [
    ("村集体鱼塘对外发包", MatterCategory::CollectiveAssets),
    ("修建通组水泥路", MatterCategory::Project),
    ("村民小组土地调整", MatterCategory::Land),
    ("村级年度财务预算", MatterCategory::Finance),
    ("低保对象民主评议", MatterCategory::Welfare),
    ("村部办公场所维修", MatterCategory::Project),
];

/// SplitMix64: a small fixed sequence, so the demo is the same on every run.
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
    fn below(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        (self.next() % u64::from(n)) as u32
    }

    /// A number in `least..=most` (`least` when `most` is below it).
    fn between(&mut self, least: u32, most: u32) -> u32 {
        least + self.below(most.saturating_sub(least).saturating_add(1))
    }
}

fn later(d: Date, days: u32) -> Date {
    d.saturating_add(jiff::Span::new().days(i64::from(days)))
}

/// Whether the `k`-th matter is one the township vetoes: evenly spread, `plan.vetoed` of them.
fn vetoed(plan: &DeliberationPlan, k: u32) -> bool {
    let stride = (plan.proposed / plan.vetoed.max(1)).max(1);
    plan.vetoed > 0 && k % stride == stride / 2 && k / stride < plan.vetoed
}

/// One matter's commands, in order.
struct MatterPlan<'a> {
    id: ExtId,
    village: &'a ExtId,
    township: &'a ExtId,
    members: u32,
    proposed: Date,
    subject: (&'static str, MatterCategory),
    veto: bool,
}

/// The command of `event` by `actor` on `d`.
fn at(d: Date, actor: &ExtId, event: Event) -> Command {
    Command::new(Stamp::on(d), Actor::org(actor), event)
}

impl MatterPlan<'_> {
    /// The commands, or none if a step would fall after [`AS_OF`].
    fn commands(&self, mix: &mut Mix) -> Vec<Command> {
        let rules = DeliberationRules::default();
        let mut out = Vec::with_capacity(7);
        let Ok(title) = Name::new("demo.title", self.subject.0) else {
            return out;
        };
        out.push(self.proposal(title));
        let (discussed, discussion) = self.discussion(&rules, mix);
        out.push(discussion);
        let (deliberated, deliberation) = self.deliberation(&rules, mix, discussed);
        out.push(deliberation);
        let (reviewed, review) = self.review(mix, deliberated);
        out.push(review);
        if self.veto {
            return if reviewed <= AS_OF { out } else { Vec::new() };
        }
        let (resolved, resolution) = self.resolution(&rules, mix, reviewed);
        if resolved > AS_OF {
            return Vec::new();
        }
        out.push(resolution);
        self.publication(mix, resolved, &mut out);
        out
    }

    /// 党支部会提议: the matter proposed by the village, titled `title`.
    fn proposal(&self, title: Name) -> Command {
        let (subject, category) = self.subject;
        at(
            self.proposed,
            self.village,
            Event::ProposeMatter(crate::deliberation::ProposeMatter {
                id: self.id.clone(),
                village: self.village.clone(),
                title,
                text: super::text(&format!("经村党支部会提议: {subject}, 提交两委会商议")),
                category: Some(category),
            }),
        )
    }

    /// 两委会: more than half of 5 to 9 members for, within days of the proposal; the day
    /// and its command.
    fn discussion(&self, rules: &DeliberationRules, mix: &mut Mix) -> (Date, Command) {
        let total = mix.between(5, 9);
        let votes_for = mix.between(
            rules.committees_approval_above.least_more_than(total) as u32,
            total,
        );
        let against = mix.below(total - votes_for + 1);
        let discussed = later(self.proposed, mix.between(1, 5));
        let cmd = at(
            discussed,
            self.village,
            Event::DiscussMatter(crate::deliberation::DiscussMatter {
                matter: self.id.clone(),
                votes_for,
                against,
                total,
            }),
        );
        (discussed, cmd)
    }

    /// 党员大会: the village's members expected, a quorum attending, a majority of them for,
    /// within a week of `discussed`; the day and its command.
    fn deliberation(
        &self,
        rules: &DeliberationRules,
        mix: &mut Mix,
        discussed: Date,
    ) -> (Date, Command) {
        let expected = self.members.clamp(1, MAX_MEETING);
        let quorum = rules.members_attendance_min.least_at_least(expected) as u32;
        let attending = mix.between(quorum, expected);
        let majority = rules.members_approval_above.least_more_than(expected) as u32;
        let votes_for = mix.between(majority, attending);
        let deliberated = later(discussed, mix.between(3, 7));
        let cmd = at(
            deliberated,
            self.village,
            Event::DeliberateMatter(crate::deliberation::DeliberateMatter {
                matter: self.id.clone(),
                expected,
                attending,
                votes_for,
            }),
        );
        (deliberated, cmd)
    }

    /// 乡镇审核: the township's verdict (a veto if the matter is to be vetoed), within days of
    /// `deliberated`; the day and its command.
    fn review(&self, mix: &mut Mix, deliberated: Date) -> (Date, Command) {
        let reviewed = later(deliberated, mix.between(1, 5));
        let decision = if self.veto {
            ReviewVerdict::Veto {
                reasons: super::text("经合法性审查, 方案与有关法律政策规定不符, 不予通过"),
            }
        } else {
            ReviewVerdict::Approve
        };
        let cmd = at(
            reviewed,
            self.township,
            Event::ReviewMatter(crate::deliberation::ReviewMatter {
                matter: self.id.clone(),
                decision,
            }),
        );
        (reviewed, cmd)
    }

    /// 村民代表会议: 30 to 80 representatives, more than half of them for, within days of
    /// `reviewed`; the day and its command.
    fn resolution(
        &self,
        rules: &DeliberationRules,
        mix: &mut Mix,
        reviewed: Date,
    ) -> (Date, Command) {
        let attending = mix.between(30, 80);
        let majority = rules.villagers_approval_above.least_more_than(attending) as u32;
        let votes_for = mix.between(majority, attending);
        let resolved = later(reviewed, mix.between(1, 5));
        let cmd = at(
            resolved,
            self.village,
            Event::ResolveMatter(crate::deliberation::ResolveMatter {
                matter: self.id.clone(),
                attending,
                votes_for,
            }),
        );
        (resolved, cmd)
    }

    /// 两公开: most resolutions published at once; some results within weeks; each only if
    /// by [`AS_OF`].
    fn publication(&self, mix: &mut Mix, resolved: Date, out: &mut Vec<Command>) {
        let published = later(resolved, mix.below(3));
        if mix.below(10) < 8 && published <= AS_OF {
            out.push(at(
                published,
                self.village,
                Event::PublishResolution(crate::deliberation::PublishResolution {
                    matter: self.id.clone(),
                }),
            ));
            let done = later(published, mix.between(7, 30));
            if mix.below(2) == 0 && done <= AS_OF {
                out.push(at(
                    done,
                    self.village,
                    Event::PublishResult(crate::deliberation::PublishResult {
                        matter: self.id.clone(),
                        result: super::text("已按决议组织实施, 结果在村务公开栏公布"),
                    }),
                ));
            }
        }
    }
}

/// The village decisions of the demo city in `state` (built by [`super::commands`]):
/// `plan.proposed` matters spread round its village organizations, `plan.vetoed` of them vetoed by
/// the village's township-level committee, the others resolved, all by [`AS_OF`]; each step by
/// the village, the review by its township-level committee. Deterministic for a given state;
/// sorted by date, each matter's steps in order. For the seed city the figures are exactly the
/// seed's; a state whose villages are created too late for a matter to finish by [`AS_OF`], or
/// whose ids are too long to derive a matter's id, gets fewer matters.
pub fn commands(state: &State, plan: &DeliberationPlan) -> Vec<Command> {
    let villages: Vec<(OrgIdx, &ExtId, &ExtId)> = (0..state.orgs().len() as u32)
        .map(OrgIdx)
        .filter_map(|v| {
            let org = state.org(v);
            let township = org.parent?;
            (org.kind == OrgKind::Village).then(|| (v, &org.id, &state.org(township).id))
        })
        .collect();
    let Some(count) = u32::try_from(villages.len()).ok().filter(|n| *n > 0) else {
        return Vec::new();
    };
    let mut mix = Mix(0x411);
    let first_day = later(START, 2);
    let mut cmds = Vec::new();
    let proposed = plan.proposed;
    for k in 0..proposed {
        let (v, village, township) = villages[(k % count) as usize];
        let Ok(id) = super::try_id(&format!("dm-{village}-{:02}", k / count + 1)) else {
            continue;
        };
        let spread = k * PROPOSAL_SPAN_DAYS / proposed.max(1);
        let plan = MatterPlan {
            id,
            village,
            township,
            members: state.members_now(v),
            proposed: later(first_day.max(state.org(v).since), spread),
            subject: SUBJECTS[(k as usize) % SUBJECTS.len()],
            veto: vetoed(plan, k),
        };
        cmds.extend(plan.commands(&mut mix));
    }
    // Each matter's steps are in date order; a stable sort keeps same-day steps in order.
    cmds.sort_by_key(|c| c.at.date);
    cmds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vetoes_are_spread_and_exactly_counted() {
        for plan in [DeliberationPlan::seed(), DeliberationPlan::small()] {
            let picked: Vec<u32> = (0..plan.proposed).filter(|k| vetoed(&plan, *k)).collect();
            assert_eq!(picked.len() as u32, plan.vetoed);
            assert!(
                picked
                    .windows(2)
                    .all(|w| w[1] - w[0] == plan.proposed / plan.vetoed)
            );
        }
    }

    #[test]
    fn an_empty_state_gets_no_matters() {
        assert!(commands(&State::new(), &DeliberationPlan::seed()).is_empty());
    }
}
