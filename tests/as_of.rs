//! Issue 16 §1: a report sees the organization tree, names, postings, roles, leader levels,
//! standings and tenures as they stood on its as-of date. Nothing recorded after that date may
//! change it.
//!
//! **What is generated.** Small campaigns rich in dated structure changes, between 2026-11-20
//! and 2027-03-10 (crossing a year end; 12-31, 01-01, 02-28 and 03-01 come up often). A fixed
//! setup on the first day: a city root, two or three township-level committees (the third a
//! farm), a street and a city department; 4–8 villages, a community, two schools (one under a
//! township, one under the department), an organ, enterprise, social-organization and
//! cooperative organizations; six units of the three kinds, a joint enterprise organization
//! covering two of them (the rules' limit is 2); 10–20 members, every village with a secretary
//! and most with a committee member, two leading cadres; a household per village. Then up to 48
//! random commands, in non-decreasing date order, each decoded from random bytes against a
//! shadow of what was accepted so far (so ids name existing entities and the actor — the root
//! mostly, sometimes the organization concerned, a cadre or the pledge's member — has
//! authority):
//! - structure: `move_org` (villages between townships, schools between a township and the
//!   department, other grassroots organizations), `rename_org` (the root too), `post_member`
//!   (moves between villages and elsewhere, role changes, secretary changes as two postings on
//!   one day), `set_leader_level`, `register_unit`, `set_unit_eligibility`, `cover_unit` and
//!   uncover, `assign_instructor`/`unassign_instructor`,
//!   `link_contact_point`/`unlink_contact_point`, a few `create_org`;
//! - records: the 123 method (households, receptions, visits, concerns raised and resolved with
//!   a handler), pledges of organizations and members through draft, submit, review (approve or
//!   return), revise, publish, fulfilment records, fulfil or close, village matters through all
//!   their steps, hotline cases received, resolved and replied to, donations, home visits,
//!   volunteer teams (found, join, leave, activities) and other activities.
//!
//! Commands the library refuses are dropped; the accepted ones are the journal.
//!
//! **What is checked** (`reports_do_not_depend_on_later_records`). For several dates D — four
//! random days of the window, 12-31 and 01-01, and the day before and the day of every move,
//! rename, posting and leader-level change — campaign B is the journal cut after its last command
//! dated on or before D. For the root and every township-level committee and city department of
//! B, the stage report as of D, and over a span from some F ≤ D to D, built on the whole journal
//! equals the one built on B (`StageReport` and its JSON), and so does the tree summary as of D
//! (`TreeSummary`: members by role, leading cadres by level). On failure the first differing
//! JSON path is printed with both values, and the minimal journal as JSON lines.
//!
//! Three examples pin the smallest failures found on the code before the fix: a village moved,
//! a department renamed, a leader level changed, each the day after the report's date.
//!
//! `generated_campaigns_get_somewhere` counts, over a fixed-seed run, the accepted commands of
//! every event kind, so the property cannot pass vacuously (run it with `--nocapture` to see
//! the table). The historical reading ([`Reading::Historical`]) is held to the same property
//! (reports as of D, whole journal against cut), and
//! `the_readings_agree_at_the_root_and_their_parts_add_up` checks that both readings give the
//! same root totals, and that under each the report of every direct subordinate of the root
//! equals its part of the root's report. `a_scoped_read_counts_what_reading_every_record_counts`
//! checks that a small subtree's figures, read through the domains' indexes of its own records
//! (issue 22 §3), equal the figures of a pass over every record, for every organization, under
//! both readings, from the start and over a span.
//!
//! CI runs 500 cases; `AS_OF_CASES=5000 cargo test --release --test as_of` runs more.

use std::collections::BTreeMap;
use std::fmt;

use chuangzheng::Coded;
use chuangzheng::ledger::{Campaign, CampaignInfo, Command};
use chuangzheng::model::{ExtId, Name, OrgIdx, OrgKind};
use chuangzheng::org::Attribution;
use chuangzheng::report::{Reading, Span, StageFigures, StageReport, TreeSummary};
use chuangzheng::rules::RuleSet;
use jiff::ToSpan;
use jiff::civil::{Date, date};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{Value, json};

// ---------------------------------------------------------------- the window

/// The first day (the setup's) and the last day of the generated campaigns.
const START: Date = date(2026, 11, 20);
const END: Date = date(2027, 3, 10);
/// Days the generator's clock jumps to now and then: month ends and the year's turn.
const EDGES: [Date; 7] = [
    date(2026, 11, 30),
    date(2026, 12, 31),
    date(2027, 1, 1),
    date(2027, 1, 31),
    date(2027, 2, 28),
    date(2027, 3, 1),
    date(2027, 3, 10),
];
/// Pledge deadlines: one in the window's year end, one in it, one after it.
const DEADLINES: [Date; 3] = [date(2026, 12, 31), date(2027, 1, 31), date(2027, 6, 30)];
/// The most random commands after the setup.
const MOST_RANDOM: usize = 64;
const ROOT: &str = "city";

fn days_after(d: Date, n: i64) -> Date {
    d.saturating_add(n.days())
}

// ---------------------------------------------------------------- kinds

fn is_township_level(kind: &str) -> bool {
    matches!(
        kind,
        "township_committee" | "street_committee" | "farm_committee"
    )
}

fn is_grassroots(kind: &str) -> bool {
    !is_township_level(kind) && kind != "city_committee" && kind != "city_department"
}

/// Whether an organization of `kind` may sit under one of `parent`'s kind.
fn may_sit_under(kind: &str, parent: &str) -> bool {
    match kind {
        "village" | "community" | "cooperative" => is_township_level(parent),
        "organ" | "school" | "clinic" | "enterprise" | "social_organization" => {
            is_township_level(parent) || parent == "city_department"
        }
        _ => parent == "city_committee",
    }
}

/// The organization kind that covers a unit of `kind`.
fn covering_kind(unit_kind: &str) -> &'static str {
    match unit_kind {
        "non_public_enterprise" => "enterprise",
        "social_organization" => "social_organization",
        _ => "cooperative",
    }
}

/// The usual member category of an organization's members (never `other`: it has no carrier).
fn category_of(org_kind: &str) -> &'static str {
    match org_kind {
        "village" | "cooperative" => "farmer",
        "community" => "community",
        "enterprise" | "social_organization" => "enterprise",
        _ => "organ",
    }
}

fn is_cadre(role: &str) -> bool {
    role == "secretary" || role == "committee_member"
}

// ---------------------------------------------------------------- the shadow

/// What the accepted commands built, as the generator needs it: the current tree, postings and
/// standings, and every record that a later command can take a step on.
#[derive(Debug, Clone, Default)]
struct Shadow {
    today: Option<Date>,
    fresh: usize,
    orgs: Vec<OrgS>,
    members: Vec<MemberS>,
    units: Vec<UnitS>,
    households: Vec<(String, String)>,
    /// Concerns: id, village, resolved.
    concerns: Vec<(String, String, bool)>,
    pledges: Vec<PledgeS>,
    matters: Vec<MatterS>,
    /// Hotline cases: id, resolved, replied.
    cases: Vec<(String, bool, bool)>,
    teams: Vec<TeamS>,
    /// (instructor, target as JSON).
    instructors: Vec<(String, Value)>,
    /// (leader, organization).
    contacts: Vec<(String, String)>,
    /// The last day a 123 record named each member as a village's cadre.
    named: BTreeMap<String, Date>,
}

#[derive(Debug, Clone)]
struct OrgS {
    id: String,
    kind: String,
    parent: Option<String>,
}

#[derive(Debug, Clone)]
struct MemberS {
    id: String,
    org: String,
    role: String,
    level: String,
}

#[derive(Debug, Clone)]
struct UnitS {
    id: String,
    kind: String,
    eligible: bool,
    cover: Option<String>,
}

#[derive(Debug, Clone)]
struct PledgeS {
    id: String,
    status: &'static str,
    version: u32,
    deadline: Date,
}

#[derive(Debug, Clone)]
struct MatterS {
    id: String,
    /// The next step, an index into [`MATTER_STEPS`].
    next: usize,
    closed: bool,
}

#[derive(Debug, Clone)]
struct TeamS {
    id: String,
    org: String,
    members: Vec<String>,
}

fn str_of(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

impl Shadow {
    fn org(&self, id: &str) -> Option<&OrgS> {
        self.orgs.iter().find(|o| o.id == id)
    }

    fn orgs_where(&self, f: impl Fn(&OrgS) -> bool) -> Vec<String> {
        self.orgs
            .iter()
            .filter(|o| f(o))
            .map(|o| o.id.clone())
            .collect()
    }

    fn villages(&self) -> Vec<String> {
        self.orgs_where(|o| o.kind == "village")
    }

    /// Whether `org` is `ancestor` or below it.
    fn is_at_or_below(&self, org: &str, ancestor: &str) -> bool {
        let mut at = Some(org.to_string());
        while let Some(o) = at {
            if o == ancestor {
                return true;
            }
            at = self.org(&o).and_then(|o| o.parent.clone());
        }
        false
    }

    fn secretary(&self, org: &str) -> Option<&MemberS> {
        self.members
            .iter()
            .find(|m| m.org == org && m.role == "secretary")
    }

    fn cadres(&self, org: &str) -> Vec<String> {
        self.members
            .iter()
            .filter(|m| m.org == org && is_cadre(&m.role))
            .map(|m| m.id.clone())
            .collect()
    }

    fn units_covered(&self, org: &str) -> usize {
        self.units
            .iter()
            .filter(|u| u.cover.as_deref() == Some(org))
            .count()
    }

    /// Whether a posting on `on` that stops `m` being a cadre of their village would be refused
    /// (a 123 record on or after it names them).
    fn named_since(&self, m: &str, on: Date) -> bool {
        self.named.get(m).is_some_and(|d| *d >= on)
    }

    fn new_id(&mut self, prefix: &str) -> String {
        self.fresh += 1;
        format!("{prefix}-{}", self.fresh)
    }

    /// Follows an accepted command.
    fn apply(&mut self, cmd: &Value) {
        let on: Date = cmd["at"].as_str().unwrap().parse().unwrap();
        self.today = Some(on);
        let (name, e) = cmd["event"].as_object().unwrap().iter().next().unwrap();
        match name.as_str() {
            "create_org" => self.orgs.push(OrgS {
                id: str_of(e, "id"),
                kind: str_of(e, "kind"),
                parent: e["parent"].as_str().map(String::from),
            }),
            "move_org" => {
                let (org, parent) = (str_of(e, "org"), str_of(e, "parent"));
                self.orgs.iter_mut().find(|o| o.id == org).unwrap().parent = Some(parent);
            }
            "add_member" => self.members.push(MemberS {
                id: str_of(e, "id"),
                org: str_of(e, "org"),
                role: str_of(e, "role"),
                level: e["leader_level"].as_str().unwrap_or("none").to_string(),
            }),
            "post_member" => {
                let m = str_of(e, "member");
                let m = self.members.iter_mut().find(|x| x.id == m).unwrap();
                (m.org, m.role) = (str_of(e, "org"), str_of(e, "role"));
            }
            "set_leader_level" => {
                let m = str_of(e, "member");
                self.members.iter_mut().find(|x| x.id == m).unwrap().level =
                    str_of(e, "leader_level");
            }
            "register_unit" => self.units.push(UnitS {
                id: str_of(e, "id"),
                kind: str_of(e, "kind"),
                eligible: e["eligible"].as_bool().unwrap(),
                cover: None,
            }),
            "set_unit_eligibility" | "cover_unit" => {
                let u = str_of(e, "unit");
                let u = self.units.iter_mut().find(|x| x.id == u).unwrap();
                if name == "cover_unit" {
                    u.cover = e["org"].as_str().map(String::from);
                } else {
                    u.eligible = e["eligible"].as_bool().unwrap();
                }
            }
            _ => self.apply_record(name, e, on),
        }
    }

    fn apply_record(&mut self, name: &str, e: &Value, on: Date) {
        match name {
            "register_household" => self
                .households
                .push((str_of(e, "id"), str_of(e, "village"))),
            "record_reception" => {
                for c in e["cadres"].as_array().unwrap() {
                    self.named.insert(c.as_str().unwrap().to_string(), on);
                }
            }
            "record_visit" => {
                self.named.insert(str_of(e, "cadre"), on);
            }
            "raise_concern" => self
                .concerns
                .push((str_of(e, "id"), str_of(e, "village"), false)),
            "resolve_concern" => {
                let c = str_of(e, "concern");
                self.concerns.iter_mut().find(|x| x.0 == c).unwrap().2 = true;
                if let Some(h) = e["handler"].as_str() {
                    self.named.insert(h.to_string(), on);
                }
            }
            "draft_pledge" => self.pledges.push(PledgeS {
                id: str_of(e, "id"),
                status: "draft",
                version: 0,
                deadline: e["content"]["deadline"].as_str().unwrap().parse().unwrap(),
            }),
            "found_volunteer_team" => self.teams.push(TeamS {
                id: str_of(e, "id"),
                org: str_of(e, "org"),
                members: Vec::new(),
            }),
            "join_volunteer_team" | "leave_volunteer_team" => {
                let (t, m) = (str_of(e, "team"), str_of(e, "member"));
                let team = self.teams.iter_mut().find(|x| x.id == t).unwrap();
                if name == "join_volunteer_team" {
                    team.members.push(m);
                } else {
                    team.members.retain(|x| *x != m);
                }
            }
            "assign_instructor" => self
                .instructors
                .push((str_of(e, "instructor"), e["target"].clone())),
            "unassign_instructor" => {
                let key = (str_of(e, "instructor"), e["target"].clone());
                self.instructors.retain(|x| *x != key);
            }
            "link_contact_point" => self.contacts.push((str_of(e, "leader"), str_of(e, "org"))),
            "unlink_contact_point" => {
                let key = (str_of(e, "leader"), str_of(e, "org"));
                self.contacts.retain(|x| *x != key);
            }
            "receive_hotline_case" => self.cases.push((str_of(e, "id"), false, false)),
            "resolve_hotline_case" | "reply_hotline_case" => {
                let id = str_of(e, "case");
                let case = self.cases.iter_mut().find(|x| x.0 == id).unwrap();
                if name == "resolve_hotline_case" {
                    case.1 = true;
                } else {
                    case.2 = true;
                }
            }
            _ => {
                self.apply_pledge_step(name, e);
                self.apply_matter_step(name, e);
            }
        }
    }

    fn apply_pledge_step(&mut self, name: &str, e: &Value) {
        let id = str_of(e, "pledge");
        let Some(p) = self.pledges.iter_mut().find(|p| p.id == id) else {
            return;
        };
        p.status = match name {
            "submit_pledge" => "submitted",
            "review_pledge" if e["decision"] == "approve" => "approved",
            "review_pledge" => "returned",
            "revise_pledge" => {
                p.version += 1;
                "draft_revised"
            }
            "publish_pledge" => "published",
            "fulfil_pledge" => "fulfilled",
            "close_pledge" => "closed",
            _ => p.status,
        };
    }

    fn apply_matter_step(&mut self, name: &str, e: &Value) {
        if name == "propose_matter" {
            self.matters.push(MatterS {
                id: str_of(e, "id"),
                next: 0,
                closed: false,
            });
            return;
        }
        let id = str_of(e, "matter");
        let Some(m) = self.matters.iter_mut().find(|m| m.id == id) else {
            return;
        };
        m.next += 1;
        m.closed |= m.next >= MATTER_STEPS.len() || !matter_step_passes(name, e);
    }
}

// ---------------------------------------------------------------- commands as JSON

fn command(on: Date, actor: Value, event: &str, body: Value) -> Value {
    json!({"at": on.to_string(), "actor": actor, "event": {event: body}})
}

fn by_org(org: &str) -> Value {
    json!({"org": org})
}

/// `items[b % len]`, if there are any.
fn pick<T: Clone>(items: &[T], b: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[b as usize % items.len()].clone())
}

/// The root three times in four, else `org` itself.
fn root_or(org: &str, b: u8) -> Value {
    by_org(if b.is_multiple_of(4) { org } else { ROOT })
}

// ---------------------------------------------------------------- the setup

/// The setup's shape: township-level committees besides the street (2 or 3, the third a
/// farm), villages, members, and bytes placing villages, members and unit standings.
#[derive(Debug, Clone)]
struct Setup {
    townships: usize,
    villages: usize,
    members: usize,
    bytes: [u8; 24],
}

fn setup_strategy() -> impl Strategy<Value = Setup> {
    (2usize..=3, 4usize..=8, 10usize..=20, any::<[u8; 24]>()).prop_map(
        |(townships, villages, members, bytes)| Setup {
            townships,
            villages,
            members,
            bytes,
        },
    )
}

/// The setup's commands, all on [`START`] by the root; every one is accepted.
fn setup_commands(s: &Setup) -> Vec<Value> {
    let create = |id: &str, name: &str, kind: &str, parent: Option<&str>| {
        let mut body = json!({"id": id, "name": name, "kind": kind});
        if let Some(p) = parent {
            body["parent"] = json!(p);
        }
        command(START, by_org(ROOT), "create_org", body)
    };
    let mut cmds = vec![create(ROOT, "东港市委", "city_committee", None)];
    let mut areas = vec![];
    for t in 1..=s.townships {
        let (id, kind) = if t == 3 {
            ("f-1".to_string(), "farm_committee")
        } else {
            (format!("t-{t}"), "township_committee")
        };
        cmds.push(create(&id, &format!("{id}党委"), kind, Some(ROOT)));
        areas.push(id);
    }
    cmds.push(create(
        "s-1",
        "新华街道党工委",
        "street_committee",
        Some(ROOT),
    ));
    cmds.push(create("d-1", "市教育局党委", "city_department", Some(ROOT)));
    for v in 1..=s.villages {
        let township = &areas[s.bytes[v] as usize % areas.len()];
        let id = format!("v-{v}");
        cmds.push(create(
            &id,
            &format!("{id}村党支部"),
            "village",
            Some(township),
        ));
    }
    for (id, kind, parent) in [
        ("c-1", "community", "s-1"),
        ("sc-1", "school", "t-1"),
        ("sc-2", "school", "d-1"),
        ("o-1", "organ", "d-1"),
        ("e-1", "enterprise", "t-1"),
        ("e-2", "enterprise", "s-1"),
        ("so-1", "social_organization", "s-1"),
        ("co-1", "cooperative", "t-2"),
    ] {
        cmds.push(create(id, &format!("{id}党支部"), kind, Some(parent)));
    }
    cmds.extend(setup_units(s));
    cmds.extend(setup_members(s));
    for v in 1..=s.villages {
        let body = json!({"id": format!("hh-{v}"), "village": format!("v-{v}")});
        cmds.push(command(START, by_org(ROOT), "register_household", body));
    }
    cmds
}

/// Six units; the joint enterprise organization e-1 covers two, at the rules' limit.
fn setup_units(s: &Setup) -> Vec<Value> {
    let mut cmds = vec![];
    let units = [
        ("ue-1", "non_public_enterprise", "t-1", Some("e-1")),
        ("ue-2", "non_public_enterprise", "t-1", Some("e-1")),
        ("ue-3", "non_public_enterprise", "s-1", None),
        ("us-1", "social_organization", "s-1", Some("so-1")),
        ("uc-1", "cooperative", "t-2", Some("co-1")),
        ("uc-2", "cooperative", "d-1", None),
    ];
    for (i, (id, kind, area, cover)) in units.into_iter().enumerate() {
        let eligible = cover.is_some() || !s.bytes[10 + i].is_multiple_of(3);
        let body = json!({"id": id, "name": format!("{id}公司"), "kind": kind, "area": area, "eligible": eligible});
        cmds.push(command(START, by_org(ROOT), "register_unit", body));
        if let Some(org) = cover {
            let body = json!({"unit": id, "org": org});
            cmds.push(command(START, by_org(ROOT), "cover_unit", body));
        }
    }
    cmds
}

/// Members: a secretary for every village, then committee members while three members are left
/// for elsewhere, then the rest placed by the setup's bytes. m-1 and m-2 are leading cadres.
fn setup_members(s: &Setup) -> Vec<Value> {
    const ELSEWHERE: [&str; 7] = ["o-1", "sc-1", "sc-2", "e-1", "co-1", "c-1", "so-1"];
    let mut cmds = vec![];
    for i in 0..s.members {
        let (org, role) = if i < s.villages {
            (format!("v-{}", i + 1), "secretary")
        } else if i < 2 * s.villages && i + 3 < s.members {
            (format!("v-{}", i - s.villages + 1), "committee_member")
        } else {
            let b = s.bytes[(i + 16) % 24] as usize;
            if b.is_multiple_of(3) {
                (format!("v-{}", b / 3 % s.villages + 1), "ordinary")
            } else {
                (ELSEWHERE[b % ELSEWHERE.len()].to_string(), "ordinary")
            }
        };
        let kind = match org.as_str() {
            o if o.starts_with("v-") => "village",
            "c-1" => "community",
            "e-1" | "so-1" => "enterprise",
            "co-1" => "cooperative",
            _ => "organ",
        };
        let level = ["none", "city", "section"][if i + 3 > s.members { 0 } else { i % 3 }];
        let body = json!({"id": format!("m-{}", i + 1), "org": org, "category": category_of(kind),
                          "role": role, "leader_level": level});
        cmds.push(command(START, by_org(ROOT), "add_member", body));
    }
    cmds
}

// ---------------------------------------------------------------- random commands

/// Eight random bytes: which command, the clock's step, five choices and the actor.
type Raw = [u8; 8];

/// The day after `today` the next command is dated: the same day three times in ten, a day or
/// a few days later, or the next edge of [`EDGES`]; never after [`END`].
fn next_day(today: Date, step: u8) -> Date {
    let next = match step % 20 {
        0..=5 => today,
        6..=9 => days_after(today, 1),
        10..=16 => days_after(today, 2 + i64::from(step / 20 % 5)),
        _ => EDGES.iter().copied().find(|d| *d > today).unwrap_or(END),
    };
    next.min(END)
}

/// The commands (usually one; a secretary change is two) that `raw` decodes to on `shadow`.
fn decode(raw: &Raw, sh: &mut Shadow) -> Vec<Value> {
    let [sel, step, a, b, c, d, act, _] = *raw;
    let on = next_day(sh.today.unwrap_or(START), step);
    let bytes = [a, b, c, d, act];
    let cmds = match sel % 100 {
        0..=7 => move_org(sh, on, bytes).map(|c| vec![c]),
        8..=11 => rename_org(sh, on, bytes).map(|c| vec![c]),
        12..=21 => post_member(sh, on, bytes),
        22..=24 => set_leader_level(sh, on, bytes).map(|c| vec![c]),
        25..=29 => unit_command(sh, on, bytes).map(|c| vec![c]),
        30..=32 => instructor(sh, on, bytes).map(|c| vec![c]),
        33..=35 => contact_point(sh, on, bytes).map(|c| vec![c]),
        36..=37 => create_org(sh, on, bytes).map(|c| vec![c]),
        38..=53 => method123(sh, on, bytes).map(|c| vec![c]),
        54..=69 => pledge_command(sh, on, bytes),
        70..=77 => matter_command(sh, on, bytes),
        78..=82 => hotline(sh, on, bytes).map(|c| vec![c]),
        83..=87 => donation_or_home_visit(sh, on, bytes).map(|c| vec![c]),
        88..=95 => team_command(sh, on, bytes).map(|c| vec![c]),
        _ => None,
    };
    cmds.unwrap_or_else(|| vec![record_activity(sh, on, bytes)])
}

/// A village (mostly) or a school moved to another parent its kind may sit under; sometimes
/// another grassroots organization.
fn move_org(sh: &Shadow, on: Date, [a, b, _, _, act]: [u8; 5]) -> Option<Value> {
    let movable = match a % 8 {
        0..=3 => sh.villages(),
        4..=6 => sh.orgs_where(|o| o.kind == "school"),
        _ => sh.orgs_where(|o| is_grassroots(&o.kind)),
    };
    let org = sh.org(&pick(&movable, a / 8)?)?.clone();
    let parents =
        sh.orgs_where(|p| may_sit_under(&org.kind, &p.kind) && Some(&p.id) != org.parent.as_ref());
    let parent = pick(&parents, b)?;
    // The actor must be strictly above the organization: the root, or a committee above both.
    let actor = if act.is_multiple_of(8) && org.parent.as_deref() == Some(parent.as_str()) {
        by_org(&parent)
    } else {
        by_org(ROOT)
    };
    let body = json!({"org": org.id, "parent": parent});
    Some(command(on, actor, "move_org", body))
}

fn rename_org(sh: &mut Shadow, on: Date, [a, _, _, _, act]: [u8; 5]) -> Option<Value> {
    let org = pick(&sh.orgs, a)?.id;
    let name = format!("{org}党组织（{}）", sh.new_id("更名"));
    Some(command(
        on,
        root_or(&org, act),
        "rename_org",
        json!({"org": org, "name": name}),
    ))
}

/// A move to another village or elsewhere, a role change in the same organization, or a
/// secretary change (the old secretary stepping down to a committee member, or out of the
/// cadres, and another member taking over, on one day).
fn post_member(sh: &Shadow, on: Date, [a, b, c, d, _]: [u8; 5]) -> Option<Vec<Value>> {
    let post = |m: &str, org: &str, role: &str| {
        let body = json!({"member": m, "org": org, "role": role});
        command(on, by_org(ROOT), "post_member", body)
    };
    // Members whose leaving the cadres would not be refused.
    let free: Vec<MemberS> = sh
        .members
        .iter()
        .filter(|m| !is_cadre(&m.role) || !sh.named_since(&m.id, on))
        .cloned()
        .collect();
    let m = pick(&free, a)?;
    let role_in = |org: &str, r: u8| match r % 3 {
        0 if sh.secretary(org).is_none() => "secretary",
        0 | 1 => "committee_member",
        _ => "ordinary",
    };
    match b % 4 {
        0 | 1 => {
            let targets = if b % 4 == 0 {
                sh.villages()
            } else {
                sh.orgs_where(|o| is_grassroots(&o.kind))
            };
            let targets: Vec<String> = targets.into_iter().filter(|o| *o != m.org).collect();
            let org = pick(&targets, c)?;
            Some(vec![post(&m.id, &org, role_in(&org, d))])
        }
        2 => {
            let role = ["secretary", "committee_member", "ordinary"]
                .into_iter()
                .filter(|r| *r != m.role && (*r != "secretary" || sh.secretary(&m.org).is_none()))
                .nth(usize::from(c % 2))
                .unwrap_or("ordinary");
            (role != m.role).then(|| vec![post(&m.id, &m.org, role)])
        }
        _ => {
            // A secretary change in some village.
            let village = pick(&sh.villages(), c)?;
            let old = sh.secretary(&village);
            let new = pick(
                &free
                    .iter()
                    .filter(|x| x.role != "secretary")
                    .cloned()
                    .collect::<Vec<_>>(),
                d,
            )?;
            let mut cmds = vec![];
            if let Some(old) = old {
                let down = if d.is_multiple_of(2) && !sh.named_since(&old.id, on) {
                    "ordinary"
                } else {
                    "committee_member"
                };
                cmds.push(post(&old.id, &village, down));
            }
            cmds.push(post(&new.id, &village, "secretary"));
            Some(cmds)
        }
    }
}

fn set_leader_level(sh: &Shadow, on: Date, [a, b, _, _, _]: [u8; 5]) -> Option<Value> {
    let m = pick(&sh.members, a)?;
    let levels: Vec<&str> = ["none", "section", "city"]
        .into_iter()
        .filter(|l| *l != m.level)
        .collect();
    let level = pick(&levels, b)?;
    let body = json!({"member": m.id, "leader_level": level});
    Some(command(on, by_org(ROOT), "set_leader_level", body))
}

/// A unit registered, its eligibility flipped, covered by an organization of the matching kind
/// with room left, or uncovered.
fn unit_command(sh: &mut Shadow, on: Date, [a, b, c, _, _]: [u8; 5]) -> Option<Value> {
    if a % 8 == 0 {
        let kind = [
            "non_public_enterprise",
            "social_organization",
            "cooperative",
        ][b as usize % 3];
        let areas = sh.orgs_where(|o| is_township_level(&o.kind) || o.kind == "city_department");
        let area = pick(&areas, c)?;
        let id = sh.new_id("u");
        let body = json!({"id": id, "name": format!("{id}公司"), "kind": kind, "area": area,
                          "eligible": !c.is_multiple_of(4)});
        return Some(command(on, by_org(ROOT), "register_unit", body));
    }
    let unit = pick(&sh.units, b)?;
    match a % 8 {
        1..=2 => {
            let body = json!({"unit": unit.id, "eligible": !unit.eligible});
            Some(command(on, by_org(ROOT), "set_unit_eligibility", body))
        }
        3 if unit.cover.is_some() => {
            let body = json!({"unit": unit.id, "org": null});
            Some(command(on, by_org(ROOT), "cover_unit", body))
        }
        _ => {
            let kind = covering_kind(&unit.kind);
            let orgs = sh.orgs_where(|o| {
                o.kind == kind && Some(&o.id) != unit.cover.as_ref() && sh.units_covered(&o.id) < 2
            });
            let org = pick(&orgs, c)?;
            let body = json!({"unit": unit.id, "org": org});
            Some(command(on, by_org(ROOT), "cover_unit", body))
        }
    }
}

fn instructor(sh: &Shadow, on: Date, [a, b, c, _, _]: [u8; 5]) -> Option<Value> {
    if a % 3 == 0
        && let Some((m, target)) = pick(&sh.instructors, b)
    {
        let body = json!({"instructor": m, "target": target});
        return Some(command(on, by_org(ROOT), "unassign_instructor", body));
    }
    let m = pick(&sh.members, b)?;
    let target = if c.is_multiple_of(2) {
        json!({"unit": pick(&sh.units, c / 2)?.id})
    } else {
        json!({"village": pick(&sh.villages(), c / 2)?})
    };
    if sh.instructors.contains(&(m.id.clone(), target.clone())) {
        return None;
    }
    let body = json!({"instructor": m.id, "target": target});
    Some(command(on, by_org(ROOT), "assign_instructor", body))
}

fn contact_point(sh: &Shadow, on: Date, [a, b, c, _, _]: [u8; 5]) -> Option<Value> {
    if a % 3 == 0
        && let Some((leader, org)) = pick(&sh.contacts, b)
    {
        let body = json!({"leader": leader, "org": org});
        return Some(command(on, by_org(ROOT), "unlink_contact_point", body));
    }
    let leaders: Vec<String> = sh
        .members
        .iter()
        .filter(|m| m.level != "none")
        .map(|m| m.id.clone())
        .collect();
    let leader = pick(&leaders, b)?;
    let orgs =
        sh.orgs_where(|o| o.id != ROOT && !sh.contacts.contains(&(leader.clone(), o.id.clone())));
    let org = pick(&orgs, c)?;
    let body = json!({"leader": leader, "org": org});
    Some(command(on, by_org(ROOT), "link_contact_point", body))
}

/// A new village, school or (rarely) township-level committee.
fn create_org(sh: &mut Shadow, on: Date, [a, b, _, _, _]: [u8; 5]) -> Option<Value> {
    let kind = ["village", "village", "school", "township_committee"][a as usize % 4];
    let parents = sh.orgs_where(|p| may_sit_under(kind, &p.kind));
    let parent = pick(&parents, b)?;
    let id = sh.new_id(&format!("new-{}", &kind[..1]));
    let body = json!({"id": id, "name": format!("{id}新建党组织"), "kind": kind, "parent": parent});
    Some(command(on, by_org(ROOT), "create_org", body))
}

// ---------------------------------------------------------------- records

const CONCERN_CATEGORIES: [&str; 4] = ["land_boundary", "schooling", "health", "welfare"];

/// 123 method records: households, receptions by a village's cadres, visits of a household of
/// the cadre's village, concerns raised and resolved (with a cadre of the village as handler
/// two times in three).
fn method123(sh: &mut Shadow, on: Date, [a, b, c, d, act]: [u8; 5]) -> Option<Value> {
    let village = pick(&sh.villages(), b)?;
    let cadres = sh.cadres(&village);
    let actor = |cadre: Option<&String>| match (act % 4, cadre) {
        (0, _) => by_org(&village),
        (1, Some(m)) => json!({"member": m}),
        _ => by_org(ROOT),
    };
    match a % 10 {
        0 => {
            let id = sh.new_id("h");
            let body = json!({"id": id, "village": village});
            Some(command(on, actor(None), "register_household", body))
        }
        1..=3 => {
            let cadre = pick(&cadres, c)?;
            let mut on_duty = vec![cadre.clone()];
            if let Some(other) = pick(&cadres, d).filter(|o| *o != cadre) {
                on_duty.push(other);
            }
            let body = json!({"village": village, "cadres": on_duty, "visitors": 1 + d % 30});
            Some(command(on, actor(Some(&cadre)), "record_reception", body))
        }
        4..=6 => {
            let cadre = pick(&cadres, c)?;
            let households: Vec<String> = sh
                .households
                .iter()
                .filter(|h| h.1 == village)
                .map(|h| h.0.clone())
                .collect();
            let household = pick(&households, d)?;
            let body = json!({"cadre": cadre, "household": household});
            Some(command(on, actor(Some(&cadre)), "record_visit", body))
        }
        7 | 8 => {
            let id = sh.new_id("cn");
            let body = json!({"id": id, "village": village, "channel": (["reception", "visit", "other"][c as usize % 3]),
                              "category": CONCERN_CATEGORIES[d as usize % 4], "text": "村民反映的问题"});
            Some(command(on, actor(cadres.first()), "raise_concern", body))
        }
        _ => {
            let open: Vec<(String, String, bool)> =
                sh.concerns.iter().filter(|x| !x.2).cloned().collect();
            let (concern, village, _) = pick(&open, c)?;
            let mut body = json!({"concern": concern, "outcome": "已解决", "feedback": "群众满意"});
            let handler = pick(&sh.cadres(&village), d).filter(|_| !d.is_multiple_of(3));
            if let Some(h) = &handler {
                body["handler"] = json!(h);
            }
            let actor = if act.is_multiple_of(4) {
                by_org(&village)
            } else {
                by_org(ROOT)
            };
            Some(command(on, actor, "resolve_concern", body))
        }
    }
}

fn pledge_content(id: &str, version: u32, deadline: Date) -> Value {
    json!({"title": format!("{id}承诺第{version}稿"), "text": "为群众办实事", "deadline": deadline.to_string()})
}

/// A pledge drafted by an organization (not the root: nobody reviews it) or a member, or one to
/// three steps, on one day, of an existing one (the oldest under way mostly, so that some go
/// all the way).
fn pledge_command(sh: &mut Shadow, on: Date, [a, b, c, d, act]: [u8; 5]) -> Option<Vec<Value>> {
    let live: Vec<PledgeS> = sh
        .pledges
        .iter()
        .filter(|p| p.status != "closed" && p.status != "fulfilled")
        .cloned()
        .collect();
    if a % 8 == 0 || live.len() < 2 {
        return draft_pledge(sh, on, [b, c, d, act]).map(|c| vec![c]);
    }
    let fulfilled: Vec<PledgeS> = sh
        .pledges
        .iter()
        .filter(|p| p.status == "fulfilled")
        .cloned()
        .collect();
    let mut p = match a % 8 {
        1 => pick(&fulfilled, b).or_else(|| pick(&live, b))?,
        2..=6 => live[0].clone(),
        _ => pick(&live, b)?,
    };
    let mut cmds = vec![];
    for i in 0..=(d % 3) {
        let (event, body, status) = pledge_step(&p, c.wrapping_add(i * 3), d);
        cmds.push(command(on, by_org(ROOT), event, body));
        (p.status, p.version) = (status, p.version + u32::from(event == "revise_pledge"));
    }
    Some(cmds)
}

/// The step a pledge's status calls for: its event, body and the status after it.
fn pledge_step(p: &PledgeS, c: u8, d: u8) -> (&'static str, Value, &'static str) {
    let id = &p.id;
    match p.status {
        "draft" => ("submit_pledge", json!({"pledge": id}), "submitted"),
        "submitted" if c.is_multiple_of(4) => (
            "review_pledge",
            json!({"pledge": id, "decision": {"return": {"reasons": "目标不具体"}}}),
            "returned",
        ),
        "submitted" => (
            "review_pledge",
            json!({"pledge": id, "decision": "approve"}),
            "approved",
        ),
        "returned" => (
            "revise_pledge",
            json!({"pledge": id, "content": pledge_content(id, p.version + 1, p.deadline)}),
            "draft_revised",
        ),
        "draft_revised" => ("submit_pledge", json!({"pledge": id}), "submitted"),
        "approved" => ("publish_pledge", json!({"pledge": id}), "published"),
        "published" if c.is_multiple_of(8) => (
            "close_pledge",
            json!({"pledge": id, "closing": (["withdrawn", "unfulfilled"][d as usize % 2]),
                   "explanation": "情况变化"}),
            "closed",
        ),
        "published" if c % 8 < 4 => ("fulfil_pledge", json!({"pledge": id}), "fulfilled"),
        status => (
            "record_fulfilment",
            json!({"pledge": id, "outputs": {"problems_solved": 1 + d % 5,
                   "benefit_yuan": format!("{}.50", 100 + u32::from(d))}}),
            status,
        ),
    }
}

fn draft_pledge(sh: &mut Shadow, on: Date, [b, c, d, act]: [u8; 4]) -> Option<Value> {
    // Mostly the last deadline; the earliest one still three weeks ahead one time in four.
    let ahead: Vec<Date> = DEADLINES
        .into_iter()
        .filter(|x| *x >= days_after(on, 20))
        .collect();
    let deadline = if d.is_multiple_of(4) {
        ahead.first()
    } else {
        ahead.last()
    }
    .copied()
    .unwrap_or(DEADLINES[2]);
    let (owner, actor) = if b.is_multiple_of(2) {
        let m = pick(&sh.members, c)?;
        let actor = match act % 3 {
            0 => json!({"member": m.id}),
            1 => by_org(&m.org),
            _ => by_org(ROOT),
        };
        (json!({"member": m.id}), actor)
    } else {
        let org = pick(&sh.orgs_where(|o| o.id != ROOT), c)?;
        (json!({"org": org}), root_or(&org, act))
    };
    let id = sh.new_id("p");
    let body = json!({"id": id, "owner": owner, "kind": (["work", "practical_matter"][d as usize / 2 % 2]),
                      "focus": (["central_work", "own_situation", "masses_wishes"][d as usize / 4 % 3]),
                      "content": pledge_content(&id, 0, deadline)});
    Some(command(on, actor, "draft_pledge", body))
}

/// A village matter's steps, in the default rules' order.
const MATTER_STEPS: [&str; 6] = [
    "discuss_matter",
    "deliberate_matter",
    "review_matter",
    "resolve_matter",
    "publish_resolution",
    "publish_result",
];

/// Whether a step's votes (or review) let the matter go on, under the default rules.
fn matter_step_passes(event: &str, e: &Value) -> bool {
    let n = |k: &str| e[k].as_u64().unwrap_or(0);
    match event {
        "discuss_matter" => 2 * n("for") > n("total"),
        "deliberate_matter" => 2 * n("for") > n("expected"),
        "review_matter" => e["decision"] == "approve",
        "resolve_matter" => 2 * n("for") > n("attending"),
        _ => true,
    }
}

/// A matter proposed by a village, or the next one to three steps, on one day, of an open one
/// (the oldest mostly); a vote fails or the township vetoes one step in eight.
fn matter_command(sh: &mut Shadow, on: Date, [a, b, c, d, act]: [u8; 5]) -> Option<Vec<Value>> {
    let open: Vec<MatterS> = sh.matters.iter().filter(|m| !m.closed).cloned().collect();
    if a % 8 == 0 || open.is_empty() {
        let village = pick(&sh.villages(), b)?;
        let id = sh.new_id("dm");
        let body = json!({"id": id, "village": village, "title": "修建村道", "text": "村民代表提议修建村道"});
        let cmd = command(on, root_or(&village, act), "propose_matter", body);
        return Some(vec![cmd]);
    }
    let m = if a % 4 != 1 {
        open[0].clone()
    } else {
        pick(&open, b)?
    };
    let mut cmds = vec![];
    for (i, step) in MATTER_STEPS
        .iter()
        .enumerate()
        .skip(m.next)
        .take(1 + usize::from(d % 3))
    {
        let pass = !c.wrapping_add(i as u8).is_multiple_of(8);
        cmds.push(command(
            on,
            by_org(ROOT),
            step,
            matter_step(&m.id, step, pass),
        ));
        if !pass {
            break;
        }
    }
    Some(cmds)
}

/// The body of a matter's step whose vote passes (or review approves) if `pass`.
fn matter_step(id: &str, step: &str, pass: bool) -> Value {
    match step {
        "discuss_matter" => {
            json!({"matter": id, "for": if pass { 5 } else { 2 }, "against": 1, "total": 7})
        }
        "deliberate_matter" => {
            json!({"matter": id, "expected": 30, "attending": 25, "for": if pass { 20 } else { 10 }})
        }
        "review_matter" if pass => json!({"matter": id, "decision": "approve"}),
        "review_matter" => {
            json!({"matter": id, "decision": {"veto": {"reasons": "与法律不符"}}})
        }
        "resolve_matter" => {
            json!({"matter": id, "attending": 40, "for": if pass { 30 } else { 10 }})
        }
        "publish_resolution" => json!({"matter": id}),
        _ => json!({"matter": id, "result": "村道已修通"}),
    }
}

/// A hotline case received by any organization, or resolved, or replied to.
fn hotline(sh: &mut Shadow, on: Date, [a, b, c, _, act]: [u8; 5]) -> Option<Value> {
    let (event, body) = match a % 4 {
        0 | 1 => {
            let org = pick(&sh.orgs, b)?.id;
            let id = sh.new_id("hl");
            let body = json!({"id": id, "org": org, "category": (["roads", "water", "jobs"][c as usize % 3]),
                              "text": "热线来电"});
            return Some(command(
                on,
                root_or(&org, act),
                "receive_hotline_case",
                body,
            ));
        }
        2 => {
            let open: Vec<String> = sh
                .cases
                .iter()
                .filter(|x| !x.1)
                .map(|x| x.0.clone())
                .collect();
            (
                "resolve_hotline_case",
                json!({"case": pick(&open, b)?, "outcome": "已办结"}),
            )
        }
        _ => {
            let open: Vec<String> = sh
                .cases
                .iter()
                .filter(|x| !x.2)
                .map(|x| x.0.clone())
                .collect();
            (
                "reply_hotline_case",
                json!({"case": pick(&open, b)?, "reply": "已回复来电人"}),
            )
        }
    };
    Some(command(on, by_org(ROOT), event, body))
}

fn donation_or_home_visit(sh: &mut Shadow, on: Date, [a, b, c, _, act]: [u8; 5]) -> Option<Value> {
    let m = pick(&sh.members, b)?;
    let actor = root_or(&m.org, act);
    if a.is_multiple_of(2) {
        let id = sh.new_id("dn");
        let body = json!({"id": id, "member": m.id, "amount_yuan": format!("{}.5", 10 + u32::from(c)),
                          "drive": "爱心捐款"});
        Some(command(on, actor, "record_donation", body))
    } else {
        let id = sh.new_id("hv");
        let body = json!({"id": id, "cadre": m.id, "problems_solved": c % 4,
                          "aid_yuan": format!("{}", 50 * u32::from(c % 7))});
        Some(command(on, actor, "record_home_visit", body))
    }
}

/// A volunteer team founded by a township or a village, a member posted in its subtree joining
/// it, a member leaving it, or one of its activities.
fn team_command(sh: &mut Shadow, on: Date, [a, b, c, d, act]: [u8; 5]) -> Option<Value> {
    if a % 6 == 0 || sh.teams.is_empty() {
        let orgs = sh.orgs_where(|o| is_township_level(&o.kind) || o.kind == "village");
        let org = pick(&orgs, b)?;
        let id = sh.new_id("vt");
        let body = json!({"id": id, "name": format!("{id}党员义工队"), "org": org});
        return Some(command(
            on,
            root_or(&org, act),
            "found_volunteer_team",
            body,
        ));
    }
    let team = pick(&sh.teams, b)?;
    let actor = root_or(&team.org, act);
    let (event, body) = match a % 6 {
        1 | 2 => {
            let candidates: Vec<String> = sh
                .members
                .iter()
                .filter(|m| sh.is_at_or_below(&m.org, &team.org) && !team.members.contains(&m.id))
                .map(|m| m.id.clone())
                .collect();
            (
                "join_volunteer_team",
                json!({"team": team.id, "member": pick(&candidates, c)?}),
            )
        }
        3 => (
            "leave_volunteer_team",
            json!({"team": team.id, "member": pick(&team.members, c)?}),
        ),
        _ => {
            let id = sh.new_id("va");
            let body = json!({"id": id, "team": team.id, "kind": (["clinic", "cleanup"][c as usize % 2]),
                              "people_served": d % 40,
                              "outputs": [{"what": "meals", "count": 1 + d % 9}]});
            ("record_volunteer_activity", body)
        }
    };
    Some(command(on, actor, event, body))
}

/// Any organization's activity: always possible, the fallback when a choice finds nothing.
fn record_activity(sh: &mut Shadow, on: Date, [_, b, c, d, act]: [u8; 5]) -> Value {
    let org = pick(&sh.orgs, b).map_or(ROOT.to_string(), |o| o.id);
    let id = sh.new_id("a");
    let body = json!({"id": id, "org": org, "kind": (["study", "service"][c as usize % 2]), "title": "主题党日",
                      "participants": d % 50, "people_served": c % 30});
    command(on, root_or(&org, act), "record_activity", body)
}

// ---------------------------------------------------------------- cases

/// A generated campaign: its setup, the accepted commands (setup first, in date order), the
/// refused ones (event name and code), and the dates the property checks.
#[derive(Clone)]
struct Case {
    journal: Vec<Value>,
    setup: usize,
    refused: Vec<(String, u32)>,
    /// Random days of the window to check, besides those of the structure changes.
    days: Vec<Date>,
    /// How far before each checked day the spans with a start begin.
    from_back: u8,
}

impl fmt::Debug for Case {
    /// The journal as JSON lines (as `chuangzheng import` reads them).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Case {{ setup: {} commands, random accepted: {}, refused: {}, days: {:?}, from_back: {} }}",
            self.setup,
            self.journal.len() - self.setup,
            self.refused.len(),
            self.days,
            self.from_back
        )?;
        for cmd in &self.journal {
            writeln!(f, "{cmd}")?;
        }
        Ok(())
    }
}

fn rules() -> RuleSet {
    let mut rules = RuleSet::default();
    rules.coverage.max_units_per_org = 2;
    rules
}

fn campaign() -> Campaign {
    let info = CampaignInfo {
        id: ExtId::new("test", "as-of").unwrap(),
        name: Name::new("test", "截至日测试").unwrap(),
    };
    Campaign::in_memory(info, rules()).unwrap()
}

fn parse(cmd: &Value) -> Command {
    Command::from_json(&cmd.to_string()).unwrap_or_else(|e| panic!("{cmd}: {e:?}"))
}

fn date_of(cmd: &Value) -> Date {
    cmd["at"].as_str().unwrap().parse().unwrap()
}

fn event_of(cmd: &Value) -> &str {
    cmd["event"].as_object().unwrap().keys().next().unwrap()
}

/// Builds a case: the setup (every command must be accepted), then each random command decoded
/// against the shadow of the accepted ones and kept if the library accepts it.
fn build_case(setup: &Setup, raws: &[Raw], days: &[u8], from_back: u8) -> Case {
    let mut planner = campaign();
    let mut shadow = Shadow::default();
    let mut journal = setup_commands(setup);
    for cmd in &journal {
        planner
            .execute(&parse(cmd))
            .unwrap_or_else(|e| panic!("the setup is accepted: {cmd}: {e:?}"));
        shadow.apply(cmd);
    }
    let fixed = journal.len();
    let mut refused = vec![];
    for raw in raws {
        for cmd in decode(raw, &mut shadow) {
            match planner.execute(&parse(&cmd)) {
                Ok(_) => {
                    shadow.apply(&cmd);
                    journal.push(cmd);
                }
                Err(e) => refused.push((event_of(&cmd).to_string(), e.code())),
            }
        }
    }
    let window = (END - START).get_days();
    Case {
        journal,
        setup: fixed,
        refused,
        days: days
            .iter()
            .map(|d| days_after(START, i64::from(*d) % i64::from(window + 1)))
            .collect(),
        from_back,
    }
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        setup_strategy(),
        prop::collection::vec(any::<Raw>(), 0..=MOST_RANDOM),
        any::<[u8; 4]>(),
        any::<u8>(),
    )
        .prop_map(|(setup, raws, days, from_back)| build_case(&setup, &raws, &days, from_back))
}

// ---------------------------------------------------------------- the property

/// Event kinds that change a dated fact a report reads: the day before and the day of each are
/// checked.
const STRUCTURE: [&str; 8] = [
    "move_org",
    "rename_org",
    "post_member",
    "set_leader_level",
    "set_unit_eligibility",
    "cover_unit",
    "assign_instructor",
    "link_contact_point",
];

/// The days checked: the case's random days, 12-31 and 01-01, and the day before and the day
/// of every structure change after the setup; sorted, once each, within the window.
fn checked_days(case: &Case) -> Vec<Date> {
    let mut days = case.days.clone();
    days.extend([date(2026, 12, 31), date(2027, 1, 1)]);
    for cmd in &case.journal[case.setup..] {
        if STRUCTURE.contains(&event_of(cmd)) {
            let d = date_of(cmd);
            days.extend([days_after(d, -1), d]);
        }
    }
    days.retain(|d| (START..=END).contains(d));
    days.sort();
    days.dedup();
    days
}

/// The root, then every township-level committee and city department of `cut` (which holds
/// exactly the organizations created by its day).
fn scopes(cut: &Campaign) -> Vec<String> {
    let state = cut.state();
    let root = state.root().map(|r| state.org(r).id.to_string());
    root.into_iter()
        .chain(
            state
                .orgs()
                .iter()
                .filter(|o| o.kind.is_township_level() || o.kind == OrgKind::CityDepartment)
                .map(|o| o.id.to_string()),
        )
        .collect()
}

/// The first place two JSON documents differ: its path and both values.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<(String, String, String)> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                let null = Value::Null;
                first_difference(
                    x.get(k).unwrap_or(&null),
                    y.get(k).unwrap_or(&null),
                    &format!("{path}.{k}"),
                )
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, &format!("{path}[{i}]"))),
        _ if a == b => None,
        _ => {
            let short = |v: &Value| v.to_string().chars().take(400).collect::<String>();
            Some((path.to_string(), short(a), short(b)))
        }
    }
}

/// The report of `scope` over `span` on the whole journal equals the one on the cut journal;
/// with `json`, their JSON too (else only rendered for a failure's message: a third of the
/// run's time goes into rendering).
fn same_report(
    full: &Campaign,
    cut: &Campaign,
    scope: &str,
    (span, reading): (Span, Reading),
    json: bool,
) -> Result<(), TestCaseError> {
    let build = |c: &Campaign| {
        let idx = c
            .state()
            .org_by_id(scope)
            .expect("the scope exists in both");
        StageReport::build_with(c, idx, span, reading)
    };
    let (whole, before) = (build(full), build(cut));
    if !json && whole == before {
        return Ok(());
    }
    let (jw, jb) = (whole.to_json(), before.to_json());
    if whole == before && jw == jb {
        return Ok(());
    }
    let what = format!(
        "the report of {scope} from {:?} as of {} ({reading:?})",
        span.from, span.as_of
    );
    Err(difference(
        &what,
        &serde_json::from_str(&jw).unwrap(),
        &serde_json::from_str(&jb).unwrap(),
    ))
}

/// A failure naming `what` depends on later records, with the first place the JSON of the
/// whole journal's and the cut journal's differ.
fn difference(what: &str, whole: &Value, cut: &Value) -> TestCaseError {
    let (path, w, b) = first_difference(whole, cut, "$").unwrap_or_else(|| {
        let all = (
            "(the JSON agrees; the values differ)".to_string(),
            whole.to_string(),
        );
        (all.0, all.1, cut.to_string())
    });
    TestCaseError::fail(format!(
        "{what} depends on later records\n  at {path}\n  whole journal: {w}\n  \
         cut journal:   {b}"
    ))
}

/// The tree in figures as of `day` (organizations, members by role, leading cadres by level,
/// units) on the whole journal equals the one on the cut journal.
fn same_tree_summary(full: &Campaign, cut: &Campaign, day: Date) -> Result<(), TestCaseError> {
    let (whole, before) = (
        TreeSummary::of(full.state(), day),
        TreeSummary::of(cut.state(), day),
    );
    if whole == before {
        return Ok(());
    }
    Err(difference(
        &format!("the tree summary as of {day}"),
        &serde_json::to_value(&whole).unwrap(),
        &serde_json::to_value(&before).unwrap(),
    ))
}

/// The property, on one case.
fn check_case(case: &Case) -> Result<(), TestCaseError> {
    let mut full = campaign();
    for cmd in &case.journal {
        full.execute(&parse(cmd)).expect("the journal replays");
    }
    let mut cut = campaign();
    let mut next = 0;
    for (j, day) in checked_days(case).into_iter().enumerate() {
        while next < case.journal.len() && date_of(&case.journal[next]) <= day {
            cut.execute(&parse(&case.journal[next]))
                .expect("the prefix replays");
            next += 1;
        }
        let back = (i64::from(case.from_back) + 11 * j as i64) % 45;
        let from = days_after(day, -back).max(START);
        for scope in scopes(&cut) {
            let as_of = Span::as_of(day);
            same_report(&full, &cut, &scope, (as_of, Reading::AsOf), true)?;
            same_report(&full, &cut, &scope, (as_of, Reading::Historical), false)?;
            let span = Span {
                from: Some(from),
                as_of: day,
            };
            same_report(&full, &cut, &scope, (span, Reading::AsOf), false)?;
        }
        same_tree_summary(&full, &cut, day)?;
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("AS_OF_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500)
}

fn config() -> Config {
    Config {
        cases: cases(),
        // Failures are reported, not written into the source tree.
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Issue 16 §1: the stage report as of D, for the root and every township-level committee
    /// and city department, equals the report as of D of the journal cut after its last command
    /// dated on or before D, with and without a start of the span.
    #[test]
    fn reports_do_not_depend_on_later_records(case in case_strategy()) {
        check_case(&case)?;
    }
}

// ---------------------------------------------------------------- the generator's reach

/// Event kinds the generator must get accepted, so the property is not vacuous.
const MUST_REACH: [&str; 40] = [
    "move_org",
    "rename_org",
    "post_member",
    "set_leader_level",
    "register_unit",
    "set_unit_eligibility",
    "cover_unit",
    "assign_instructor",
    "unassign_instructor",
    "link_contact_point",
    "unlink_contact_point",
    "create_org",
    "register_household",
    "record_reception",
    "record_visit",
    "raise_concern",
    "resolve_concern",
    "draft_pledge",
    "submit_pledge",
    "review_pledge",
    "revise_pledge",
    "publish_pledge",
    "record_fulfilment",
    "fulfil_pledge",
    "close_pledge",
    "propose_matter",
    "discuss_matter",
    "deliberate_matter",
    "review_matter",
    "resolve_matter",
    "publish_resolution",
    "publish_result",
    "receive_hotline_case",
    "resolve_hotline_case",
    "reply_hotline_case",
    "record_donation",
    "record_home_visit",
    "found_volunteer_team",
    "join_volunteer_team",
    "record_volunteer_activity",
];

/// Over a fixed-seed run of 300 cases: every kind of [`MUST_REACH`] and `leave_volunteer_team`
/// and `record_activity` is accepted; most random commands are; villages and schools move,
/// secretaries change (two postings on a day), units get uncovered, commands fall on 12-31 and
/// 01-01. Prints the table with `--nocapture`.
#[test]
fn generated_campaigns_get_somewhere() {
    let mut runner = TestRunner::new_with_rng(
        Config {
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let strategy = case_strategy();
    let mut accepted = BTreeMap::<String, usize>::new();
    let mut refused = BTreeMap::<String, usize>::new();
    let mut codes = BTreeMap::<u32, usize>::new();
    let (mut village_moves, mut school_moves, mut secretaries_in) = (0, 0, 0);
    let (mut uncovered, mut year_end, mut checked) = (0, 0, 0);
    for _ in 0..300 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        checked += checked_days(&case).len();
        for cmd in &case.journal[case.setup..] {
            *accepted.entry(event_of(cmd).to_string()).or_default() += 1;
            let e = &cmd["event"];
            let moved = e["move_org"]["org"].as_str().unwrap_or("");
            village_moves += usize::from(moved.starts_with("v-"));
            school_moves += usize::from(moved.starts_with("sc-"));
            secretaries_in += usize::from(e["post_member"]["role"] == "secretary");
            uncovered += usize::from(e["cover_unit"].get("org") == Some(&Value::Null));
            let d = date_of(cmd);
            year_end += usize::from(d == date(2026, 12, 31) || d == date(2027, 1, 1));
        }
        for (event, code) in &case.refused {
            *refused.entry(event.clone()).or_default() += 1;
            *codes.entry(*code).or_default() += 1;
        }
    }
    let total_accepted: usize = accepted.values().sum();
    let total_refused: usize = refused.values().sum();
    println!("event\taccepted\trefused");
    for (event, n) in &accepted {
        println!("{event}\t{n}\t{}", refused.get(event).unwrap_or(&0));
    }
    println!("total\t{total_accepted}\t{total_refused}\nrefusal codes: {codes:?}");
    println!(
        "village moves {village_moves}, school moves {school_moves}, postings as secretary \
         {secretaries_in}, uncovered {uncovered}, commands on 12-31/01-01 {year_end}, \
         days checked {checked}"
    );
    for kind in MUST_REACH
        .iter()
        .chain(&["leave_volunteer_team", "record_activity"])
    {
        assert!(
            accepted.get(*kind).copied().unwrap_or(0) > 0,
            "no {kind} accepted"
        );
    }
    assert!(
        total_accepted >= 4 * total_refused,
        "too many refusals: {total_refused} of {}",
        total_accepted + total_refused
    );
    for (what, n) in [
        ("village moves", village_moves),
        ("school moves", school_moves),
        ("postings as secretary", secretaries_in),
        ("uncoverings", uncovered),
        ("commands on 12-31 or 01-01", year_end),
    ] {
        assert!(n >= 30, "only {n} {what}");
    }
}

// ---------------------------------------------------------------- the historical reading

proptest! {
    #![proptest_config(Config { cases: 100, ..config() })]

    /// Issue 16 §1: both readings sum to the same total when the scope is the root, and under
    /// each reading the report of every direct subordinate of the root equals that
    /// subordinate's part of the root's report (the parts of a scope add up to it, and figures
    /// computed apart merge).
    #[test]
    fn the_readings_agree_at_the_root_and_their_parts_add_up(case in case_strategy()) {
        let mut c = campaign();
        for cmd in &case.journal {
            c.execute(&parse(cmd)).expect("the journal replays");
        }
        let root = c.state().root().unwrap();
        for day in checked_days(&case) {
            let span = Span::as_of(day);
            let as_of = StageReport::build(&c, root, span);
            let historical = StageReport::build_with(&c, root, span, Reading::Historical);
            prop_assert_eq!(&as_of.totals, &historical.totals, "root totals as of {}", day);
            for report in [&as_of, &historical] {
                for part in &report.parts {
                    let idx = c.state().org_by_id(part.org.as_str()).unwrap();
                    let apart = StageReport::build_with(&c, idx, span, report.reading);
                    prop_assert_eq!(
                        &apart.totals,
                        &part.figures,
                        "{} as of {} ({:?})",
                        part.org,
                        day,
                        report.reading
                    );
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(Config { cases: 50, ..config() })]

    /// Issue 22 §3: a subtree's passes read only the records of its organizations and members
    /// (through the domains' indexes); for every organization, on every checked day, under
    /// both readings, from the start and over a span, they count what reading every record
    /// counts.
    #[test]
    fn a_scoped_read_counts_what_reading_every_record_counts(case in case_strategy()) {
        let mut c = campaign();
        for cmd in &case.journal {
            c.execute(&parse(cmd)).expect("the journal replays");
        }
        let (state, rules) = (c.state(), c.rules());
        let mut scoped = 0;
        for day in checked_days(&case) {
            for org in (0..state.registry().orgs().len() as u32).map(OrgIdx) {
                for reading in [Reading::AsOf, Reading::Historical] {
                    let split = Attribution::split(state, org, day).with_reading(state, reading);
                    let every = split.clone().reading_every_record();
                    scoped += usize::from(split.is_scoped());
                    for from in [None, Some(days_after(day, -40))] {
                        let span = Span { from, as_of: day };
                        prop_assert_eq!(
                            StageFigures::of_parts(state, rules, &split, span),
                            StageFigures::of_parts(state, rules, &every, span),
                            "{} as of {} from {:?} ({:?}, scoped: {})",
                            state.org(org).id, day, from, reading, split.is_scoped()
                        );
                    }
                }
            }
        }
        // Every village's subtree is a small share of the tree: the scoped read is exercised.
        prop_assert!(scoped > 0, "no attribution was scoped");
    }
}

// ---------------------------------------------------------------- examples

/// The smallest setup (two townships, four villages, ten members) followed by `later`, checked
/// on the day before the first of them.
fn example(later: &[&str]) -> Result<(), TestCaseError> {
    let setup = Setup {
        townships: 2,
        villages: 4,
        members: 10,
        bytes: [0; 24],
    };
    let mut journal = setup_commands(&setup);
    let fixed = journal.len();
    journal.extend(
        later
            .iter()
            .map(|l| serde_json::from_str::<Value>(l).unwrap()),
    );
    let case = Case {
        journal,
        setup: fixed,
        refused: vec![],
        days: vec![START],
        from_back: 0,
    };
    check_case(&case)
}

fn assert_holds(result: Result<(), TestCaseError>) {
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// A village moved to another township the day after: its committee member counted under its
/// old township as of the day before (issue 16 §1, the dated tree).
#[test]
fn example_a_village_moved_the_next_day() {
    assert_holds(example(&[
        r#"{"at":"2026-11-21","actor":{"org":"city"},"event":{"move_org":{"org":"v-1","parent":"t-2"}}}"#,
    ]));
}

/// A department renamed the day after: its report as of the day before shows its old name.
#[test]
fn example_a_department_renamed_the_next_day() {
    assert_holds(example(&[
        r#"{"at":"2026-11-21","actor":{"org":"city"},"event":{"rename_org":{"org":"d-1","name":"市教育体育局党委"}}}"#,
    ]));
}

/// A leading cadre's level changed the day after: the tree summary as of the day before counts
/// the old level (`set_leader_level` a dated history).
#[test]
fn example_a_leader_level_changed_the_next_day() {
    assert_holds(example(&[
        r#"{"at":"2026-11-21","actor":{"org":"city"},"event":{"set_leader_level":{"member":"m-2","leader_level":"section"}}}"#,
    ]));
}
