//! What makes a member evaluation acceptable: the member posted on its day, by their
//! organization or above; a round that is a year not after the command's; one record per member
//! and round (a second only as a correction); ballots within the electorate of each evaluation.

use super::events::RecordMemberEvaluation;
use super::{Ballots, Evaluations, MemberEvaluationInputs};
use crate::Reason;
use crate::model::{Granularity, ModelError, Period};
use crate::org::{Ctx, OrgError, one_per_period, out_of_order};

/// Most ballots the masses' evaluation (群众评议) may record.
const MAX_MASSES: u64 = 10_000_000;

pub(crate) fn record_member_evaluation(
    ctx: &Ctx,
    evaluations: &Evaluations,
    e: &RecordMemberEvaluation,
) -> Result<MemberEvaluationInputs, OrgError> {
    let date = ctx.date();
    let m = ctx.member_of("event.member", &e.member)?;
    let member = ctx.reg.member(m);
    let Some(posting) = member.posting_on(date) else {
        return Err(out_of_order("event.member", date, member.postings[0].from));
    };
    ctx.authority(posting.org, false)?;
    let year = Period::containing(date, Granularity::Year);
    if e.round.granularity() != Granularity::Year || e.round > year {
        return Err(OrgError::Invalid(ModelError::new(
            "event.round",
            Reason::Malformed {
                zh: format!("评议年度 {} 须为不晚于 {year} 的年份", e.round).into(),
                en: format!("the round {} must be a year not after {year}", e.round).into(),
            },
        )));
    }
    if let Some(d) = e.report_submitted
        && d > date
    {
        return Err(out_of_order("event.report_submitted", date, d));
    }
    let exists = evaluations.of(m).any(|x| x.round == e.round);
    one_per_period(exists, e.correction, "round")?;
    // Fellow members and the committee vote at most once each.
    let others = u64::from(ctx.reg.members_now(posting.org).saturating_sub(1));
    let bounds = [
        ("event.self_review", &e.self_review, 1),
        ("event.peers", &e.peers, others),
        ("event.masses", &e.masses, MAX_MASSES),
        ("event.committee", &e.committee, others + 1),
    ];
    for (field, ballots, electorate) in bounds {
        if let Some(b) = ballots {
            check_ballots(field, b, electorate)?;
        }
    }
    Ok(MemberEvaluationInputs {
        member: m,
        org: posting.org,
        round: e.round,
        on: date,
        report_submitted: e.report_submitted,
        self_review: e.self_review,
        peers: e.peers,
        masses: e.masses,
        committee: e.committee,
        sanctioned: e.sanctioned,
        correction: e.correction,
    })
}

/// Ballots: at least one and at most `electorate` cast; a score 0 to 100 with at most 2 places.
fn check_ballots(field: &'static str, ballots: &Ballots, electorate: u64) -> Result<(), OrgError> {
    let bad = |reason| Err(OrgError::Invalid(ModelError::new(field, reason)));
    match ballots {
        Ballots::Score(s) => {
            let s = s.normalize();
            if s.is_sign_negative() || s > rust_decimal::Decimal::ONE_HUNDRED {
                return bad(Reason::OutOfRange {
                    min: "0".into(),
                    max: "100".into(),
                });
            }
            if s.scale() > 2 {
                return bad(Reason::TooManyDecimalPlaces { max: 2 });
            }
        }
        Ballots::Counts { .. } => {
            let total = ballots.total();
            if total == 0 || total > electorate {
                return bad(Reason::OutOfRange {
                    min: "1 ballot".into(),
                    max: format!("{electorate} ballots (the electorate)"),
                });
            }
        }
    }
    Ok(())
}

crate::org::checks! {
    records: Evaluations, change: MemberEvaluationInputs, error: OrgError;
    RecordMemberEvaluation => record_member_evaluation,
}
