//! What makes each of the 123 work method's events acceptable: the village and its cadres on
//! the day, the household on the cadre's own village's register, the concern's tiers and their
//! deadlines, and who may record each (the village or above, or the cadres concerned).

use jiff::civil::Date;

use super::apply::Change;
use super::events::{
    EscalateConcern, RaiseConcern, RecordReception, RecordVisit, RegisterHousehold,
    RemoveHousehold, ResolveConcern,
};
use super::{
    Concern, ConcernIdx, Escalation, Household, HouseholdIdx, Method123Error, Reception, Records,
    Resolution, Tier, Visit, escalation_day,
};
use crate::Reason;
use crate::model::times::{Fact, Mark};
use crate::model::{ExtId, MemberIdx, ModelError, OrgIdx, OrgKind};
use crate::org::{Acting, Ctx, EntityKind, OrgError, capacity, found, out_of_order, wrong_kind};

/// Most cadres on duty at one reception.
pub const MAX_CADRES_ON_DUTY: usize = 20;
/// Most visitors (人次) one reception records.
pub(crate) const MAX_VISITORS: u32 = 10_000;

type Checked = Result<Change, Method123Error>;

fn village_on(ctx: &Ctx, field: &'static str, id: &ExtId) -> Result<OrgIdx, OrgError> {
    let v = ctx.org_on(field, id)?;
    if ctx.reg.org(v).kind != OrgKind::Village {
        return Err(wrong_kind(
            field,
            ctx.reg,
            v,
            "is not a village organization, which the 123 work method is for",
        ));
    }
    Ok(v)
}

fn is_cadre_of(ctx: &Ctx, m: MemberIdx, village: OrgIdx) -> bool {
    ctx.reg
        .member(m)
        .posting_on(ctx.date())
        .is_some_and(|p| p.org == village && p.role.is_cadre())
}

fn cadre_of(
    ctx: &Ctx,
    field: &'static str,
    id: &ExtId,
    village: OrgIdx,
) -> Result<MemberIdx, Method123Error> {
    let m = ctx.member_of(field, id)?;
    if !is_cadre_of(ctx, m, village) {
        return Err(Method123Error::NotVillageCadre {
            field,
            member: id.to_string(),
            village: ctx.reg.org(village).id.to_string(),
        });
    }
    Ok(m)
}

/// The village (or an organization above it) may record; so may a member among `cadres`.
fn village_side(ctx: &Ctx, village: OrgIdx, cadres: &[MemberIdx]) -> Result<(), OrgError> {
    match ctx.acting {
        Acting::Member(m) if cadres.contains(&m) => Ok(()),
        _ => ctx.authority(village, false),
    }
}

/// The acting member, if they are a cadre of `village` on the day.
fn acting_cadre(ctx: &Ctx, village: OrgIdx) -> Vec<MemberIdx> {
    match ctx.acting {
        Acting::Member(m) if is_cadre_of(ctx, m, village) => vec![m],
        _ => Vec::new(),
    }
}

fn invalid(field: &'static str, reason: Reason) -> Method123Error {
    OrgError::Invalid(ModelError::new(field, reason)).into()
}

pub(crate) fn register_household(ctx: &Ctx, records: &Records, e: &RegisterHousehold) -> Checked {
    let v = village_on(ctx, "event.village", &e.village)?;
    ctx.authority(v, false)?;
    if records.household_by_id(e.id.as_str()).is_some() {
        return Err(OrgError::Duplicate {
            field: "event.id",
            kind: EntityKind::Household,
            id: e.id.to_string(),
        }
        .into());
    }
    capacity(records.households().len(), EntityKind::Household)?;
    Ok(Change::RegisterHousehold(Household {
        id: e.id.clone(),
        village: v,
        since: ctx.date(),
        until: None,
    }))
}

fn household_of(records: &Records, id: &ExtId) -> Result<HouseholdIdx, OrgError> {
    found(
        records.household_by_id(id.as_str()),
        "event.household",
        EntityKind::Household,
        id,
    )
}

pub(crate) fn remove_household(ctx: &Ctx, records: &Records, e: &RemoveHousehold) -> Checked {
    let idx = household_of(records, &e.household)?;
    let h = records.household(idx);
    ctx.authority(h.village, false)?;
    if h.until.is_some() {
        return Err(OrgError::NoChange {
            field: "event.household",
            value: "off the register".into(),
        }
        .into());
    }
    // It leaves after the day it joined and after the last visit recorded (a visit on the day
    // it leaves would be to a household no longer on the register).
    let latest = records
        .visits()
        .iter()
        .filter(|v| v.household == idx)
        .map(|v| v.on)
        .max()
        .unwrap_or(h.since)
        .max(h.since);
    if ctx.date() <= latest {
        return Err(out_of_order("household", ctx.date(), latest).into());
    }
    Ok(Change::RemoveHousehold {
        household: idx,
        on: ctx.date(),
    })
}

pub(crate) fn record_reception(ctx: &Ctx, e: &RecordReception) -> Checked {
    let v = village_on(ctx, "event.village", &e.village)?;
    if e.cadres.is_empty() || e.cadres.len() > MAX_CADRES_ON_DUTY {
        return Err(invalid(
            "event.cadres",
            Reason::OutOfRange {
                min: "1".into(),
                max: MAX_CADRES_ON_DUTY.to_string(),
            },
        ));
    }
    let mut on_duty = Vec::with_capacity(e.cadres.len());
    for id in &e.cadres {
        let m = cadre_of(ctx, "event.cadres", id, v)?;
        if on_duty.contains(&m) {
            return Err(invalid(
                "event.cadres",
                Reason::Malformed {
                    zh: format!("党员 {id} 重复列出").into(),
                    en: format!("member {id} is listed twice").into(),
                },
            ));
        }
        on_duty.push(m);
    }
    village_side(ctx, v, &on_duty)?;
    if e.visitors == 0 || e.visitors > MAX_VISITORS {
        return Err(invalid(
            "event.visitors",
            Reason::OutOfRange {
                min: "1".into(),
                max: MAX_VISITORS.to_string(),
            },
        ));
    }
    Ok(Change::Reception(Reception {
        on: ctx.date(),
        village: v,
        cadres: on_duty,
        visitors: e.visitors,
    }))
}

pub(crate) fn record_visit(ctx: &Ctx, records: &Records, e: &RecordVisit) -> Checked {
    let idx = household_of(records, &e.household)?;
    let h = records.household(idx);
    let m = ctx.member_of("event.cadre", &e.cadre)?;
    // The household must be on the register of the cadre's own village.
    let Some(posting) = ctx
        .reg
        .member(m)
        .posting_on(ctx.date())
        .filter(|p| p.role.is_cadre())
    else {
        return Err(Method123Error::NotVillageCadre {
            field: "event.cadre",
            member: e.cadre.to_string(),
            village: ctx.reg.org(h.village).id.to_string(),
        });
    };
    if posting.org != h.village || !h.registered_on(ctx.date()) {
        return Err(Method123Error::NotRegistered {
            household: e.household.to_string(),
            village: ctx.reg.org(posting.org).id.to_string(),
        });
    }
    village_side(ctx, h.village, &[m])?;
    Ok(Change::Visit(Visit {
        on: ctx.date(),
        cadre: m,
        household: idx,
    }))
}

pub(crate) fn raise_concern(ctx: &Ctx, records: &Records, e: &RaiseConcern) -> Checked {
    let v = village_on(ctx, "event.village", &e.village)?;
    village_side(ctx, v, &acting_cadre(ctx, v))?;
    if records.concern_by_id(e.id.as_str()).is_some() {
        return Err(OrgError::Duplicate {
            field: "event.id",
            kind: EntityKind::Concern,
            id: e.id.to_string(),
        }
        .into());
    }
    capacity(records.concerns().len(), EntityKind::Concern)?;
    Ok(Change::RaiseConcern(Concern {
        id: e.id.clone(),
        village: v,
        raised: ctx.date(),
        raised_by: e.raised_by.clone(),
        channel: e.channel,
        category: e.category,
        text: e.text.to_string(),
        escalations: Vec::new(),
        resolution: None,
    }))
}

fn concern_of(records: &Records, id: &ExtId) -> Result<ConcernIdx, OrgError> {
    found(
        records.concern_by_id(id.as_str()),
        "event.concern",
        EntityKind::Concern,
        id,
    )
}

fn concern_state(c: &Concern, why: String) -> Method123Error {
    Method123Error::ConcernState {
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
fn township_of(ctx: &Ctx, c: &Concern) -> OrgIdx {
    ctx.reg.org(c.village).parent.unwrap_or(c.village)
}

pub(crate) fn escalate(ctx: &Ctx, records: &Records, e: &EscalateConcern) -> Checked {
    let idx = concern_of(records, &e.concern)?;
    let c = records.concern(idx);
    ctx.authority(township_of(ctx, c), false)?;
    if c.resolution.is_some() {
        return Err(concern_state(c, "it is resolved".into()));
    }
    if c.tier().next() != Some(e.to) {
        return Err(concern_state(
            c,
            format!(
                "it is at the {} tier; the next is {}",
                c.tier().as_str(),
                c.tier().next().map_or("none", Tier::as_str)
            ),
        ));
    }
    ctx.not_before("concern.escalations", latest_step(idx, c))?;
    let due = escalation_day(c.raised, e.to, &ctx.rules.escalation);
    if ctx.date() < due {
        return Err(concern_state(
            c,
            format!(
                "escalation to {} is due on {due}, not before",
                e.to.as_str()
            ),
        ));
    }
    Ok(Change::Escalate {
        concern: idx,
        escalation: Escalation {
            on: ctx.date(),
            to: e.to,
        },
    })
}

pub(crate) fn resolve(ctx: &Ctx, records: &Records, e: &ResolveConcern) -> Checked {
    let idx = concern_of(records, &e.concern)?;
    let c = records.concern(idx);
    let handler = match &e.handler {
        Some(h) => Some(cadre_of(ctx, "event.handler", h, c.village)?),
        None => None,
    };
    let tier = c.tier();
    match tier {
        Tier::Village => village_side(ctx, c.village, &acting_cadre(ctx, c.village))?,
        Tier::Township | Tier::PartyCommittee => ctx.authority(township_of(ctx, c), false)?,
    }
    if c.resolution.is_some() {
        return Err(concern_state(c, "it is resolved already".into()));
    }
    ctx.not_before("concern.raised", latest_step(idx, c))?;
    Ok(Change::Resolve {
        concern: idx,
        resolution: Resolution {
            on: ctx.date(),
            tier,
            handler,
            outcome: e.outcome.to_string(),
            feedback: e.feedback.as_ref().map(ToString::to_string),
        },
    })
}

crate::org::checks! {
    records: Records, change: Change, error: Method123Error;
    RegisterHousehold => register_household,
    RemoveHousehold => remove_household,
    RecordVisit => record_visit,
    RaiseConcern => raise_concern,
    EscalateConcern => escalate,
    ResolveConcern => resolve,
    ; ctx only:
    RecordReception => record_reception,
}
