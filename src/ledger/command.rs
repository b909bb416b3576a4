//! Commands and events: what a host asks for, and what the journal records once it is accepted.
//!
//! An [`Event`] is a change to the campaign's state. A [`Command`] is a request to record one:
//! the event, the [`Actor`] asking, and the [`Stamp`] it takes effect on. An accepted command is
//! journaled as a record `{seq, at, actor, event}`, so the command schema and the event schema
//! are one: what a host sends is what a host replays.
//!
//! ```
//! use chuangzheng::ledger::{Actor, Command, Event};
//!
//! let json = r#"{"at":"2026-01-05","actor":{"org":"city"},
//!   "event":{"create_org":{"id":"t-01","name":"前阳镇党委","kind":"township_committee","parent":"city"}}}"#;
//! let cmd = Command::from_json(json).unwrap();
//! assert!(matches!(cmd.actor, Actor::Org { by: None, .. }));
//! assert!(matches!(cmd.event, Event::CreateOrg { .. }));
//! assert_eq!(Command::from_json(&cmd.to_json()).unwrap(), cmd);
//! ```

use serde::{Deserialize, Serialize};

use super::LedgerError;
use super::apply::{Effect, run};
use super::state::State;
use crate::model::Stamp;
pub use crate::org::Actor;
use crate::org::Ctx;

/// Declares [`Event`] from its table: each row is an event's doc, its JSON name and its
/// variant holding the domain's payload. From the one table come the enum (serde's names are
/// the rows'), [`Event::name`], and the ledger's dispatch of each event to its domain's
/// [`Rule`](crate::org::Rule).
macro_rules! events {
    ($($(#[doc = $doc:literal])* $name:literal => $variant:ident($payload:ty),)*) => {
        /// A change to the campaign's state. JSON: `{"<snake_case name>": {fields}}`.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[non_exhaustive]
        pub enum Event {
            $($(#[doc = $doc])* #[serde(rename = $name)] $variant($payload),)*
        }

        impl Event {
            /// The event's snake_case name, as in JSON.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Event::$variant(_) => $name,)*
                }
            }

            /// Hands the event to its domain's rule, with the state it reads.
            pub(crate) fn check(&self, ctx: &Ctx, state: &State) -> Result<Effect, LedgerError> {
                match self {
                    $(Event::$variant(e) => run(ctx, state, e),)*
                }
            }
        }
    };
}

events! {
    /// Establish an organization. The first event of a campaign creates its root (the city
    /// committee) with no parent, by the root itself as actor; every later one names a parent
    /// within the actor's subtree.
    "create_org" => CreateOrg(crate::org::CreateOrg),
    /// Move an organization under another parent. The actor must be strictly above the
    /// organization and at or above the new parent.
    "move_org" => MoveOrg(crate::org::MoveOrg),
    /// Rename an organization.
    "rename_org" => RenameOrg(crate::org::RenameOrg),
    /// Add a member to a grassroots organization.
    "add_member" => AddMember(crate::org::AddMember),
    /// Post a member to an organization and role (a transfer, a change of role, or both), from
    /// the command's date on. The actor needs authority over both the old and the new
    /// organization.
    "post_member" => PostMember(crate::org::PostMember),
    /// Set a member's leader level.
    "set_leader_level" => SetLeaderLevel(crate::org::SetLeaderLevel),
    /// Register a unit (enterprise, social organization, cooperative) under the committee of
    /// its area or sector.
    "register_unit" => RegisterUnit(crate::org::RegisterUnit),
    /// Record whether a unit meets the conditions to set up an organization, from the
    /// command's date on.
    "set_unit_eligibility" => SetUnitEligibility(crate::org::SetUnitEligibility),
    /// Record which organization covers a unit from the command's date on (`null` or absent:
    /// none). A joint organization may cover several units, up to the rules' limit.
    "cover_unit" => CoverUnit(crate::org::CoverUnit),
    /// 定诺: draft a pledge. By the owner: an organization (or one above it), or a member
    /// (or an organization at or above the member's).
    "draft_pledge" => DraftPledge(crate::pledge::DraftPledge),
    /// Revise a drafted or returned pledge's content; the earlier versions are kept.
    "revise_pledge" => RevisePledge(crate::pledge::RevisePledge),
    /// 审诺: submit a drafted or returned pledge to its reviewer.
    "submit_pledge" => SubmitPledge(crate::pledge::SubmitPledge),
    /// The reviewer approves a submitted pledge or returns it for revision with reasons.
    "review_pledge" => ReviewPledge(crate::pledge::ReviewPledge),
    /// 公开: publish an approved pledge; from this date on it counts as made.
    "publish_pledge" => PublishPledge(crate::pledge::PublishPledge),
    /// 月报: report a published pledge's progress for a month (not after the command's month,
    /// not before the publication's). One report per month; a second one for the same month
    /// must say `"correction": true`, and the first is kept.
    "report_progress" => ReportProgress(crate::pledge::ReportProgress),
    /// 践诺: record outputs of a published (or fulfilled) pledge's carrier activities.
    "record_fulfilment" => RecordFulfilment(crate::pledge::RecordFulfilment),
    /// Declare a published pledge fulfilled: by its owner's side when every target is met by
    /// the latest report; a pledge without targets only by its reviewer (or above).
    "fulfil_pledge" => FulfilPledge(crate::pledge::FulfilPledge),
    /// 促诺: urge a pledge found lagging or stalled at a quarter's end; by its reviewer (or
    /// above), on or after the quarter's last day, once per quarter. The standing given must be
    /// the one the library computes ([`crate::pledge::assess`]).
    "urge_pledge" => UrgePledge(crate::pledge::UrgePledge),
    /// 评诺: record the inputs of a made pledge's annual evaluation (the masses' satisfaction
    /// survey, a spot check); by its reviewer (or above). One record per year; a second must
    /// say `"correction": true`, and the first is kept.
    "record_evaluation" => RecordEvaluation(crate::pledge::RecordEvaluation),
    /// 一报告四评议: record a member's evaluation for a round (a year): the party-spirit report's
    /// day, and the four evaluations (ballots per grade or a score). By the member's
    /// organization or above. One per member and round; a second must say
    /// `"correction": true`, and the first is kept.
    "record_member_evaluation" => RecordMemberEvaluation(crate::evaluation::RecordMemberEvaluation),
    /// 123工作法: put a poor household on a village's register ([`method123`](crate::method123)).
    "register_household" => RegisterHousehold(crate::method123::RegisterHousehold),
    /// Take a household off its village's register from the command's date on.
    "remove_household" => RemoveHousehold(crate::method123::RemoveHousehold),
    /// 接待来访: a reception of villagers.
    "record_reception" => RecordReception(crate::method123::RecordReception),
    /// 走访: a cadre's visit of a poor household.
    "record_visit" => RecordVisit(crate::method123::RecordVisit),
    /// A villager's concern raised with the village.
    "raise_concern" => RaiseConcern(crate::method123::RaiseConcern),
    /// Move an unresolved concern to the next tier once the rules' deadline has passed.
    "escalate_concern" => EscalateConcern(crate::method123::EscalateConcern),
    /// Resolve a concern, with the outcome and the feedback given to the villager.
    "resolve_concern" => ResolveConcern(crate::method123::ResolveConcern),
    /// Withdraw a published pledge or declare it unfulfilled, with a public explanation; by its
    /// reviewer (or above) only.
    "close_pledge" => ClosePledge(crate::pledge::ClosePledge),
    /// 四议一审, step 1 — 党支部提议: the village party organization proposes a major village
    /// matter; by the village or an organization above it. JSON:
    /// `{"id": "dm-1", "village": "v-1", "title": "…", "text": "…", "category": "land"}`.
    "propose_matter" => ProposeMatter(crate::deliberation::ProposeMatter),
    /// Step 2 — 两委会商议: the two committees' vote; by the village or above. Passes with more
    /// than `rules.deliberation.committees_approval_above` of `total`; a failed vote ends the
    /// matter. JSON: `{"matter": "dm-1", "for": 5, "against": 1, "total": 7}`.
    "discuss_matter" => DiscussMatter(crate::deliberation::DiscussMatter),
    /// Step 3 — 党员大会审议: the members' meeting; by the village or above. Refused without
    /// a quorum (`attending` at least `rules.deliberation.members_attendance_min` of
    /// `expected`); passes with more than `members_approval_above` of `expected` voting for;
    /// a failed vote ends the matter. JSON:
    /// `{"matter": "dm-1", "expected": 45, "attending": 38, "for": 30}`.
    "deliberate_matter" => DeliberateMatter(crate::deliberation::DeliberateMatter),
    /// Step 4 — 一审: the review; by the village's township-level committee or an
    /// organization above it (not the village). A veto ends the matter. Before or after the
    /// resolution, as `rules.deliberation.review_before_resolution` says. JSON:
    /// `{"matter": "dm-1", "decision": "approve"}` or
    /// `{"matter": "dm-1", "decision": {"veto": {"reasons": "…"}}}` (reasons 1 to 2000 bytes).
    "review_matter" => ReviewMatter(crate::deliberation::ReviewMatter),
    /// Step 5 — 村民(代表)会议决议: the villagers' (representatives') meeting; by the village
    /// or above. Passes with more than `rules.deliberation.villagers_approval_above` of those
    /// attending; a failed vote ends the matter. JSON:
    /// `{"matter": "dm-1", "attending": 52, "for": 40}`.
    "resolve_matter" => ResolveMatter(crate::deliberation::ResolveMatter),
    /// 决议公开: publish a resolved matter's resolution; by the village or above. JSON:
    /// `{"matter": "dm-1"}`.
    "publish_resolution" => PublishResolution(crate::deliberation::PublishResolution),
    /// 实施结果公开: publish the result of a published resolution's implementation; by the
    /// village or above. JSON: `{"matter": "dm-1", "result": "…"}`.
    "publish_result" => PublishResult(crate::deliberation::PublishResult),
    /// 民生热线: a case received by the hotline, attributed to the organization that handles it;
    /// by that organization or above.
    "receive_hotline_case" => ReceiveHotlineCase(crate::activity::ReceiveHotlineCase),
    /// Resolve a hotline case (解决), once, not before the day it was received; by the case's
    /// organization or above.
    "resolve_hotline_case" => ResolveHotlineCase(crate::activity::ResolveHotlineCase),
    /// Reply to a hotline case's caller (回复), once, not before the day it was received; by the
    /// case's organization or above. A case may be replied to before it is resolved.
    "reply_hotline_case" => ReplyHotlineCase(crate::activity::ReplyHotlineCase),
    /// 捐款: a member's donation, counted under the member's organization on the command's date;
    /// by that organization or above.
    "record_donation" => RecordDonation(crate::activity::RecordDonation),
    /// 党员干部走进千家万户: a member's visit of the masses, counted under the member's
    /// organization on the command's date; by that organization or above.
    "record_home_visit" => RecordHomeVisit(crate::activity::RecordHomeVisit),
    /// 党员义工: found a volunteer team owned by an organization; by that organization or above.
    "found_volunteer_team" => FoundVolunteerTeam(crate::activity::FoundVolunteerTeam),
    /// A member joins a volunteer team; by the team's organization or above. The member, posted
    /// on the day to the team's organization or one below it, is not in the team already, and
    /// the team has fewer than 5000 members. Not before the team was founded, nor before the
    /// member last left it.
    "join_volunteer_team" => JoinVolunteerTeam(crate::activity::JoinVolunteerTeam),
    /// A member leaves a volunteer team, from the command's date on; by the team's organization
    /// or above. Not before the member joined.
    "leave_volunteer_team" => LeaveVolunteerTeam(crate::activity::LeaveVolunteerTeam),
    /// An activity of a volunteer team (义诊, 宣传, 清扫 …); by the team's organization or above,
    /// not before the team was founded.
    "record_volunteer_activity" => RecordVolunteerActivity(crate::activity::RecordVolunteerActivity),
    /// 联系点: link a leading cadre (leader level `city` or `section`) to an organization (not
    /// the root) from the command's date on; by the leader's organization or above. Not linked
    /// there already, nor before the leader was last unlinked from it.
    "link_contact_point" => LinkContactPoint(crate::activity::LinkContactPoint),
    /// Unlink a leading cadre's contact point from the command's date on; by the organization
    /// the contact point counts under (the leader's when linked) or above. Not before it was
    /// linked.
    "unlink_contact_point" => UnlinkContactPoint(crate::activity::UnlinkContactPoint),
    /// 派驻指导员: assign a member as instructor to a unit or a village organization from the
    /// command's date on; by the unit's area (or the village) or above. Not assigned there
    /// already, nor before they were last unassigned from it.
    "assign_instructor" => AssignInstructor(crate::activity::AssignInstructor),
    /// End an instructor's assignment from the command's date on; by the unit's area (or the
    /// village) or above. Not before it began.
    "unassign_instructor" => UnassignInstructor(crate::activity::UnassignInstructor),
    /// 结对共建 (双包双联): pair a city department, an institution or a party cadre with a
    /// village organization from the command's date on.
    "pair_village" => PairVillage(crate::activity::PairVillage),
    /// End a pairing with a village from the command's date on.
    "unpair_village" => UnpairVillage(crate::activity::UnpairVillage),
    /// Any other activity of an organization (走进直播间, 惠民大篷车 …); by the organization or
    /// above.
    "record_activity" => RecordActivity(crate::activity::RecordActivity),
}

/// The longest command accepted, in bytes of JSON: half a journal line
/// ([`crate::ledger::journal::MAX_LINE_BYTES`]), so every accepted command's record fits one.
/// Every field has its own, much smaller, bound (docs/limits.md).
pub const MAX_COMMAND_BYTES: usize = 512 * 1024;

/// The commands of an import, each with its line number, read or refused.
pub type ImportLines = Vec<(usize, Result<Command, LedgerError>)>;

/// The most commands one JSON Lines import may hold.
pub const MAX_IMPORT_COMMANDS: usize = 10_000_000;

/// The commands of a JSON Lines text, as an import reads them: one per line, blank lines and
/// lines starting with `#` skipped. Each command comes with its line number (1-based) and is
/// read or refused on its own, so every bad line can be reported at once.
///
/// # Errors
///
/// More than [`MAX_IMPORT_COMMANDS`] commands: 3001, naming the first line past the limit,
/// before anything is read further.
pub fn parse_jsonl(text: &str) -> Result<ImportLines, LedgerError> {
    parse_jsonl_within(text, MAX_IMPORT_COMMANDS)
}

fn parse_jsonl_within(text: &str, max: usize) -> Result<ImportLines, LedgerError> {
    // The lines are read as an import reads them: one reading, in `import`.
    super::import::parse_all(text, max)
}

/// A request to record an event: when it takes effect, who asks, and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Command {
    /// When the change takes effect (the caller's date; the library never reads the clock).
    pub at: Stamp,
    /// Who asks.
    pub actor: Actor,
    /// The change.
    pub event: Event,
}

impl Command {
    /// A command.
    pub fn new(at: Stamp, actor: Actor, event: Event) -> Command {
        Command { at, actor, event }
    }

    /// Reads a command from JSON; an error names the path of the field at fault. A command
    /// longer than [`MAX_COMMAND_BYTES`] is refused before it is parsed.
    pub fn from_json(json: &str) -> Result<Command, LedgerError> {
        if json.len() > MAX_COMMAND_BYTES {
            return Err(LedgerError::Parse {
                path: ".".into(),
                message: format!(
                    "the command is {} bytes long, more than the limit of {MAX_COMMAND_BYTES}",
                    json.len()
                ),
                message_zh: format!(
                    "命令长 {} 字节，超过上限 {MAX_COMMAND_BYTES} 字节",
                    json.len()
                ),
            });
        }
        let de = &mut serde_json::Deserializer::from_str(json);
        crate::json_error::read_whole(de, "命令").map_err(|d| {
            // A command is one line of an import: the file's line is the caller's to give, so
            // the record's own position is only the column, in the English half.
            LedgerError::Parse {
                message: format!("{}{}", d.en, d.en_column()),
                message_zh: d.zh,
                path: d.path,
            }
        })
    }

    /// The command as one line of JSON.
    pub fn to_json(&self) -> String {
        // Every field serializes to a JSON string or object; this cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coded;

    #[test]
    fn an_import_is_bounded_at_its_limit_and_refused_past_it() {
        let cmd = r#"{"at":"2010-05-01","actor":{"org":"city"},"event":{"create_org":{"id":"city","name":"市委","kind":"city_committee"}}}"#;
        let text = format!("# three commands\n\n{cmd}\n{cmd}\nnot json\n");
        let read = parse_jsonl_within(&text, 3).unwrap();
        let lines: Vec<usize> = read.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert!(read[2].1.is_err());
        let e = parse_jsonl_within(&text, 2).unwrap_err();
        assert_eq!(e.code(), 3001);
        assert!(e.message_en().contains("line 5"), "{}", e.message_en());
        assert!(e.message_en().contains("at most 2 commands"));
    }
}
