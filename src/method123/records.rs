//! The 123 work method's records: households, receptions, visits, concerns and their tiers.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::model::{ExtId, MemberIdx, Name, OrgIdx};
use crate::rules::EscalationRules;

/// Dense index of a household inside one campaign's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HouseholdIdx(pub u32);

/// Dense index of a concern inside one campaign's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConcernIdx(pub u32);

/// A poor household (困难群众) on a village's register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    /// The host's identifier (no names: the host keeps personal data).
    pub id: ExtId,
    /// The village whose register it is on.
    pub village: OrgIdx,
    /// The day it was put on the register.
    pub since: Date,
    /// The day it left the register, if it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

impl Household {
    /// Whether it is on the register on `date`.
    pub fn registered_on(&self, date: Date) -> bool {
        self.since <= date && self.until.is_none_or(|u| date < u)
    }
}

/// A reception of villagers (接待来访) on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reception {
    /// The day.
    pub on: Date,
    /// The village organization receiving.
    pub village: OrgIdx,
    /// The cadres on duty (each a cadre of the village that day).
    pub cadres: Vec<MemberIdx>,
    /// Visitors received (人次), at least 1.
    pub visitors: u32,
}

/// A visit of a poor household (走访) by a cadre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    /// The day.
    pub on: Date,
    /// The cadre visiting.
    pub cadre: MemberIdx,
    /// The household visited.
    pub household: HouseholdIdx,
}

/// How a concern reached the village.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// At a reception.
    Reception,
    /// On a household visit.
    Visit,
    /// Any other way.
    Other,
}

/// What a concern is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConcernCategory {
    /// 地边地头纠纷: a land-boundary dispute.
    LandBoundary,
    /// 办理建房申请: a housing application.
    HousingApplication,
    /// Children's schooling (子女上学).
    Schooling,
    /// Medical care and health.
    Health,
    /// Production, technology, farming.
    Production,
    /// Roads, water, electricity, infrastructure.
    Infrastructure,
    /// Subsistence allowances and aid (低保、救助).
    Welfare,
    /// Anything else.
    Other,
}

impl ConcernCategory {
    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            ConcernCategory::LandBoundary => "地边地头纠纷",
            ConcernCategory::HousingApplication => "建房申请",
            ConcernCategory::Schooling => "子女上学",
            ConcernCategory::Health => "医疗卫生",
            ConcernCategory::Production => "生产技术",
            ConcernCategory::Infrastructure => "基础设施",
            ConcernCategory::Welfare => "低保救助",
            ConcernCategory::Other => "其他",
        }
    }
}

/// Who handles a concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// 村级组织接办: the village organization takes the case.
    Village,
    /// 乡镇站所联办: the township stations handle it jointly.
    Township,
    /// 党委考核督办: the township party committee assesses and supervises.
    PartyCommittee,
}

impl Tier {
    /// Every tier, in order.
    pub const ALL: [Tier; 3] = [Tier::Village, Tier::Township, Tier::PartyCommittee];

    /// The stable snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Village => "village",
            Tier::Township => "township",
            Tier::PartyCommittee => "party_committee",
        }
    }

    /// The next tier up, if any.
    pub fn next(self) -> Option<Tier> {
        match self {
            Tier::Village => Some(Tier::Township),
            Tier::Township => Some(Tier::PartyCommittee),
            Tier::PartyCommittee => None,
        }
    }
}

/// A concern moving to a tier on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    /// The day.
    pub on: Date,
    /// The tier it went to.
    pub to: Tier,
}

/// How a concern was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    /// The day.
    pub on: Date,
    /// The tier that resolved it.
    pub tier: Tier,
    /// The cadre who handled it, if one is named (counts towards that cadre's quota).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler: Option<MemberIdx>,
    /// The outcome (1 to 2000 bytes).
    pub outcome: String,
    /// The feedback given to the villager (反馈), if given (1 to 2000 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

/// A villager's concern (群众反映的实际问题).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concern {
    /// The host's identifier.
    pub id: ExtId,
    /// The village it was raised in.
    pub village: OrgIdx,
    /// The day it was raised.
    pub raised: Date,
    /// Who raised it, as the host describes them (no personal data needed; 1 to 120 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raised_by: Option<Name>,
    /// How it reached the village.
    pub channel: Channel,
    /// What it is about.
    pub category: ConcernCategory,
    /// The concern in words (1 to 2000 bytes).
    pub text: String,
    /// Escalations beyond the village, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalations: Vec<Escalation>,
    /// The resolution, once resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
}

impl Concern {
    /// The tier handling it at the end of `date` (the village from the day it was raised).
    pub fn tier_on(&self, date: Date) -> Tier {
        self.escalations
            .iter()
            .take_while(|e| e.on <= date)
            .last()
            .map_or(Tier::Village, |e| e.to)
    }

    /// The tier handling it now.
    pub fn tier(&self) -> Tier {
        self.escalations.last().map_or(Tier::Village, |e| e.to)
    }

    /// Whether it was resolved on or before `date`.
    pub fn resolved_by(&self, date: Date) -> bool {
        self.resolution.as_ref().is_some_and(|r| r.on <= date)
    }
}

/// The day a concern raised on `raised` is due to reach `tier` if still unresolved: the village
/// from the start; the township `village_days` later; the party committee `township_days`
/// after that.
pub fn escalation_day(raised: Date, tier: Tier, rules: &EscalationRules) -> Date {
    let days = match tier {
        Tier::Village => 0,
        Tier::Township => rules.village_days,
        Tier::PartyCommittee => rules.village_days.saturating_add(rules.township_days),
    };
    raised.saturating_add(jiff::Span::new().days(i64::from(days)))
}

/// The tier a concern should be at on `date` by the deadlines, or `None` if it was resolved by
/// then or not yet raised. Compare with [`Concern::tier_on`] to find escalations due.
///
/// ```
/// use chuangzheng::method123::{Tier, escalation_tier};
/// use chuangzheng::rules::EscalationRules;
/// use jiff::civil::date;
///
/// let rules = EscalationRules { village_days: 15, township_days: 15 };
/// let raised = date(2010, 6, 1);
/// assert_eq!(escalation_tier(raised, date(2010, 6, 15), &rules), Tier::Village);
/// assert_eq!(escalation_tier(raised, date(2010, 6, 16), &rules), Tier::Township);
/// assert_eq!(escalation_tier(raised, date(2010, 7, 1), &rules), Tier::PartyCommittee);
/// ```
pub fn escalation_tier(raised: Date, date: Date, rules: &EscalationRules) -> Tier {
    Tier::ALL
        .into_iter()
        .rev()
        .find(|t| escalation_day(raised, *t, rules) <= date)
        .unwrap_or(Tier::Village)
}

/// The escalations due for `concern` on `date` and not yet recorded: each tier it should have
/// reached by then beyond its current one, with the day it became due.
pub fn escalation_due(concern: &Concern, date: Date, rules: &EscalationRules) -> Vec<Escalation> {
    if concern.resolved_by(date) || date < concern.raised {
        return Vec::new();
    }
    let should = escalation_tier(concern.raised, date, rules);
    let mut due = Vec::new();
    let mut at = concern.tier_on(date);
    while at < should {
        let Some(next) = at.next() else { break };
        due.push(Escalation {
            on: escalation_day(concern.raised, next, rules),
            to: next,
        });
        at = next;
    }
    due
}

// The binary layout of snapshots ([`crate::model::binary`]).
use crate::model::binary::{binary_enum, binary_struct, index_binary};

index_binary!(HouseholdIdx, ConcernIdx);
binary_struct!(Household {
    id,
    village,
    since,
    until
});
binary_struct!(Reception {
    on,
    village,
    cadres,
    visitors
});
binary_struct!(Visit {
    on,
    cadre,
    household
});
binary_enum!(Channel {
    Reception,
    Visit,
    Other
});
binary_enum!(ConcernCategory {
    LandBoundary,
    HousingApplication,
    Schooling,
    Health,
    Production,
    Infrastructure,
    Welfare,
    Other
});
binary_enum!(Tier {
    Village,
    Township,
    PartyCommittee
});
binary_struct!(Escalation { on, to });
binary_struct!(Resolution {
    on,
    tier,
    handler,
    outcome,
    feedback
});
binary_struct!(Concern {
    id,
    village,
    raised,
    raised_by,
    channel,
    category,
    text,
    escalations,
    resolution
});
