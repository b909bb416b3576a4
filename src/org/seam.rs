//! The seam every domain's checks go through: who acts ([`Actor`], resolved to [`Acting`]), their
//! authority in the tree, the lookups of organizations, members and units by identifier, and the
//! ordering of a command after the facts it follows.
//!
//! A domain's check is given a [`Ctx`]: the command's stamp and actor, the registry, the times
//! of day, the rules. It reads its own part of the state beside it and answers with what to
//! apply, or a refusal naming the field and the reason.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{EntityKind, OrgError, Registry};
use crate::model::times::{Mark, Times};
use crate::model::{ExtId, MemberIdx, OrgIdx, Stamp, UnitIdx};
use crate::rules::RuleSet;

/// Who asks for a change. Authentication is the host's; the library checks the actor's
/// authority in the organization tree for every command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ActorRepr", into = "ActorRepr")]
pub enum Actor {
    /// An organization, acting on itself and its subtree. `by` is the member acting for it, who
    /// must hold a cadre's role (书记 or 支委) in it; hosts that authenticate organizations as
    /// such leave it out. JSON: `{"org": "v-1"}` or `{"org": "v-1", "by": "m-7"}`.
    Org {
        /// The organization.
        org: ExtId,
        /// The cadre acting for it, if the host names one.
        by: Option<ExtId>,
    },
    /// A member, acting on their own records only. JSON: `{"member": "m-7"}`.
    Member {
        /// The member.
        member: ExtId,
    },
}

impl Actor {
    /// An organization acting as itself.
    pub fn org(id: &ExtId) -> Actor {
        Actor::Org {
            org: id.clone(),
            by: None,
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    org: Option<ExtId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    by: Option<ExtId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    member: Option<ExtId>,
}

impl TryFrom<ActorRepr> for Actor {
    type Error = &'static str;
    fn try_from(r: ActorRepr) -> Result<Actor, &'static str> {
        match (r.org, r.by, r.member) {
            (Some(org), by, None) => Ok(Actor::Org { org, by }),
            (None, None, Some(member)) => Ok(Actor::Member { member }),
            _ => Err("an actor is either {\"org\", optional \"by\"} or {\"member\"}"),
        }
    }
}

impl From<Actor> for ActorRepr {
    fn from(a: Actor) -> ActorRepr {
        match a {
            Actor::Org { org, by } => ActorRepr {
                org: Some(org),
                by,
                member: None,
            },
            Actor::Member { member } => ActorRepr {
                org: None,
                by: None,
                member: Some(member),
            },
        }
    }
}

/// The actor, resolved: an organization (checked that `by` is one of its cadres), or a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Acting {
    /// An organization, and the member acting for it if one was named.
    Org(OrgIdx, Option<MemberIdx>),
    /// A member, acting on their own records.
    Member(MemberIdx),
}

/// An event's rule: what its domain checks before the ledger records it. Every event payload
/// implements it in its domain's `check.rs` (most through [`checks!`](crate::org::checks)),
/// and the ledger's dispatch calls it, generic over what holds the state (`S`): a domain asks
/// for its own records with a bound (`S: AsRef<Records>`), or for another domain's facts
/// through a named trait (`S: MemberRecords`), never for the ledger's `State` itself.
pub(crate) trait Rule<S: ?Sized> {
    /// What an accepted event changes, resolved (the domain's `Change`).
    type Change;
    /// Why it is refused (the domain's error).
    type Error;
    /// Checks the event against the actor's context and the state; pure.
    fn check(&self, ctx: &Ctx, state: &S) -> Result<Self::Change, Self::Error>;
}

/// Implements [`Rule`] for a domain's events from a table: each event to its check function,
/// `fn(ctx, records, event)` where the records are `S: AsRef<$records>`, or, after
/// `; ctx only:`, `fn(ctx, event)`.
///
/// ```text
/// crate::org::checks! {
///     records: Records, change: Change, error: Method123Error;
///     RecordVisit => record_visit,
///     ; ctx only: RecordReception => record_reception,
/// }
/// ```
macro_rules! checks {
    (records: $records:ty, change: $change:ty, error: $error:ty;
     $($event:ident => $check:ident,)*
     $(; ctx only: $($ctx_event:ident => $ctx_check:ident,)*)?) => {
        $(
            impl<S: AsRef<$records> + ?Sized> $crate::org::Rule<S> for $event {
                type Change = $change;
                type Error = $error;
                fn check(&self, ctx: &$crate::org::Ctx, state: &S) -> Result<$change, $error> {
                    $check(ctx, state.as_ref(), self)
                }
            }
        )*
        $($(
            impl<S: ?Sized> $crate::org::Rule<S> for $ctx_event {
                type Change = $change;
                type Error = $error;
                fn check(&self, ctx: &$crate::org::Ctx, _: &S) -> Result<$change, $error> {
                    $ctx_check(ctx, self)
                }
            }
        )*)?
    };
}
pub(crate) use checks;

/// What a domain's check is given: the command's stamp and actor, resolved; the registry; the
/// times of day of recorded facts; the rules.
pub(crate) struct Ctx<'a> {
    /// When the command takes effect.
    pub at: Stamp,
    /// The actor as the command names it (for messages).
    pub actor: &'a Actor,
    /// The actor, resolved.
    pub acting: Acting,
    /// Organizations, members and units.
    pub reg: &'a Registry,
    /// Times of day of the facts whose commands gave one.
    pub times: &'a Times,
    /// The campaign's rules.
    pub rules: &'a RuleSet,
}

impl<'a> Ctx<'a> {
    /// Resolves `actor` on `at`'s date: its organization must exist by then, and a member
    /// named as acting for it must be one of its cadres.
    pub fn new(
        reg: &'a Registry,
        times: &'a Times,
        rules: &'a RuleSet,
        at: Stamp,
        actor: &'a Actor,
    ) -> Result<Ctx<'a>, OrgError> {
        let acting = resolve(reg, actor, at.date)?;
        Ok(Ctx {
            at,
            actor,
            acting,
            reg,
            times,
            rules,
        })
    }

    /// The command's date.
    pub fn date(&self) -> Date {
        self.at.date
    }

    /// The organization `id` names, established by the command's date.
    pub fn org_on(&self, field: &'static str, id: &ExtId) -> Result<OrgIdx, OrgError> {
        org_on(self.reg, field, id, self.at.date)
    }

    /// The member `id` names.
    pub fn member_of(&self, field: &'static str, id: &ExtId) -> Result<MemberIdx, OrgError> {
        member_of(self.reg, field, id)
    }

    /// The actor must be an organization at or above `target` (strictly above, if `strict`).
    pub fn authority(&self, target: OrgIdx, strict: bool) -> Result<(), OrgError> {
        authority(self.reg, self.actor, self.acting, target, strict)
    }

    /// The command must not come before the fact `mark` of `field`, dated `date`.
    pub fn not_before(&self, field: &'static str, fact: (Mark, Date)) -> Result<(), OrgError> {
        not_before(self.times, field, self.at, fact)
    }
}

/// The entity `found` holds, or an error naming `field` and `id`.
pub(crate) fn found<I>(
    found: Option<I>,
    field: &'static str,
    kind: EntityKind,
    id: &ExtId,
) -> Result<I, OrgError> {
    found.ok_or_else(|| OrgError::Unknown {
        field,
        kind,
        id: id.to_string(),
    })
}

/// The organization `id` names.
pub(crate) fn org_of(reg: &Registry, field: &'static str, id: &ExtId) -> Result<OrgIdx, OrgError> {
    found(reg.org_by_id(id.as_str()), field, EntityKind::Org, id)
}

/// The organization `id` names, which must have been established by `date`: no fact about an
/// organization is dated before it existed.
pub(crate) fn org_on(
    reg: &Registry,
    field: &'static str,
    id: &ExtId,
    date: Date,
) -> Result<OrgIdx, OrgError> {
    let o = org_of(reg, field, id)?;
    let since = reg.org(o).since;
    if date < since {
        return Err(out_of_order(field, date, since));
    }
    Ok(o)
}

/// The member `id` names.
pub(crate) fn member_of(
    reg: &Registry,
    field: &'static str,
    id: &ExtId,
) -> Result<MemberIdx, OrgError> {
    found(reg.member_by_id(id.as_str()), field, EntityKind::Member, id)
}

/// The member `id` names, who must have been posted by `date`.
pub(crate) fn member_on(
    reg: &Registry,
    field: &'static str,
    id: &ExtId,
    date: Date,
) -> Result<MemberIdx, OrgError> {
    let m = member_of(reg, field, id)?;
    let first = reg.member(m).postings[0].from;
    if date < first {
        return Err(out_of_order(field, date, first));
    }
    Ok(m)
}

/// The unit `id` names.
pub(crate) fn unit_of(
    reg: &Registry,
    field: &'static str,
    id: &ExtId,
) -> Result<UnitIdx, OrgError> {
    found(reg.unit_by_id(id.as_str()), field, EntityKind::Unit, id)
}

fn resolve(reg: &Registry, actor: &Actor, date: Date) -> Result<Acting, OrgError> {
    match actor {
        Actor::Org { org, by } => {
            let o = org_on(reg, "actor.org", org, date)?;
            let Some(by) = by else {
                return Ok(Acting::Org(o, None));
            };
            let m = member_of(reg, "actor.by", by)?;
            let cadre = reg
                .member(m)
                .posting_on(date)
                .is_some_and(|p| p.org == o && p.role.is_cadre());
            if !cadre {
                return Err(OrgError::NotCadre {
                    member: by.to_string(),
                    org: org.to_string(),
                });
            }
            Ok(Acting::Org(o, Some(m)))
        }
        Actor::Member { member } => Ok(Acting::Member(member_on(
            reg,
            "actor.member",
            member,
            date,
        )?)),
    }
}

/// The actor as refusals name it, in English (`organization "t-1" (by member "m-1")`).
pub(crate) fn actor_text(actor: &Actor) -> String {
    match actor {
        Actor::Org { org, by: None } => format!("organization {:?}", org.as_str()),
        Actor::Org { org, by: Some(m) } => {
            format!(
                "organization {:?} (by member {:?})",
                org.as_str(),
                m.as_str()
            )
        }
        Actor::Member { member } => format!("member {:?}", member.as_str()),
    }
}

/// The actor must be an organization at or above `target` (or strictly above, if `strict`).
pub(crate) fn authority(
    reg: &Registry,
    actor: &Actor,
    acting: Acting,
    target: OrgIdx,
    strict: bool,
) -> Result<(), OrgError> {
    let denied = |why| OrgError::NotAuthorized {
        actor: actor_text(actor),
        target: format!("organization {:?}", reg.org(target).id.as_str()),
        why,
    };
    match acting {
        Acting::Member(_) => Err(denied(
            "a member acts only on their own records, and this is an organization's",
        )),
        Acting::Org(o, _) if strict && o == target => Err(denied(
            "an organization cannot do this to itself; its superior must",
        )),
        Acting::Org(o, _) if reg.is_at_or_above(o, target) => Ok(()),
        Acting::Org(..) => Err(denied(
            "an organization acts only on itself and the organizations below it",
        )),
    }
}

/// A date before the latest of a history it would join.
pub(crate) fn out_of_order(field: &'static str, at: Date, latest: Date) -> OrgError {
    OrgError::OutOfOrder {
        field,
        at: at.to_string(),
        latest: latest.to_string(),
    }
}

/// The command at `at` must not come before the fact `mark` of `field`, dated `date`: not on an
/// earlier day, nor earlier the same day when both have a time of day.
pub(crate) fn not_before(
    times: &Times,
    field: &'static str,
    at: Stamp,
    (mark, date): (Mark, Date),
) -> Result<(), OrgError> {
    if times.before(at, mark, date) {
        return Err(OrgError::OutOfOrder {
            field,
            at: at.to_string(),
            latest: times.stamp(mark, date).to_string(),
        });
    }
    Ok(())
}

/// A list of `len` entities of `kind` can take one more.
pub(crate) fn capacity(len: usize, kind: EntityKind) -> Result<(), OrgError> {
    if len as u64 >= super::MAX_ENTITIES as u64 {
        return Err(OrgError::Capacity {
            kind,
            max: super::MAX_ENTITIES,
        });
    }
    Ok(())
}

/// An organization of the wrong kind for `field`, and `why` (English) the kind was needed.
pub(crate) fn wrong_kind(
    field: &'static str,
    reg: &Registry,
    org: OrgIdx,
    why: &'static str,
) -> OrgError {
    let o = reg.org(org);
    OrgError::WrongOrgKind {
        field,
        org: o.id.to_string(),
        kind: o.kind,
        why,
    }
}

/// One record per `period` (month, year or round): a second one only as a correction, and a
/// correction only of an existing one. `exists`: whether the period has a record already.
pub(crate) fn one_per_period(exists: bool, correction: bool, period: &str) -> Result<(), OrgError> {
    let why = match (exists, correction) {
        (true, false) => {
            format!("this {period} is already recorded; send the new record as a correction")
        }
        (false, true) => format!("there is no record for this {period} to correct"),
        _ => return Ok(()),
    };
    Err(OrgError::Correction { why })
}
