//! No dead ends: from every status a pledge can reach, some command the ledger accepts moves it
//! on, until it is closed (fulfilled, withdrawn or declared unfulfilled). Walked exhaustively
//! for pledges of every kind of owner — the root, a township, a department, a village, an organ
//! branch, members of a village (cadre and ordinary, farmer and `other`) and of an organ branch —
//! under several review levels, on time and after the deadline has passed. An owner with no
//! reviewer under the rules is refused at draft (3028) instead of making a pledge that could
//! never be reviewed.

use chuangzheng::Coded;
use chuangzheng::ledger::{Actor, Campaign, CampaignInfo, Command, Event};
use chuangzheng::model::{ExtId, LeaderLevel, MemberCategory, Name, OrgKind, Role, Stamp};
use chuangzheng::pledge::{
    Carrier, Closing, Focus, OwnerRef, PledgeContent, PledgeKind, PledgeStatus, ReviewDecision,
};
use chuangzheng::rules::RuleSet;
use jiff::civil::{Date, date};
use jiff::{Span, ToSpan};

fn id(s: &str) -> ExtId {
    ExtId::new("test", s).unwrap()
}

fn name(s: &str) -> Name {
    Name::new("test", s).unwrap()
}

const D0: Date = date(2010, 5, 1);
const DEADLINE: Date = date(2010, 6, 30);

/// city (depth 0) ─┬ t-01 (1) ── v-1 (2): m-s secretary, m-f ordinary farmer, m-x `other`
///                 └ d-01 (1) ── o-1 (2): m-o organ member
const ORGS: [(&str, OrgKind, Option<&str>, u32); 5] = [
    ("city", OrgKind::CityCommittee, None, 0),
    ("t-01", OrgKind::TownshipCommittee, Some("city"), 1),
    ("d-01", OrgKind::CityDepartment, Some("city"), 1),
    ("v-1", OrgKind::Village, Some("t-01"), 2),
    ("o-1", OrgKind::Organ, Some("d-01"), 2),
];

const MEMBERS: [(&str, &str, MemberCategory, Role); 4] = [
    ("m-s", "v-1", MemberCategory::Farmer, Role::Secretary),
    ("m-f", "v-1", MemberCategory::Farmer, Role::Ordinary),
    ("m-x", "v-1", MemberCategory::Other, Role::Ordinary),
    ("m-o", "o-1", MemberCategory::Organ, Role::Ordinary),
];

fn on(d: Date, actor: Actor, event: Event) -> Command {
    Command::new(Stamp::on(d), actor, event)
}

fn tree() -> Vec<Command> {
    let mut cmds = Vec::new();
    for (o, kind, parent, _) in ORGS {
        cmds.push(on(
            D0,
            Actor::org(&id(parent.unwrap_or("city"))),
            Event::CreateOrg(chuangzheng::org::CreateOrg {
                id: id(o),
                name: name(o),
                kind,
                parent: parent.map(id),
            }),
        ));
    }
    for (m, o, category, role) in MEMBERS {
        cmds.push(on(
            D0,
            Actor::org(&id(o)),
            Event::AddMember(chuangzheng::org::AddMember {
                id: id(m),
                org: id(o),
                category,
                role,
                leader_level: LeaderLevel::None,
            }),
        ));
    }
    cmds
}

fn campaign(rules: &RuleSet, cmds: &[Command]) -> Campaign {
    let info = CampaignInfo {
        id: id("walk"),
        name: name("无死角测试"),
    };
    let mut c = Campaign::in_memory(info, rules.clone()).unwrap();
    for cmd in cmds {
        c.execute(cmd).unwrap();
    }
    c
}

/// Every actor of the tree: each organization, and each member for their own records.
fn actors() -> Vec<Actor> {
    let orgs = ORGS.iter().map(|(o, ..)| Actor::org(&id(o)));
    let members = MEMBERS
        .iter()
        .map(|(m, ..)| Actor::Member { member: id(m) });
    orgs.chain(members).collect()
}

fn content(title: &str, deadline: Date) -> PledgeContent {
    // No targets: fulfilled when its reviewer says so.
    PledgeContent::new(name(title), "为群众办一件实事", deadline, vec![]).unwrap()
}

/// The owners walked: the owner, who drafts, the carrier named, and the owning
/// organization's depth below the root.
fn owners() -> Vec<(OwnerRef, Actor, Option<Carrier>, u32)> {
    let mut out = Vec::new();
    for (o, _, _, depth) in ORGS {
        out.push((OwnerRef::Org(id(o)), Actor::org(&id(o)), None, depth));
    }
    for (m, o, category, _) in MEMBERS {
        let depth = ORGS.iter().find(|x| x.0 == o).map_or(0, |x| x.3);
        let carrier = (category == MemberCategory::Other).then_some(Carrier::BuildingDuty);
        let actor = Actor::Member { member: id(m) };
        out.push((OwnerRef::Member(id(m)), actor, carrier, depth));
    }
    out
}

fn draft(owner: &OwnerRef, actor: Actor, carrier: Option<Carrier>) -> Command {
    on(
        date(2010, 5, 2),
        actor,
        Event::DraftPledge(chuangzheng::pledge::DraftPledge {
            id: id("p"),
            owner: owner.clone(),
            kind: PledgeKind::PracticalMatter,
            focus: Focus::MassesWishes,
            carrier,
            content: content("修缮村道", DEADLINE),
        }),
    )
}

/// The pledge's steps, forward first: closing, then publishing, approving, submitting, and
/// revising last (a revision moves a returned pledge towards submission, and lapses an
/// approval whose deadline passed unpublished).
fn steps(attempt: usize, d: Date) -> Vec<Event> {
    let p = || id("p");
    vec![
        Event::FulfilPledge(chuangzheng::pledge::FulfilPledge { pledge: p() }),
        Event::ClosePledge(chuangzheng::pledge::ClosePledge {
            pledge: p(),
            closing: Closing::Withdrawn,
            explanation: long_text("客观条件变化, 经审核撤回"),
        }),
        Event::PublishPledge(chuangzheng::pledge::PublishPledge { pledge: p() }),
        Event::ReviewPledge(chuangzheng::pledge::ReviewPledge {
            pledge: p(),
            decision: ReviewDecision::Approve,
        }),
        Event::SubmitPledge(chuangzheng::pledge::SubmitPledge { pledge: p() }),
        Event::RevisePledge(chuangzheng::pledge::RevisePledge {
            pledge: p(),
            content: content(
                &format!("修缮村道 (第{attempt}稿)"),
                d.max(DEADLINE) + 1.month(),
            ),
        }),
    ]
}

fn status(c: &Campaign) -> PledgeStatus {
    let s = c.state();
    s.pledge(s.pledge_by_id("p").unwrap())
        .status
        .current()
        .status
}

fn is_closed(s: PledgeStatus) -> bool {
    matches!(
        s,
        PledgeStatus::Fulfilled | PledgeStatus::Withdrawn | PledgeStatus::Unfulfilled
    )
}

/// Tries `event` from every actor; the first accepted command, if any. A refused one must
/// leave the campaign exactly as it was.
fn first_accepted(c: &mut Campaign, d: Date, event: &Event) -> Option<Command> {
    for actor in actors() {
        let cmd = on(d, actor, event.clone());
        let before = (c.state_json(), c.seq());
        match c.execute(&cmd) {
            Ok(_) => return Some(cmd),
            Err(e) => {
                assert!(!e.message_zh().is_empty() && !e.message_en().is_empty());
                assert_eq!((c.state_json(), c.seq()), before, "{e}");
            }
        }
    }
    None
}

/// One step forward from where the pledge stands: the first of [`steps`] some actor may take.
fn step(c: &mut Campaign, d: Date, attempt: usize) -> Option<(Command, PledgeStatus)> {
    let from = (status(c), c.state().pledges()[0].versions.len());
    for event in steps(attempt, d) {
        if let Some(cmd) = first_accepted(c, d, &event) {
            let to = (status(c), c.state().pledges()[0].versions.len());
            assert_ne!(from, to, "{cmd:?} was accepted but moved nothing");
            return Some((cmd, to.0));
        }
    }
    None
}

/// The ways into each status the ledger lets a pledge stand in before it is closed.
fn setups() -> Vec<Vec<Event>> {
    let p = || id("p");
    let submit = Event::SubmitPledge(chuangzheng::pledge::SubmitPledge { pledge: p() });
    let approve = Event::ReviewPledge(chuangzheng::pledge::ReviewPledge {
        pledge: p(),
        decision: ReviewDecision::Approve,
    });
    let give_back = Event::ReviewPledge(chuangzheng::pledge::ReviewPledge {
        pledge: p(),
        decision: ReviewDecision::Return {
            reasons: long_text("请写明完成时限"),
        },
    });
    let publish = Event::PublishPledge(chuangzheng::pledge::PublishPledge { pledge: p() });
    vec![
        vec![],
        vec![submit.clone()],
        vec![submit.clone(), give_back],
        vec![submit.clone(), approve.clone()],
        vec![submit, approve, publish],
    ]
}

/// From the status `setup` leads to, on `start` and after, the pledge reaches a closed status
/// one accepted command at a time.
fn walk_to_the_end(
    rules: &RuleSet,
    base: &[Command],
    setup: &[Event],
    start: Date,
) -> Vec<&'static str> {
    let mut c = campaign(rules, base);
    for (i, event) in setup.iter().enumerate() {
        let d = date(2010, 5, 3) + Span::new().days(i as i64);
        assert!(
            first_accepted(&mut c, d, event).is_some(),
            "setup {event:?}"
        );
    }
    let mut path = vec![status(&c).as_str()];
    let mut d = start;
    for attempt in 0..12 {
        if is_closed(status(&c)) {
            return path;
        }
        let Some((_, to)) = step(&mut c, d, attempt) else {
            panic!("dead end at {path:?} on {d}");
        };
        path.push(to.as_str());
        d += 1.day();
    }
    panic!("no end after 12 steps: {path:?}");
}

fn rule_sets() -> Vec<RuleSet> {
    let mut out = Vec::new();
    for (member_up, org_up) in [(0, 1), (1, 1), (2, 2), (3, 3), (0, 2)] {
        let mut r = RuleSet::default();
        r.pledge_review.member_levels_up = member_up;
        r.pledge_review.org_levels_up = org_up;
        out.push(r);
    }
    out
}

#[test]
fn every_pledge_of_every_owner_reaches_an_end_from_every_status() {
    let mut walked = 0;
    for rules in rule_sets() {
        for (owner, actor, carrier, depth) in owners() {
            let levels = match owner {
                OwnerRef::Org(_) => rules.pledge_review.org_levels_up,
                OwnerRef::Member(_) => rules.pledge_review.member_levels_up,
            };
            let mut base = tree();
            let drafted = draft(&owner, actor, carrier);
            if depth < levels {
                // No reviewer that far up: refused at once, and nothing changes.
                let mut c = campaign(&rules, &base);
                let before = (c.state_json(), c.seq(), c.last_hash());
                let err = c.execute(&drafted).expect_err("drafted without a reviewer");
                assert_eq!(err.code(), 3028, "{owner:?}: {err}");
                assert!(err.message_zh().contains("event.owner"));
                assert!(err.message_en().contains("event.owner"));
                assert_eq!((c.state_json(), c.seq(), c.last_hash()), before);
                continue;
            }
            base.push(drafted);
            for setup in setups() {
                for start in [date(2010, 5, 20), DEADLINE + 10.days()] {
                    let path = walk_to_the_end(&rules, &base, &setup, start);
                    assert!(is_closed(status_named(path.last().copied())), "{path:?}");
                    walked += 1;
                }
            }
        }
    }
    // 5 rule sets × 9 owners, less the refused ones, × 5 statuses × 2 starts.
    assert!(walked >= 5 * 2 * 6, "{walked}");
}

fn status_named(s: Option<&str>) -> PledgeStatus {
    PledgeStatus::ALL
        .into_iter()
        .find(|x| Some(x.as_str()) == s)
        .unwrap_or(PledgeStatus::Draft)
}

#[test]
fn the_roots_own_pledge_is_refused_at_draft_with_the_reason() {
    let rules = RuleSet::default();
    let mut c = campaign(&rules, &tree());
    let err = c
        .execute(&draft(
            &OwnerRef::Org(id("city")),
            Actor::org(&id("city")),
            None,
        ))
        .expect_err("the root's pledge has no reviewer");
    assert_eq!(err.code(), 3028);
    let zh = err.message_zh();
    assert!(
        zh.contains("字段 event.owner：") && zh.contains("分级审核"),
        "{zh}"
    );
    assert!(
        zh.contains('，') && zh.contains('（') && !zh.contains(", "),
        "{zh}"
    );
    let en = err.message_en();
    assert!(
        en.contains("field event.owner") && en.contains("\"city\""),
        "{en}"
    );
    assert!(c.state().pledges().is_empty());
    // Its townships' pledges are reviewed by it.
    c.execute(&draft(
        &OwnerRef::Org(id("t-01")),
        Actor::org(&id("t-01")),
        None,
    ))
    .unwrap();
}

#[test]
fn an_approved_pledge_whose_deadline_passed_unpublished_is_revised_back_to_draft() {
    let rules = RuleSet::default();
    let mut base = tree();
    base.push(draft(
        &OwnerRef::Org(id("v-1")),
        Actor::org(&id("v-1")),
        None,
    ));
    let mut c = campaign(&rules, &base);
    let v1 = || Actor::org(&id("v-1"));
    let p = || id("p");
    c.execute(&on(
        date(2010, 5, 3),
        v1(),
        Event::SubmitPledge(chuangzheng::pledge::SubmitPledge { pledge: p() }),
    ))
    .unwrap();
    c.execute(&on(
        date(2010, 5, 4),
        Actor::org(&id("t-01")),
        Event::ReviewPledge(chuangzheng::pledge::ReviewPledge {
            pledge: p(),
            decision: ReviewDecision::Approve,
        }),
    ))
    .unwrap();
    let late = date(2010, 7, 2);
    let err = c
        .execute(&on(
            late,
            v1(),
            Event::PublishPledge(chuangzheng::pledge::PublishPledge { pledge: p() }),
        ))
        .expect_err("published after its deadline");
    assert_eq!(err.code(), 3019);
    c.execute(&on(
        late,
        v1(),
        Event::RevisePledge(chuangzheng::pledge::RevisePledge {
            pledge: p(),
            content: content("修缮村道", date(2010, 9, 30)),
        }),
    ))
    .unwrap();
    let s = c.state();
    let pledge = s.pledge(s.pledge_by_id("p").unwrap());
    let statuses: Vec<_> = pledge.status.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(statuses, ["draft", "submitted", "approved", "draft"]);
    assert_eq!(pledge.versions.len(), 2);
    // The approval of the first version is kept; the new one is reviewed anew.
    assert_eq!(pledge.reviews.len(), 1);
    let err = c
        .execute(&on(
            late,
            v1(),
            Event::PublishPledge(chuangzheng::pledge::PublishPledge { pledge: p() }),
        ))
        .expect_err("a draft is not published");
    assert_eq!(err.code(), 3016);
}

/// A long text for a command built in Rust; the tests' texts are within bounds.
fn long_text(s: &str) -> chuangzheng::model::LongText {
    chuangzheng::model::LongText::new("test", s).unwrap()
}
