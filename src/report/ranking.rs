//! 争先进位: a composite index per organization, ranked among peers, and the movement between
//! two periods.
//!
//! The index of an organization is a weighted mean, 0 to 100, of the shares that apply to it
//! (weights in `rules.ranking.weights_percent`):
//!
//! - pledge completion: pledges fulfilled over pledges made, in its subtree, as of the end;
//! - 123 compliance: village-periods met over judged, for the villages of its subtree;
//! - coverage: eligible units covered over eligible units counted under its subtree;
//! - member evaluation: members graded 优秀 or 合格 over members graded, in its subtree, in the
//!   round (the cap on 优秀 does not change this share).
//!
//! A share that does not apply (nothing made, judged, eligible or graded) is left out, and the
//! weights of the others scaled up to fill its place; an organization with no share at all has
//! no index and is not ranked. Peers are the organizations of one kind; ranks go by index, ties
//! by identifier. Movement against an earlier ranking names the 百强 outcomes: entered the top
//! N (进得去), stayed in it (稳得住), improved its rank (有进步), dropped out (落选).

use std::collections::HashMap;

use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::Serialize;

use super::{PledgeFigures, Quota, compliance};
use crate::evaluation::{CompiledMemberRules, Outcome};
use crate::model::{ExtId, OrgIdx, OrgKind, Period, Ratio};
use crate::rules::{Grade, RuleSet};

/// One component of an index: its share and weight, or why it was left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// `pledges`, `method123`, `coverage` or `members`.
    pub name: &'static str,
    /// The share, exact; `None` when it does not apply.
    pub share: Option<Ratio>,
    /// Its weight in the rules, percent.
    pub weight: u32,
}

/// An organization's place in its peers' ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranked {
    /// The organization.
    pub org: ExtId,
    /// Its index, 0 to 100 (28 significant digits).
    #[serde(serialize_with = "decimal_text")]
    pub index: Decimal,
    /// Its rank among its peers, from 1.
    pub rank: u32,
    /// The components of the index.
    pub components: Vec<Component>,
}

fn decimal_text<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.normalize())
}

/// The shares of `org`'s subtree over `[from, to]` (members graded in `round`).
pub fn components(
    state: &crate::ledger::State,
    rules: &RuleSet,
    org: OrgIdx,
    from: Date,
    to: Date,
    round: Option<Period>,
) -> Vec<Component> {
    let w = &rules.ranking.weights_percent;
    let pledges = PledgeFigures::of(state, org, to);
    let made = pledges.made();
    let fulfilled: u64 = pledges.fulfilled_by_kind.iter().sum();
    let tally = compliance(state, rules, org, from, to);
    let (mut judged, mut met) = (0, 0);
    for q in Quota::ALL {
        judged += tally.orgs_for(q).judged;
        met += tally.orgs_for(q).met;
    }
    let (mut eligible, mut covered) = (0u64, 0u64);
    for u in state.units() {
        let Some(s) = u.standing_on(to) else { continue };
        if s.eligible && state.is_at_or_above_on(org, u.area, to) {
            eligible += 1;
            covered += u64::from(s.covered_by.is_some());
        }
    }
    let (mut graded, mut good) = (0u64, 0u64);
    if let Some(round) = round {
        let compiled = CompiledMemberRules::compile(&rules.member_evaluation);
        let mut latest = HashMap::new();
        for e in state.member_evaluations() {
            if e.round == round && state.is_at_or_above_on(org, e.org, to) {
                latest.insert(e.member, e);
            }
        }
        for e in latest.values() {
            if let Some(Outcome::Graded(g)) = compiled.grade(e) {
                graded += 1;
                good += u64::from(matches!(g, Grade::Excellent | Grade::Qualified));
            }
        }
    }
    let share = |n, d| Ratio::new("share", n, d).ok();
    vec![
        Component {
            name: "pledges",
            share: share(fulfilled, made),
            weight: w.pledges,
        },
        Component {
            name: "method123",
            share: share(met, judged),
            weight: w.method123,
        },
        Component {
            name: "coverage",
            share: share(covered, eligible),
            weight: w.coverage,
        },
        Component {
            name: "members",
            share: share(good, graded),
            weight: w.members,
        },
    ]
}

/// The index of `components`: Σ weight × share / Σ weight over the shares that apply, × 100;
/// `None` when none applies (or all that apply weigh 0).
pub fn index(components: &[Component]) -> Option<Decimal> {
    let mut num = Decimal::ZERO;
    let mut den = 0u32;
    for c in components {
        let Some(r) = c.share else { continue };
        let share = Decimal::from(r.numerator())
            .checked_div(Decimal::from(r.denominator()))
            .unwrap_or(Decimal::ZERO);
        num = num
            .checked_add(
                share
                    .checked_mul(Decimal::from(c.weight))
                    .unwrap_or(Decimal::ZERO),
            )
            .unwrap_or(num);
        den += c.weight;
    }
    (den > 0).then(|| {
        num.checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|x| x.checked_div(Decimal::from(den)))
            .unwrap_or(Decimal::ZERO)
            .normalize()
    })
}

/// The organizations of `kind`, ranked by index over `[from, to]` (members of `round`), ties
/// by identifier; those without an index are left out.
pub fn rank(
    state: &crate::ledger::State,
    rules: &RuleSet,
    kind: OrgKind,
    from: Date,
    to: Date,
    round: Option<Period>,
) -> Vec<Ranked> {
    let mut ranked: Vec<Ranked> = (0..state.orgs().len() as u32)
        .map(OrgIdx)
        .filter(|o| state.org(*o).kind == kind && state.org(*o).since <= to)
        .filter_map(|o| {
            let components = components(state, rules, o, from, to, round);
            index(&components).map(|index| Ranked {
                org: state.org(o).id.clone(),
                index,
                rank: 0,
                components,
            })
        })
        .collect();
    ranked.sort_by(|a, b| b.index.cmp(&a.index).then_with(|| a.org.cmp(&b.org)));
    for (i, r) in ranked.iter_mut().enumerate() {
        r.rank = i as u32 + 1;
    }
    ranked
}

/// How an organization moved between two rankings of its peers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Movement {
    /// The organization.
    pub org: ExtId,
    /// Its earlier rank, if it was ranked.
    pub before: Option<u32>,
    /// Its later rank, if it is ranked.
    pub after: Option<u32>,
    /// 进得去: in the top N now, not before.
    pub entered: bool,
    /// 稳得住: in the top N both times.
    pub stayed: bool,
    /// 有进步: a better rank than before.
    pub improved: bool,
    /// 落选: in the top N before, not now.
    pub dropped: bool,
}

/// The movement of every organization ranked in either `earlier` or `later`, against the top
/// `top_n`, in the later ranking's order, then those only ranked earlier.
pub fn movement(earlier: &[Ranked], later: &[Ranked], top_n: u32) -> Vec<Movement> {
    let before: HashMap<&ExtId, u32> = earlier.iter().map(|r| (&r.org, r.rank)).collect();
    let top = |rank: Option<u32>| rank.is_some_and(|r| r <= top_n);
    let mut out: Vec<Movement> = later
        .iter()
        .map(|r| {
            let b = before.get(&r.org).copied();
            Movement {
                org: r.org.clone(),
                before: b,
                after: Some(r.rank),
                entered: top(Some(r.rank)) && !top(b),
                stayed: top(Some(r.rank)) && top(b),
                improved: b.is_some_and(|b| r.rank < b),
                dropped: top(b) && !top(Some(r.rank)),
            }
        })
        .collect();
    let now: std::collections::HashSet<&ExtId> = later.iter().map(|r| &r.org).collect();
    for r in earlier.iter().filter(|r| !now.contains(&r.org)) {
        out.push(Movement {
            org: r.org.clone(),
            before: Some(r.rank),
            after: None,
            entered: false,
            stayed: false,
            improved: false,
            dropped: top(Some(r.rank)),
        });
    }
    out
}
