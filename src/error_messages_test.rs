//! Every error message's Chinese half is written with full-width punctuation (`，；：（）`):
//! each variant of every layer's error is built here (a `match` without a wildcard fails to
//! compile when a variant is added without a sample), with the reasons other modules write in
//! English, and its Chinese half is checked outside quoted values and identifiers.

use std::path::PathBuf;

use crate::Coded;
use crate::activity::ActivityError;
use crate::deliberation::{DeliberationError, Status, Step};
use crate::error::Reason;
use crate::json_error::ascii_punctuation;
use crate::ledger::{EntityKind, JournalError, LedgerError};
use crate::method123::Method123Error;
use crate::model::{ModelError, OrgKind, UnitKind};
use crate::org::OrgError;
use crate::pledge::PledgeError;
use crate::rules::RulesError;

fn full_width(what: &str, e: &dyn Coded) {
    let zh = e.message_zh();
    if let Some((at, c)) = ascii_punctuation(&zh) {
        panic!("{what}: ASCII {c:?} at {at} in the Chinese half: {zh}");
    }
    assert!(!e.message_en().is_empty(), "{what}");
}

pub(crate) fn reasons() -> Vec<Reason> {
    vec![
        Reason::Empty,
        Reason::TooLong {
            max: 10,
            actual: 12,
        },
        Reason::ControlCharacter,
        Reason::NotADecimal,
        Reason::Negative,
        Reason::TooManyDecimalPlaces { max: 2 },
        Reason::TooLarge {
            max: "1000 (the cap)".into(),
        },
        Reason::InvalidDate,
        Reason::OutOfRange {
            min: "1 ballot".into(),
            max: "12 ballots (the electorate)".into(),
        },
        Reason::UnknownName {
            expected: "village, community, organ",
        },
        Reason::SurroundingWhitespace,
        Reason::Overflow,
        // Written by other modules, some with ASCII marks: brought to full width.
        Reason::Malformed {
            zh: "目标序号 3 重复或超出范围 (共 2 项目标)".into(),
            en: "target 3 repeated or out of range (2 targets)".into(),
        },
    ]
}

/// The position of `e`'s variant, by an exhaustive match: a new variant must be given here.
pub(crate) fn ledger_variant(e: &LedgerError) -> usize {
    match e {
        LedgerError::Parse { .. } => 0,
        // `From<OrgError>` keeps a refused value in `Invalid`; both are the model's code.
        LedgerError::Invalid(_) | LedgerError::Org(OrgError::Invalid(_)) => 1,
        LedgerError::Org(OrgError::Unknown { .. }) => 2,
        LedgerError::Org(OrgError::Duplicate { .. }) => 3,
        LedgerError::Org(OrgError::NotAuthorized { .. }) => 4,
        LedgerError::Org(OrgError::NotCadre { .. }) => 5,
        LedgerError::Org(OrgError::Root { .. }) => 6,
        LedgerError::Org(OrgError::ParentKind { .. }) => 7,
        LedgerError::Org(OrgError::Cycle { .. }) => 8,
        LedgerError::Org(OrgError::SecretaryTaken { .. }) => 9,
        LedgerError::Org(OrgError::WrongOrgKind { .. }) => 10,
        LedgerError::Org(OrgError::CoverageKind { .. }) => 11,
        LedgerError::Org(OrgError::CoverageFull { .. }) => 12,
        LedgerError::Org(OrgError::OutOfOrder { .. }) => 13,
        LedgerError::Org(OrgError::NoChange { .. }) => 14,
        LedgerError::Org(OrgError::Capacity { .. }) => 15,
        LedgerError::Pledge(PledgeError::Org(_)) => 1,
        LedgerError::Pledge(PledgeError::PledgeStatus { .. }) => 16,
        LedgerError::Pledge(PledgeError::SelfReview { .. }) => 17,
        LedgerError::Pledge(PledgeError::NoReviewer { .. }) => 18,
        LedgerError::Pledge(PledgeError::Deadline { .. }) => 19,
        LedgerError::Pledge(PledgeError::CarrierNotApplicable) => 20,
        LedgerError::Pledge(PledgeError::TargetNotMet { .. }) => 21,
        LedgerError::Org(OrgError::Correction { .. }) => 22,
        LedgerError::Pledge(PledgeError::Assessment { .. }) => 23,
        LedgerError::Method123(Method123Error::Org(_)) => 1,
        LedgerError::Method123(Method123Error::NotVillageCadre { .. }) => 24,
        LedgerError::Method123(Method123Error::NotRegistered { .. }) => 25,
        LedgerError::Method123(Method123Error::ConcernState { .. }) => 26,
        LedgerError::OutsideCampaign { .. } => 27,
        LedgerError::Activity(ActivityError::Org(_)) => 1,
        LedgerError::Activity(ActivityError::HotlineCaseState { .. }) => 28,
        LedgerError::Activity(ActivityError::NotLeadingCadre { .. }) => 29,
        LedgerError::Activity(ActivityError::OutsideTeamOrg { .. }) => 30,
        LedgerError::Activity(ActivityError::TeamMembership { .. }) => 31,
        LedgerError::Activity(ActivityError::ContactPointState { .. }) => 32,
        LedgerError::Activity(ActivityError::InstructorState { .. }) => 33,
        LedgerError::Activity(ActivityError::TeamFull { .. }) => 34,
        LedgerError::Activity(ActivityError::PairingState { .. }) => 47,
        LedgerError::Journal(_) => 35,
        LedgerError::Deliberation(DeliberationError::Org(_)) => 1,
        LedgerError::Deliberation(DeliberationError::StepOutOfOrder { .. }) => 36,
        LedgerError::Deliberation(DeliberationError::StepRepeated { .. }) => 37,
        LedgerError::Deliberation(DeliberationError::MatterClosed { .. }) => 38,
        LedgerError::Deliberation(DeliberationError::StepBeforePrevious { .. }) => 39,
        LedgerError::Deliberation(DeliberationError::StepTooSoon { .. }) => 40,
        LedgerError::Deliberation(DeliberationError::NotVillage { .. }) => 41,
        LedgerError::Deliberation(DeliberationError::StepActor { .. }) => 42,
        LedgerError::Deliberation(DeliberationError::NoQuorum { .. }) => 43,
        LedgerError::Pledge(PledgeError::Unreviewable { .. }) => 44,
        LedgerError::Pledge(PledgeError::CarrierRequired { .. }) => 45,
        LedgerError::RecordTooLong { .. } => 46,
    }
}

pub(crate) const LEDGER_VARIANTS: usize = 48;

fn s(text: &str) -> String {
    text.to_string()
}

/// One of each variant, with the values other modules give it (ids with ASCII marks, English
/// reasons).
pub(crate) fn ledger_samples() -> Vec<LedgerError> {
    let (org, member) = (s("v-1, (old)"), s("m:7"));
    let mut out = vec![
        crate::ledger::Command::from_json(r#"{"at":"2010-05-01"}"#).unwrap_err(),
        LedgerError::Invalid(ModelError::new("event.name", Reason::Empty)),
        LedgerError::from(OrgError::Unknown {
            field: "event.org",
            kind: EntityKind::Org,
            id: org.clone(),
        }),
        LedgerError::from(OrgError::Duplicate {
            field: "event.id",
            kind: EntityKind::InstructorAssignment,
            id: org.clone(),
        }),
        LedgerError::from(OrgError::NotAuthorized {
            actor: s("organization \"t-1\" (by member \"m-1\")"),
            target: s("organization \"v-1\""),
            why: "an organization acts only at or above the target",
        }),
        LedgerError::from(OrgError::NotCadre {
            member: member.clone(),
            org: org.clone(),
        }),
        LedgerError::from(OrgError::Root {
            why: "the root organization must be a city or province committee",
        }),
        LedgerError::from(OrgError::ParentKind {
            field: "event.parent",
            child: OrgKind::Village,
            parent: OrgKind::Village,
        }),
        LedgerError::from(OrgError::Cycle {
            org: org.clone(),
            parent: s("t-1"),
        }),
        LedgerError::from(OrgError::SecretaryTaken {
            org: org.clone(),
            secretary: member.clone(),
        }),
        LedgerError::from(OrgError::WrongOrgKind {
            field: "event.org",
            org: org.clone(),
            kind: OrgKind::CityCommittee,
            why: "members belong to grassroots organizations",
        }),
        LedgerError::from(OrgError::CoverageKind {
            unit_kind: UnitKind::Cooperative,
            expected: OrgKind::Cooperative,
            found: OrgKind::Village,
        }),
        LedgerError::from(OrgError::CoverageFull {
            org: org.clone(),
            max: 10,
        }),
        LedgerError::from(OrgError::OutOfOrder {
            field: "member.posting",
            at: s("2010-05-01 09:00"),
            latest: s("2010-05-02"),
        }),
        LedgerError::from(OrgError::NoChange {
            field: "event.name",
            value: s("\"x, y\""),
        }),
        LedgerError::from(OrgError::Capacity {
            kind: EntityKind::Pledge,
            max: 1_000_000,
        }),
        LedgerError::from(PledgeError::PledgeStatus {
            pledge: s("p-1"),
            status: "draft",
            action: "published",
        }),
        LedgerError::from(PledgeError::SelfReview {
            member: member.clone(),
        }),
        LedgerError::from(PledgeError::NoReviewer {
            pledge: s("p-1"),
            levels: 1,
        }),
        LedgerError::from(PledgeError::Deadline {
            field: "event.deadline",
            deadline: s("2010-01-01"),
            date: s("2010-05-01"),
        }),
        LedgerError::from(PledgeError::CarrierNotApplicable),
        LedgerError::from(PledgeError::TargetNotMet {
            pledge: s("p-1"),
            target: 1,
            metric: s("roads, km"),
            why: s("8 of 10 km done"),
        }),
        LedgerError::from(OrgError::Correction {
            why: s("month 2010-05 is reported already; mark a correction"),
        }),
        LedgerError::from(PledgeError::Assessment {
            why: s(
                "the pledge is lagging at the end of 2010-Q2 (actual 0.5, expected 0.6), not on_track",
            ),
        }),
        LedgerError::from(Method123Error::NotVillageCadre {
            field: "event.cadre",
            member: member.clone(),
            village: org.clone(),
        }),
        LedgerError::from(Method123Error::NotRegistered {
            household: s("h-1"),
            village: org.clone(),
        }),
    ];
    out.extend(concern_samples());
    out.extend(later_samples(&org, &member));
    out
}

fn concern_samples() -> Vec<LedgerError> {
    [
        "it is resolved",
        "it is at the village tier; the next is township",
        "escalation to township is due on 2010-05-08, not before",
        "some reason not yet translated: (x)",
    ]
    .into_iter()
    .map(|why| {
        LedgerError::from(Method123Error::ConcernState {
            concern: s("c-1"),
            why: s(why),
        })
    })
    .collect()
}

fn later_samples(org: &str, member: &str) -> Vec<LedgerError> {
    let (org, member) = (s(org), s(member));
    let matter = s("m-1");
    vec![
        LedgerError::OutsideCampaign {
            at: s("2013-01-01"),
            window: s("2010-04-01 – …"),
        },
        LedgerError::from(ActivityError::HotlineCaseState {
            case: s("h-1"),
            step: "replied",
        }),
        LedgerError::from(ActivityError::NotLeadingCadre {
            member: member.clone(),
        }),
        LedgerError::from(ActivityError::OutsideTeamOrg {
            member: member.clone(),
            org: org.clone(),
            team: s("t-1"),
        }),
        LedgerError::from(ActivityError::TeamMembership {
            member: member.clone(),
            team: s("t-1"),
            already: true,
        }),
        LedgerError::from(ActivityError::ContactPointState {
            leader: member.clone(),
            org: org.clone(),
            already: false,
        }),
        LedgerError::from(ActivityError::InstructorState {
            instructor: member.clone(),
            target: s("unit \"u-1\""),
            already: true,
        }),
        LedgerError::from(ActivityError::TeamFull {
            team: s("t-1"),
            max: 5000,
        }),
        LedgerError::from(ActivityError::PairingState {
            partner: s("organization \"d-01\""),
            village: s("v-1"),
            already: true,
        }),
        LedgerError::Journal(JournalError::Poisoned),
        LedgerError::from(DeliberationError::StepOutOfOrder {
            matter: matter.clone(),
            step: Step::MembersDeliberation,
            next: Step::CommitteeDiscussion,
        }),
        LedgerError::from(DeliberationError::StepRepeated {
            matter: matter.clone(),
            step: Step::Proposal,
            on: s("2010-05-01"),
        }),
        LedgerError::from(DeliberationError::MatterClosed {
            matter: matter.clone(),
            status: Status::VetoedByTownship,
            step: Step::VillagersResolution,
        }),
        LedgerError::from(DeliberationError::StepBeforePrevious {
            matter: matter.clone(),
            step: Step::TownshipReview,
            at: s("2010-05-01"),
            previous_step: Step::MembersDeliberation,
            previous: s("2010-05-02"),
        }),
        LedgerError::from(DeliberationError::StepTooSoon {
            matter: matter.clone(),
            step: Step::ResolutionPublication,
            at: s("2010-05-01"),
            previous_step: Step::VillagersResolution,
            min_days: 7,
            earliest: s("2010-05-03"),
        }),
        LedgerError::from(DeliberationError::NotVillage {
            field: "event.village",
            org: org.clone(),
            kind: OrgKind::Community,
        }),
        LedgerError::from(DeliberationError::StepActor {
            actor: s("organization \"v-2\""),
            step: Step::TownshipReview,
            village: org,
            target: s("t-1"),
        }),
        LedgerError::from(DeliberationError::NoQuorum {
            attending: 10,
            expected: 20,
            required: 14,
        }),
        LedgerError::from(PledgeError::Unreviewable {
            org: s("city (root)"),
            member: Some(s("m-1, the secretary")),
            levels: 1,
        }),
        LedgerError::from(PledgeError::CarrierRequired {
            member: s("m-9 (other)"),
            category: "other",
        }),
        LedgerError::RecordTooLong {
            bytes: 1_048_577,
            max: 1_048_576,
        },
    ]
}

pub(crate) fn journal_samples() -> Vec<JournalError> {
    let path = PathBuf::from("/data/city, 2010 (copy)/journal.jsonl");
    let io = |kind| std::io::Error::new(kind, "the os says: no (os error 2)");
    let mut out = vec![
        JournalError::Io {
            op: "append to",
            path: path.clone(),
            source: io(std::io::ErrorKind::NotFound),
        },
        JournalError::Io {
            op: "read",
            path: path.clone(),
            source: io(std::io::ErrorKind::Other),
        },
        JournalError::Exists { path: path.clone() },
        JournalError::Locked { path },
        JournalError::Uncovered {
            offset: 469_311,
            len: 162,
        },
        JournalError::AnchorMismatch {
            what: "last hash",
            expected: s("b1df"),
            found: s("d4a3"),
        },
        JournalError::AnchorMismatch {
            what: "last seq",
            expected: s("1968"),
            found: s("99"),
        },
        JournalError::Poisoned,
        JournalError::BadSignature {
            seq: 1201,
            alg: crate::ledger::Alg::Sm2,
            key_id: s("ops-2026"),
        },
        JournalError::UnsignedTail {
            from: 1202,
            to: 1968,
            last_signed: Some(1201),
        },
        JournalError::UnsignedTail {
            from: 1,
            to: 1968,
            last_signed: None,
        },
        JournalError::NothingToCheckpoint,
        JournalError::ReadOnly {
            path: std::path::PathBuf::from("/srv/journals/k001.city.jsonl"),
        },
        JournalError::NoJournalFile,
        JournalError::Refused {
            seq: 3,
            error: Box::new(LedgerError::from(PledgeError::CarrierNotApplicable)),
        },
    ];
    out.extend(key_samples());
    for why in [
        "the journal is empty",
        "line does not end with its hash field",
        "line ends with CR LF; journal lines end with LF alone",
        "hash field in uppercase hex; the journal writes lowercase",
        "the journal starts with a byte-order mark (EF BB BF); a journal is UTF-8 without one",
        "format \"x\" is not a journal",
        "format version 9 is not supported (this build reads 1)",
        "field campaign: missing field `name` (column 40)",
        "field state.orgs[0]: unknown field `x`, expected `id` or `name` (line 1, column 9)",
        "field state: derived indices differ: (a, b)",
        "anything else: (x; y)",
        "a checkpoint before any record",
        "checkpoint through 5 is not the record before it (6)",
        "checkpoint h 00ff is not the hash of record 6: moved, or copied from another journal",
        "checkpoint sig is 31 bytes; hmac-sm3 signs 32",
        "checkpoint record not in canonical form",
    ] {
        out.push(JournalError::Header { why: s(why) });
        out.push(JournalError::Snapshot { why: s(why) });
        out.push(JournalError::Corrupt {
            seq: 2,
            line: 3,
            offset: 400,
            why: s(why),
        });
    }
    out
}

/// A key error of every kind and problem.
fn key_samples() -> Vec<JournalError> {
    use crate::ledger::{KeyError, KeyKind, KeyProblem};
    let mut out = Vec::new();
    for problem in [
        KeyProblem::Sec1,
        KeyProblem::Encrypted,
        KeyProblem::PrivateForPublic,
        KeyProblem::PublicForPrivate,
        KeyProblem::Malformed(s("ASN.1 error: unexpected end of message")),
        KeyProblem::TooShort(6),
        KeyProblem::TooLong(2000),
        KeyProblem::KeyId(s("field key_id: must not be empty")),
        KeyProblem::Signing,
    ] {
        for kind in [KeyKind::Sm2Private, KeyKind::Sm2Public, KeyKind::Hmac] {
            let problem = problem.clone();
            out.push(JournalError::Key(KeyError { kind, problem }));
        }
    }
    out
}

pub(crate) fn journal_variant(e: &JournalError) -> usize {
    match e {
        JournalError::Io { .. } => 0,
        JournalError::Exists { .. } => 1,
        JournalError::Locked { .. } => 2,
        JournalError::Header { .. } => 3,
        JournalError::Corrupt { .. } => 4,
        JournalError::Refused { .. } => 5,
        JournalError::Poisoned => 6,
        JournalError::Snapshot { .. } => 7,
        JournalError::Uncovered { .. } => 8,
        JournalError::AnchorMismatch { .. } => 9,
        JournalError::Key(_) => 10,
        JournalError::BadSignature { .. } => 11,
        JournalError::UnsignedTail { .. } => 12,
        JournalError::NothingToCheckpoint => 13,
        JournalError::ReadOnly { .. } => 14,
        JournalError::NoJournalFile => 15,
    }
}

pub(crate) fn rules_samples() -> Vec<RulesError> {
    let mut out: Vec<RulesError> = reasons()
        .into_iter()
        .map(|reason| RulesError::Invalid {
            field: "method123.receptions_per_week",
            reason,
        })
        .collect();
    out.push(RulesError::UnsupportedVersion { found: 9 });
    for json in [
        "{",
        r#"{"version": 1, "name": "t", "x": 1}"#,
        r#"{"version": "1"}"#,
        r#"{"version": 1, "name": "t", "rounding": {"mode": "up"}}"#,
        r#"{"version": 1, "name": "t"} trailing"#,
    ] {
        if let Err(faults) = crate::rules::RuleSet::check_all(json) {
            out.extend(faults);
        }
    }
    out
}

#[test]
fn every_error_variant_has_a_full_width_chinese_half() {
    let ledger = ledger_samples();
    let mut seen = [false; LEDGER_VARIANTS];
    for e in &ledger {
        seen[ledger_variant(e)] = true;
        full_width(&format!("ledger {}", e.code()), e);
    }
    assert!(
        seen.iter().all(|s| *s),
        "a ledger variant without a sample: {seen:?}"
    );
    let journal = journal_samples();
    let mut seen = [false; 16];
    for e in &journal {
        seen[journal_variant(e)] = true;
        full_width(&format!("journal {}", e.code()), e);
    }
    assert!(
        seen.iter().all(|s| *s),
        "a journal variant without a sample: {seen:?}"
    );
    for e in rules_samples() {
        let kind = match &e {
            RulesError::Parse { .. } | RulesError::UnsupportedVersion { .. } => "rules",
            RulesError::Invalid { .. } => "rules bound",
        };
        full_width(kind, &e);
    }
    for reason in reasons() {
        full_width("model", &ModelError::new("member.org", reason));
    }
    let claims = crate::report::Claims::from_json(r#"{"claims": [{"claimed": 1}]}"#);
    full_width("claims", &claims.unwrap_err());
    let workbook =
        crate::report::WorkbookError::from(rust_xlsxwriter::XlsxError::RowColumnLimitError);
    full_width("workbook", &workbook);
    for e in crate::error_codes_test::sheet_samples() {
        full_width("sheets", &e);
    }
    for e in crate::error_codes_test::figures_samples() {
        full_width("figures", &e);
    }
    use crate::ledger::ImportCause;
    let read = std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        "stream did not contain UTF-8",
    );
    for cause in [
        ImportCause::Read(read),
        ImportCause::Changed { line: 3 },
        ImportCause::Ledger(LedgerError::from(OrgError::NoChange {
            field: "event.eligible",
            value: s("true"),
        })),
    ] {
        // A new cause must be given a sample here.
        match &cause {
            ImportCause::Read(_) | ImportCause::Changed { .. } | ImportCause::Ledger(_) => {}
        }
        full_width("import", &cause);
    }
}

#[test]
fn english_reasons_are_told_in_chinese() {
    let concern = concern_samples();
    let zh: Vec<String> = concern.iter().map(Coded::message_zh).collect();
    assert!(zh[0].ends_with("该问题已解决"), "{}", zh[0]);
    assert!(
        zh[1].ends_with("当前处于村级接办，只能升级到乡镇联办"),
        "{}",
        zh[1]
    );
    assert!(
        zh[2].ends_with("升级到乡镇联办须在 2010-05-08 或之后"),
        "{}",
        zh[2]
    );
    let snapshot = JournalError::Snapshot {
        why: s(
            "field state.orgs[0]: unknown field `x`, expected `id` or `name` (line 4, column 9)",
        ),
    };
    assert_eq!(
        snapshot.message_zh(),
        "快照无效：第 4 行，未知的字段 state.orgs[0]，可选：id、name"
    );
    let io = JournalError::Io {
        op: "append to",
        path: PathBuf::from("j.jsonl"),
        source: std::io::Error::from(std::io::ErrorKind::NotFound),
    };
    assert_eq!(
        io.message_zh(),
        "日志 \"j.jsonl\"：追加写入失败，文件或目录不存在"
    );
}
