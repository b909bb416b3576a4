//! Checks for the 123 work method's records: who may record what, and when.

use jiff::civil::Date;

use super::{Acting, Effect, authority, found, member_of, not_before, org_on, out_of_order};
use crate::ledger::state::{MAX_ENTITIES, State};
use crate::ledger::times::{Fact, Mark};
use crate::ledger::{Command, EntityKind, LedgerError};
use crate::method123::{
    Channel, Concern, ConcernCategory, ConcernIdx, Escalation, Household, HouseholdIdx, Reception,
    Resolution, Tier, Visit, escalation_day,
};
use crate::model::{ExtId, MemberIdx, Name, OrgIdx, OrgKind};
use crate::rules::RuleSet;

pub(crate) use crate::method123::MAX_CADRES_ON_DUTY;
/// Most visitors (人次) one reception records.
pub(crate) const MAX_VISITORS: u32 = 10_000;

fn village_on(
    state: &State,
    field: &'static str,
    id: &ExtId,
    date: Date,
) -> Result<OrgIdx, LedgerError> {
    let v = org_on(state, field, id, date)?;
    if state.org(v).kind != OrgKind::Village {
        let o = state.org(v);
        return Err(LedgerError::WrongOrgKind {
            field,
            org: o.id.to_string(),
            kind: o.kind,
            why: "is not a village organization, which the 123 work method is for",
        });
    }
    Ok(v)
}

fn is_cadre_of(state: &State, m: MemberIdx, village: OrgIdx, date: Date) -> bool {
    state
        .member(m)
        .posting_on(date)
        .is_some_and(|p| p.org == village && p.role.is_cadre())
}

fn cadre_of(
    state: &State,
    field: &'static str,
    id: &ExtId,
    village: OrgIdx,
    date: Date,
) -> Result<MemberIdx, LedgerError> {
    let m = member_of(state, field, id)?;
    if !is_cadre_of(state, m, village, date) {
        return Err(LedgerError::NotVillageCadre {
            field,
            member: id.to_string(),
            village: state.org(village).id.to_string(),
        });
    }
    Ok(m)
}

/// The village (or an organization above it) may record; so may a member among `cadres`.
fn village_side(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    village: OrgIdx,
    cadres: &[MemberIdx],
) -> Result<(), LedgerError> {
    match acting {
        Acting::Member(m) if cadres.contains(m) => Ok(()),
        _ => authority(state, cmd, acting, village, false),
    }
}

fn capacity(len: usize, kind: EntityKind) -> Result<(), LedgerError> {
    if len as u64 >= MAX_ENTITIES as u64 {
        return Err(LedgerError::Capacity {
            kind,
            max: MAX_ENTITIES,
        });
    }
    Ok(())
}

pub(super) fn register_household(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    id: &ExtId,
    village: &ExtId,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let v = village_on(state, "event.village", village, date)?;
    authority(state, cmd, acting, v, false)?;
    if state.household_by_id(id.as_str()).is_some() {
        return Err(LedgerError::Duplicate {
            field: "event.id",
            kind: EntityKind::Household,
            id: id.to_string(),
        });
    }
    capacity(state.households().len(), EntityKind::Household)?;
    Ok(Effect::RegisterHousehold(Household {
        id: id.clone(),
        village: v,
        since: date,
        until: None,
    }))
}

fn household_of(state: &State, id: &ExtId) -> Result<HouseholdIdx, LedgerError> {
    found(
        state.household_by_id(id.as_str()),
        "event.household",
        EntityKind::Household,
        id,
    )
}

pub(super) fn remove_household(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    household: &ExtId,
) -> Result<Effect, LedgerError> {
    let idx = household_of(state, household)?;
    let h = state.household(idx);
    authority(state, cmd, acting, h.village, false)?;
    if h.until.is_some() {
        return Err(LedgerError::NoChange {
            field: "event.household",
            value: "off the register".into(),
        });
    }
    // It leaves after the day it joined and after the last visit recorded (a visit on the
    // day it leaves would be to a household no longer on the register).
    let latest = state
        .visits()
        .iter()
        .filter(|v| v.household == idx)
        .map(|v| v.on)
        .max()
        .unwrap_or(h.since)
        .max(h.since);
    if cmd.at.date <= latest {
        return Err(out_of_order("household", cmd.at.date, latest));
    }
    Ok(Effect::RemoveHousehold {
        household: idx,
        on: cmd.at.date,
    })
}

pub(super) fn record_reception(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    village: &ExtId,
    cadres: &[ExtId],
    visitors: u32,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let v = village_on(state, "event.village", village, date)?;
    if cadres.is_empty() || cadres.len() > MAX_CADRES_ON_DUTY {
        return Err(LedgerError::Invalid(crate::model::ModelError::new(
            "event.cadres",
            crate::Reason::OutOfRange {
                min: "1".into(),
                max: MAX_CADRES_ON_DUTY.to_string(),
            },
        )));
    }
    let mut on_duty = Vec::with_capacity(cadres.len());
    for id in cadres {
        let m = cadre_of(state, "event.cadres", id, v, date)?;
        if on_duty.contains(&m) {
            return Err(LedgerError::Invalid(crate::model::ModelError::new(
                "event.cadres",
                crate::Reason::Malformed {
                    zh: format!("党员 {id} 重复列出").into(),
                    en: format!("member {id} is listed twice").into(),
                },
            )));
        }
        on_duty.push(m);
    }
    village_side(state, cmd, acting, v, &on_duty)?;
    if visitors == 0 || visitors > MAX_VISITORS {
        return Err(LedgerError::Invalid(crate::model::ModelError::new(
            "event.visitors",
            crate::Reason::OutOfRange {
                min: "1".into(),
                max: MAX_VISITORS.to_string(),
            },
        )));
    }
    Ok(Effect::Reception(Reception {
        on: date,
        village: v,
        cadres: on_duty,
        visitors,
    }))
}

pub(super) fn record_visit(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    cadre: &ExtId,
    household: &ExtId,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let idx = household_of(state, household)?;
    let h = state.household(idx);
    let m = member_of(state, "event.cadre", cadre)?;
    // The household must be on the register of the cadre's own village.
    let Some(posting) = state
        .member(m)
        .posting_on(date)
        .filter(|p| p.role.is_cadre())
    else {
        return Err(LedgerError::NotVillageCadre {
            field: "event.cadre",
            member: cadre.to_string(),
            village: state.org(h.village).id.to_string(),
        });
    };
    if posting.org != h.village || !h.registered_on(date) {
        return Err(LedgerError::NotRegistered {
            household: household.to_string(),
            village: state.org(posting.org).id.to_string(),
        });
    }
    village_side(state, cmd, acting, h.village, &[m])?;
    Ok(Effect::Visit(Visit {
        on: date,
        cadre: m,
        household: idx,
    }))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn raise_concern(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    id: &ExtId,
    village: &ExtId,
    raised_by: Option<&Name>,
    channel: Channel,
    category: ConcernCategory,
    text: &str,
) -> Result<Effect, LedgerError> {
    let date = cmd.at.date;
    let v = village_on(state, "event.village", village, date)?;
    let acting_cadre: Vec<MemberIdx> = match acting {
        Acting::Member(m) if is_cadre_of(state, *m, v, date) => vec![*m],
        _ => Vec::new(),
    };
    village_side(state, cmd, acting, v, &acting_cadre)?;
    if state.concern_by_id(id.as_str()).is_some() {
        return Err(LedgerError::Duplicate {
            field: "event.id",
            kind: EntityKind::Concern,
            id: id.to_string(),
        });
    }
    capacity(state.concerns().len(), EntityKind::Concern)?;
    Ok(Effect::RaiseConcern(Concern {
        id: id.clone(),
        village: v,
        raised: date,
        raised_by: raised_by.cloned(),
        channel,
        category,
        text: text.to_string(),
        escalations: Vec::new(),
        resolution: None,
    }))
}

fn concern_of(state: &State, id: &ExtId) -> Result<ConcernIdx, LedgerError> {
    found(
        state.concern_by_id(id.as_str()),
        "event.concern",
        EntityKind::Concern,
        id,
    )
}

fn concern_state(c: &Concern, why: String) -> LedgerError {
    LedgerError::ConcernState {
        concern: c.id.to_string(),
        why,
    }
}

/// The concern's latest step (its last escalation, or its raising), as ordering checks key it.
fn latest_step(idx: ConcernIdx, c: &Concern) -> (Mark, Date) {
    match c.escalations.len().checked_sub(1) {
        Some(i) => (
            Mark(Fact::ConcernEscalation, idx.0, i as u32),
            c.escalations[i].on,
        ),
        None => (Mark(Fact::ConcernRaised, idx.0, 0), c.raised),
    }
}

/// The township committee above the concern's village: it handles the upper tiers.
fn township_of(state: &State, c: &Concern) -> OrgIdx {
    state.org(c.village).parent.unwrap_or(c.village)
}

pub(super) fn escalate(
    state: &State,
    rules: &RuleSet,
    cmd: &Command,
    acting: &Acting,
    concern: &ExtId,
    to: Tier,
) -> Result<Effect, LedgerError> {
    let idx = concern_of(state, concern)?;
    let c = state.concern(idx);
    let date = cmd.at.date;
    authority(state, cmd, acting, township_of(state, c), false)?;
    if c.resolution.is_some() {
        return Err(concern_state(c, "it is resolved".into()));
    }
    if c.tier().next() != Some(to) {
        return Err(concern_state(
            c,
            format!(
                "it is at the {} tier; the next is {}",
                c.tier().as_str(),
                c.tier().next().map_or("none", Tier::as_str)
            ),
        ));
    }
    not_before(state, "concern.escalations", cmd.at, latest_step(idx, c))?;
    let due = escalation_day(c.raised, to, &rules.escalation);
    if date < due {
        return Err(concern_state(
            c,
            format!("escalation to {} is due on {due}, not before", to.as_str()),
        ));
    }
    Ok(Effect::Escalate {
        concern: idx,
        escalation: Escalation { on: date, to },
    })
}

pub(super) fn resolve(
    state: &State,
    cmd: &Command,
    acting: &Acting,
    concern: &ExtId,
    outcome: &str,
    feedback: Option<&str>,
    handler: Option<&ExtId>,
) -> Result<Effect, LedgerError> {
    let idx = concern_of(state, concern)?;
    let c = state.concern(idx);
    let date = cmd.at.date;
    let handler = match handler {
        Some(h) => Some(cadre_of(state, "event.handler", h, c.village, date)?),
        None => None,
    };
    let tier = c.tier();
    match tier {
        Tier::Village => {
            let own: Vec<MemberIdx> = match acting {
                Acting::Member(m) if is_cadre_of(state, *m, c.village, date) => vec![*m],
                _ => Vec::new(),
            };
            village_side(state, cmd, acting, c.village, &own)?;
        }
        Tier::Township | Tier::PartyCommittee => {
            authority(state, cmd, acting, township_of(state, c), false)?;
        }
    }
    if c.resolution.is_some() {
        return Err(concern_state(c, "it is resolved already".into()));
    }
    not_before(state, "concern.raised", cmd.at, latest_step(idx, c))?;
    Ok(Effect::Resolve {
        concern: idx,
        resolution: Resolution {
            on: date,
            tier,
            handler,
            outcome: outcome.to_string(),
            feedback: feedback.map(str::to_string),
        },
    })
}
