//! Loading the 123 work method's records into a state, with their invariants checked.

use super::state::State;
use crate::method123::{Concern, Household, Reception, Visit};
use crate::model::OrgKind;

pub(crate) fn load(
    state: &mut State,
    households: Vec<Household>,
    receptions: Vec<Reception>,
    visits: Vec<Visit>,
    concerns: Vec<Concern>,
) -> Result<(), String> {
    let orgs = state.orgs().len();
    let members = state.members().len();
    let village = |state: &State, o: crate::model::OrgIdx| {
        (o.0 as usize) < orgs && state.org(o).kind == OrgKind::Village
    };
    for (i, h) in households.into_iter().enumerate() {
        if state.household_by_id(h.id.as_str()).is_some() || !village(state, h.village) {
            return Err(format!(
                "households[{i}] ({}): duplicate id or not a village's",
                h.id
            ));
        }
        if h.until.is_some_and(|u| u < h.since) {
            return Err(format!(
                "households[{i}] ({}): leaves before it joins",
                h.id
            ));
        }
        state.push_household(h);
    }
    for (i, r) in receptions.into_iter().enumerate() {
        let cadres_ok = !r.cadres.is_empty()
            && r.cadres.iter().all(|m| {
                (m.0 as usize) < members
                    && state
                        .member(*m)
                        .posting_on(r.on)
                        .is_some_and(|p| p.org == r.village && p.role.is_cadre())
            });
        if !village(state, r.village) || !cadres_ok || r.visitors == 0 {
            return Err(format!(
                "receptions[{i}]: not a reception by cadres of a village"
            ));
        }
        state.push_reception(r);
    }
    for (i, v) in visits.into_iter().enumerate() {
        let ok = (v.household.0 as usize) < state.households().len()
            && (v.cadre.0 as usize) < members
            && {
                let h = state.household(v.household);
                h.registered_on(v.on)
                    && state
                        .member(v.cadre)
                        .posting_on(v.on)
                        .is_some_and(|p| p.org == h.village && p.role.is_cadre())
            };
        if !ok {
            return Err(format!(
                "visits[{i}]: not a visit by a cadre of a registered household"
            ));
        }
        state.push_visit(v);
    }
    for (i, c) in concerns.into_iter().enumerate() {
        let ordered = c
            .escalations
            .windows(2)
            .all(|w| w[0].on <= w[1].on && w[0].to < w[1].to)
            && c.escalations.first().is_none_or(|e| e.on >= c.raised)
            && c.resolution.as_ref().is_none_or(|r| {
                r.on >= c.raised
                    && r.tier == c.tier_on(r.on)
                    && r.on >= c.escalations.last().map_or(c.raised, |e| e.on)
            });
        if state.concern_by_id(c.id.as_str()).is_some() || !village(state, c.village) || !ordered {
            return Err(format!(
                "concerns[{i}] ({}): duplicate id, not a village's, or out of order",
                c.id
            ));
        }
        state.push_concern(c);
    }
    Ok(())
}
