//! Reading: the state, a pledge, a member's evaluation with its explanation, the stage report
//! in three formats, the audit, snapshots and replay.

use crate::org::OrgError;
use std::ffi::c_char;

use jiff::civil::Date;

use super::{
    CZ_INVALID_ARGUMENT, coded, cz_campaign, cz_date, cz_result, fail, lock, new_handle, opt_text,
    owned, text, with_out,
};
use crate::ledger::{Campaign, EntityKind, LedgerError, State};
use crate::model::{OrgIdx, Period};
use crate::pledge::Owner;
use crate::report::{Claims, Reading, Span, StageReport, audit, member_grades};

/// `cz_campaign_report` format: the JSON report (docs/report.md).
pub const CZ_FORMAT_JSON: u32 = 0;
/// `cz_campaign_report` format: the Chinese text.
pub const CZ_FORMAT_TEXT: u32 = 1;
/// `cz_campaign_report` format: the self-contained HTML page.
pub const CZ_FORMAT_HTML: u32 = 2;

/// `cz_campaign_report_with` attribution: every record under its organization's place in the
/// tree on the as-of date (the default reading; docs/report.md).
pub const CZ_ATTRIBUTION_AS_OF: u32 = 0;
/// `cz_campaign_report_with` attribution: each record under the organization its author stood
/// under on the record's own date; entities and stocks as of the as-of date.
pub const CZ_ATTRIBUTION_HISTORICAL: u32 = 1;

fn unknown(field: &'static str, kind: EntityKind, id: &str) -> u32 {
    coded(&LedgerError::from(OrgError::Unknown {
        field,
        kind,
        id: id.to_string(),
    }))
}

fn date_arg(s: &str, name: &str) -> Result<Date, u32> {
    s.parse::<Date>().map_err(|e| {
        fail(
            CZ_INVALID_ARGUMENT,
            format!("参数 {name} 不是日期，应写作 YYYY-MM-DD：{s:?}\nargument {name} is not a date (YYYY-MM-DD): {s:?}: {e}"),
        )
    })
}

/// The campaign's state as JSON (the entity lists). On success `*json_out` is a new string to
/// be freed with `cz_string_free`.
///
/// # Safety
///
/// `campaign` is a live handle; `json_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_state_json(
    campaign: *mut cz_campaign,
    json_out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_out(json_out, "json_out", || {
            Ok(owned(lock(campaign)?.state_json()))
        })
    }
}

/// The latest effective date among the campaign's records. Fails with `CZ_NO_RECORD` when it
/// holds none.
///
/// # Safety
///
/// `campaign` is a live handle; `date_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_latest_date(
    campaign: *mut cz_campaign,
    date_out: *mut cz_date,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_out(date_out, "date_out", || {
            let d = lock(campaign)?.latest_date().ok_or_else(|| {
                fail(
                    super::CZ_NO_RECORD,
                    "活动尚无记录\nthe campaign holds no record yet".into(),
                )
            })?;
            Ok(cz_date {
                year: d.year(),
                month: u8::try_from(d.month()).unwrap_or(0),
                day: u8::try_from(d.day()).unwrap_or(0),
            })
        })
    }
}

fn pledge_json(state: &State, id: &str) -> Result<String, u32> {
    let p = state
        .pledge_by_id(id)
        .map(|i| state.pledge(i))
        .ok_or_else(|| unknown("pledge", EntityKind::Pledge, id))?;
    let owner = match p.owner {
        Owner::Org(o) => serde_json::json!({"org": state.org(o).id}),
        Owner::Member(m) => serde_json::json!({"member": state.member(m).id}),
    };
    let reviews: Vec<serde_json::Value> = p
        .reviews
        .iter()
        .map(|r| {
            serde_json::json!({
                "on": r.on,
                "reviewer": state.org(r.reviewer).id,
                "version": r.version,
                "decision": r.decision,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "id": p.id,
        "owner": owner,
        "kind": p.kind,
        "focus": p.focus,
        "carrier": p.carrier,
        "status": p.status.current().status,
        "status_log": p.status,
        "versions": p.versions,
        "reviews": reviews,
        "reports": p.reports,
        "fulfilments": p.fulfilments,
        "urges": p.urges,
        "evaluations": p.evaluations,
        "explanation": p.explanation,
    });
    Ok(doc.to_string())
}

/// A pledge as JSON: owner, kind, focus, carrier, status and its history, every version of the
/// content, the reviews, monthly reports, fulfilment records, urges and evaluation inputs.
/// Decimals are strings. Unknown ids fail with 3002.
///
/// # Safety
///
/// `campaign` is a live handle; `pledge` a valid NUL-terminated string; `json_out` a valid
/// pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_pledge_json(
    campaign: *mut cz_campaign,
    pledge: *const c_char,
    json_out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_out(json_out, "json_out", || {
            let id = text(pledge, "pledge")?;
            let c = lock(campaign)?;
            pledge_json(c.state(), id).map(owned)
        })
    }
}

fn evaluation_json(c: &Campaign, member: &str, round: &str) -> Result<String, u32> {
    let state = c.state();
    let m = state
        .member_by_id(member)
        .ok_or_else(|| unknown("member", EntityKind::Member, member))?;
    let round = Period::parse("round", round).map_err(|e| coded(&e))?;
    // The member's latest record of the round names the organization that evaluated them; the
    // cap on 优秀 is applied across that organization's round.
    let org = state
        .member_evaluations_of(m)
        .rev()
        .find(|e| e.round == round)
        .map(|e| e.org)
        .ok_or_else(|| {
            fail(
                3002,
                format!(
                    "党员 {member} 在 {round} 轮无评议记录\nmember {member} has no evaluation record for round {round}"
                ),
            )
        })?;
    let verdict = member_grades(state, c.rules(), org, round)
        .into_iter()
        .find(|v| v.member.as_str() == member)
        .ok_or_else(|| unknown("member", EntityKind::Member, member))?;
    Ok(serde_json::to_string(&verdict).unwrap_or_default())
}

/// A member's evaluation (一报告四评议) for `round` (`"2010"`): the outcome (grade, or pending),
/// the weighted score as a decimal string, and every step with the rule that produced it, the
/// cap on 优秀 applied across the member's organization. Unknown members, and members without
/// a record for the round, fail with 3002.
///
/// # Safety
///
/// `campaign` is a live handle; `member` and `round` valid NUL-terminated strings; `json_out` a
/// valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_member_evaluation_json(
    campaign: *mut cz_campaign,
    member: *const c_char,
    round: *const c_char,
    json_out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_out(json_out, "json_out", || {
            let member = text(member, "member")?;
            let round = text(round, "round")?;
            let c = lock(campaign)?;
            evaluation_json(&c, member, round).map(owned)
        })
    }
}

/// The scope and span a report call names.
fn scope_span(
    c: &Campaign,
    scope: Option<&str>,
    from: Option<&str>,
    as_of: Option<&str>,
) -> Result<(OrgIdx, Span), u32> {
    let state = c.state();
    let root = match scope {
        Some(id) => state
            .org_by_id(id)
            .ok_or_else(|| unknown("scope", EntityKind::Org, id))?,
        None => state.root().ok_or_else(|| {
            fail(
                super::CZ_NO_RECORD,
                "活动尚无组织\nthe campaign holds no organization yet".into(),
            )
        })?,
    };
    let as_of = match as_of {
        Some(s) => date_arg(s, "as_of")?,
        None => c.latest_date().ok_or_else(|| {
            fail(
                super::CZ_NO_RECORD,
                "活动尚无记录，请给出 as_of\nthe campaign holds no record: give as_of".into(),
            )
        })?,
    };
    let from = from.map(|f| date_arg(f, "from")).transpose()?;
    if from.is_some_and(|f| f > as_of) {
        return Err(fail(
            CZ_INVALID_ARGUMENT,
            "参数 from 晚于 as_of\nargument from is after as_of".into(),
        ));
    }
    Ok((root, Span { from, as_of }))
}

/// What `f` makes of the scope and span a call names: the scope, from and as-of arguments read,
/// the campaign locked, `f` given the campaign, the scope's organization and the span.
///
/// # Safety
///
/// `campaign` is a live handle; `scope`, `from` and `as_of` are NULL or valid NUL-terminated
/// strings.
pub(super) unsafe fn with_scope<T>(
    campaign: *mut cz_campaign,
    (scope, from, as_of): (*const c_char, *const c_char, *const c_char),
    f: impl FnOnce(&Campaign, OrgIdx, Span) -> T,
) -> Result<T, u32> {
    // SAFETY: forwarded from the caller.
    let (scope, from, as_of) = unsafe {
        (
            opt_text(scope, "scope")?,
            opt_text(from, "from")?,
            opt_text(as_of, "as_of")?,
        )
    };
    // SAFETY: forwarded from the caller.
    let c = unsafe { lock(campaign) }?;
    let (root, span) = scope_span(&c, scope, from, as_of)?;
    Ok(f(&c, root, span))
}

/// The stage report a report or audit call names, records placed by `reading`.
///
/// # Safety
///
/// As [`with_scope`].
pub(super) unsafe fn report_of(
    campaign: *mut cz_campaign,
    scope: *const c_char,
    from: *const c_char,
    as_of: *const c_char,
    reading: Reading,
) -> Result<StageReport, u32> {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_scope(campaign, (scope, from, as_of), |c, root, span| {
            StageReport::build_with(c, root, span, reading)
        })
    }
}

/// The stage report of `scope`'s subtree (NULL: the root) over the records dated from `from`
/// (NULL: the start) to `as_of` (NULL: the latest date recorded), dates as `"YYYY-MM-DD"`, in
/// `format` (`CZ_FORMAT_JSON`, `CZ_FORMAT_TEXT` or `CZ_FORMAT_HTML`). On success `*out` is a
/// new string to be freed with `cz_string_free`. A campaign without organizations, or without
/// records when `as_of` is NULL, fails with `CZ_NO_RECORD`.
///
/// # Safety
///
/// `campaign` is a live handle; `scope`, `from` and `as_of` are NULL or valid NUL-terminated
/// strings; `out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_report(
    campaign: *mut cz_campaign,
    scope: *const c_char,
    from: *const c_char,
    as_of: *const c_char,
    format: u32,
    out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        cz_campaign_report_with(
            campaign,
            scope,
            from,
            as_of,
            format,
            CZ_ATTRIBUTION_AS_OF,
            out,
        )
    }
}

/// `cz_campaign_report` with the records placed by `attribution`: `CZ_ATTRIBUTION_AS_OF`
/// (what `cz_campaign_report` does) or `CZ_ATTRIBUTION_HISTORICAL`. Any other value fails with
/// `CZ_INVALID_ARGUMENT`.
///
/// # Safety
///
/// As `cz_campaign_report`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_report_with(
    campaign: *mut cz_campaign,
    scope: *const c_char,
    from: *const c_char,
    as_of: *const c_char,
    format: u32,
    attribution: u32,
    out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_out(out, "out", || {
            format_arg(format)?;
            let reading = reading_arg(attribution)?;
            let report = report_of(campaign, scope, from, as_of, reading)?;
            Ok(rendered(&report, format))
        })
    }
}

/// Refuses a `format` argument other than `CZ_FORMAT_JSON`, `CZ_FORMAT_TEXT` or
/// `CZ_FORMAT_HTML` (`CZ_INVALID_ARGUMENT`).
pub(super) fn format_arg(format: u32) -> Result<(), u32> {
    if format > CZ_FORMAT_HTML {
        return Err(fail(
            CZ_INVALID_ARGUMENT,
            format!("参数 format 未知：{format}\nargument format unknown: {format}"),
        ));
    }
    Ok(())
}

/// `report` in `format` (checked by [`format_arg`]), as a string for the caller.
pub(super) fn rendered(report: &StageReport, format: u32) -> *mut c_char {
    owned(match format {
        CZ_FORMAT_TEXT => report.to_text(),
        CZ_FORMAT_HTML => report.to_html(),
        _ => report.to_json(),
    })
}

/// The reading an `attribution` argument names: `CZ_ATTRIBUTION_AS_OF` or
/// `CZ_ATTRIBUTION_HISTORICAL`; any other value is `CZ_INVALID_ARGUMENT`.
pub(super) fn reading_arg(attribution: u32) -> Result<Reading, u32> {
    match attribution {
        CZ_ATTRIBUTION_AS_OF => Ok(Reading::AsOf),
        CZ_ATTRIBUTION_HISTORICAL => Ok(Reading::Historical),
        _ => Err(fail(
            CZ_INVALID_ARGUMENT,
            format!(
                "参数 attribution 未知：{attribution}\nargument attribution unknown: {attribution}"
            ),
        )),
    }
}

/// Audits the published claims in `claims_json` (docs/report.md) against the stage report of
/// `scope` over `from`–`as_of` (as `cz_campaign_report`). On success `*json_out` is a new
/// string: `{"findings": [{"claim", "verdict", "computed", "exact", "difference", "reading",
/// "problem", …}]}`, a verdict per claim (`supported`, `supported_under_reading`,
/// `unsupported`, `invalid`). An unreadable claims file fails with 5001.
///
/// # Safety
///
/// `campaign` is a live handle; `claims_json` is a valid NUL-terminated string; `scope`,
/// `from` and `as_of` are NULL or valid NUL-terminated strings; `json_out` is a valid pointer
/// to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_audit_json(
    campaign: *mut cz_campaign,
    claims_json: *const c_char,
    scope: *const c_char,
    from: *const c_char,
    as_of: *const c_char,
    json_out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_out(json_out, "json_out", || {
            let claims =
                Claims::from_json(text(claims_json, "claims_json")?).map_err(|e| coded(&e))?;
            let report = report_of(campaign, scope, from, as_of, Reading::AsOf)?;
            let findings = audit(&report, &claims);
            Ok(owned(
                serde_json::json!({ "findings": findings }).to_string(),
            ))
        })
    }
}

/// The whole campaign as a snapshot (JSON), to be loaded with `cz_campaign_from_snapshot`.
///
/// # Safety
///
/// `campaign` is a live handle; `json_out` is a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_snapshot_json(
    campaign: *mut cz_campaign,
    json_out: *mut *mut c_char,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_out(json_out, "json_out", || {
            Ok(owned(lock(campaign)?.snapshot_json()))
        })
    }
}

/// Loads a snapshot into a new in-memory campaign, checking the rules and every invariant
/// (4008 names what is wrong). On success `*campaign_out` is a new handle.
///
/// # Safety
///
/// `snapshot_json` is a valid NUL-terminated string; `campaign_out` a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_from_snapshot(
    snapshot_json: *const c_char,
    campaign_out: *mut *mut cz_campaign,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        new_handle(campaign_out, || {
            let json = text(snapshot_json, "snapshot_json")?;
            Campaign::from_snapshot_json(json).map_err(|e| coded(&e))
        })
    }
}

/// Replays a journal held as text (its header line and records joined by newlines, as a host
/// keeping events in its own database would hand them back), verifying every hash, into a new
/// in-memory campaign. On success `*campaign_out` is a new handle.
///
/// # Safety
///
/// `journal_text` is a valid NUL-terminated string; `campaign_out` a valid pointer to write to.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cz_campaign_replay(
    journal_text: *const c_char,
    campaign_out: *mut *mut cz_campaign,
) -> cz_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        new_handle(campaign_out, || {
            let text = text(journal_text, "journal_text")?;
            Campaign::replay(text.as_bytes())
                .map(|(c, _)| c)
                .map_err(|e| coded(&e))
        })
    }
}
