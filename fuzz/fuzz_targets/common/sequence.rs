//! The `command_sequence` target's decoder: bytes → a sequence of small operations → command
//! JSON lines with identifiers drawn from small pools, so that most commands name entities
//! that exist (or nearly so) and reach the ledger's deeper checks.
//!
//! Plain Rust on `chuangzheng` and `serde_json` only: the fuzz target includes it, and so does
//! the stable test `tests/fuzz_corpus.rs` (with `#[path]`), so both decode a corpus file the
//! same way. The fuzz target also checks, on every input, that `arbitrary`'s derived decoding
//! of [`Op`] gives exactly [`ops`]'s.

use serde_json::{Value, json};

/// One operation: five bytes. `kind` picks the command, the others pick pool entries,
/// quantities, the actor and small perturbations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Op {
    pub kind: u8,
    pub a: u8,
    pub b: u8,
    pub c: u8,
    pub d: u8,
}

/// At most this many operations per input (the preamble excluded).
pub const MAX_OPS: usize = 64;

/// The operations in `data`: consecutive 5-byte groups, the last one padded with zeros (as
/// `arbitrary` decodes a struct of five `u8` from a short tail).
pub fn ops(data: &[u8]) -> Vec<Op> {
    data.chunks(5)
        .take(MAX_OPS)
        .map(|c| {
            let g = |i: usize| c.get(i).copied().unwrap_or(0);
            Op {
                kind: g(0),
                a: g(1),
                b: g(2),
                c: g(3),
                d: g(4),
            }
        })
        .collect()
}

/// Organizations: id, natural kind, natural parent.
const ORGS: &[(&str, &str, &str)] = &[
    ("city", "city_committee", ""),
    ("t-1", "township_committee", "city"),
    ("t-2", "township_committee", "city"),
    ("s-1", "street_committee", "city"),
    ("d-1", "city_department", "city"),
    ("v-1", "village", "t-1"),
    ("v-2", "village", "t-1"),
    ("v-3", "village", "t-2"),
    ("c-1", "community", "s-1"),
    ("o-1", "organ", "d-1"),
    ("e-1", "enterprise", "t-1"),
    ("so-1", "social_organization", "s-1"),
    ("co-1", "cooperative", "t-2"),
    ("x-1", "school", "d-1"),
    ("x-2", "clinic", "t-2"),
];
const ORG_KINDS: &[&str] = &[
    "city_committee",
    "township_committee",
    "street_committee",
    "farm_committee",
    "city_department",
    "village",
    "community",
    "organ",
    "school",
    "clinic",
    "enterprise",
    "social_organization",
    "cooperative",
];
const VILLAGES: &[&str] = &["v-1", "v-2", "v-3", "c-1"];
/// Members: id, organization, role (the preamble adds the first eight).
const MEMBERS: &[(&str, &str, &str)] = &[
    ("m-1", "v-1", "secretary"),
    ("m-2", "v-1", "committee_member"),
    ("m-3", "v-1", "ordinary"),
    ("m-4", "v-3", "secretary"),
    ("m-5", "v-3", "committee_member"),
    ("m-6", "c-1", "ordinary"),
    ("m-7", "e-1", "secretary"),
    ("m-8", "o-1", "ordinary"),
    ("m-9", "v-2", "secretary"),
    ("m-10", "co-1", "ordinary"),
];
const CATEGORIES: &[&str] = &["farmer", "organ", "community", "enterprise", "other"];
const ROLES: &[&str] = &["secretary", "committee_member", "ordinary"];
const LEADER_LEVELS: &[&str] = &["none", "section", "city"];
const UNIT_KINDS: &[&str] = &[
    "non_public_enterprise",
    "social_organization",
    "cooperative",
];
const CONCERN_CATEGORIES: &[&str] = &[
    "land_boundary",
    "housing_application",
    "schooling",
    "health",
    "production",
    "infrastructure",
    "welfare",
    "other",
];
const CODES: &[&str] = &["road", "medical_clinic", "x", "a_1"];
const DECIMALS: &[&str] = &[
    "0",
    "1",
    "2",
    "2.5",
    "10",
    "0.000001",
    "999999999999999.999999",
];

fn pick<T: Copy>(pool: &[T], i: u8) -> T {
    pool[usize::from(i) % pool.len()]
}

fn org(i: u8) -> &'static str {
    pick(ORGS, i).0
}

fn member(i: u8) -> &'static str {
    pick(MEMBERS, i).0
}

fn pooled(prefix: &str, i: u8, n: u8) -> String {
    format!("{prefix}-{}", i % n + 1)
}

fn date_plus(days: i64) -> String {
    let start = jiff::civil::date(2010, 5, 1);
    start
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(start)
        .to_string()
}

/// The commands every input starts with: the tree, eight members, a unit.
fn preamble() -> Vec<Value> {
    let mut out = Vec::new();
    for &(id, kind, parent) in &ORGS[..13] {
        let mut ev = json!({"id": id, "name": format!("{id} 党组织"), "kind": kind});
        let actor = if parent.is_empty() { id } else { "city" };
        if !parent.is_empty() {
            ev["parent"] = json!(parent);
        }
        out.push(json!({"at": "2010-05-01", "actor": {"org": actor}, "event": {"create_org": ev}}));
    }
    for (i, &(id, o, role)) in MEMBERS[..8].iter().enumerate() {
        out.push(
            json!({"at": "2010-05-01", "actor": {"org": "city"}, "event": {"add_member": {
            "id": id, "org": o, "category": CATEGORIES[i % CATEGORIES.len()], "role": role}}}),
        );
    }
    out.push(json!({"at": "2010-05-01", "actor": {"org": "city"}, "event": {"register_unit": {
        "id": "u-1", "name": "企业一", "kind": "non_public_enterprise", "area": "t-1", "eligible": true}}}));
    out
}

/// The actor: `d & 3` picks the root, the organization the command is about, that
/// organization acting through a member, or a member.
fn actor(d: u8, ctx: &str, who: u8) -> Value {
    match d & 3 {
        0 => json!({"org": "city"}),
        1 => json!({"org": ctx}),
        2 => json!({"org": ctx, "by": member(who)}),
        _ => json!({"member": member(who)}),
    }
}

fn content(a: u8, b: u8, day: i64) -> Value {
    let mut targets = Vec::new();
    for i in 0..(a % 3) {
        let goal = if (b >> i) & 1 == 0 {
            json!(pick(DECIMALS, b.wrapping_add(i)))
        } else {
            json!({"min": "1", "max": pick(DECIMALS, b.wrapping_add(i).wrapping_add(3))})
        };
        targets.push(json!({"metric": format!("指标{i}"), "unit": "件", "goal": goal}));
    }
    let mut c = json!({
        "title": "承诺书",
        "text": format!("年内办实事{a}件"),
        "deadline": date_plus(day + i64::from(b % 200) - 20),
        "targets": targets,
    });
    if b & 0x80 != 0 {
        c["milestones"] = json!([
            {"by": date_plus(day + 30), "percent": b % 101},
            {"by": date_plus(day + 60), "percent": 100},
        ]);
    }
    c
}

fn ballots(x: u8) -> Value {
    if x & 1 == 0 {
        json!({"counts": {"excellent": x % 4, "qualified": x % 7, "basically_qualified": x % 3, "unqualified": x % 2}})
    } else {
        json!({"score": pick(&["87.5", "100", "0", "59.99", "100.01"], x >> 1)})
    }
}

/// The command for one operation on `day` (days since 2010-05-01), or `None` for an
/// operation that only moves the clock (it updates `day`).
fn command(op: Op, day: &mut i64) -> Option<Value> {
    let Op { kind, a, b, c, d } = op;
    // Now and then a command dated a few days back, to exercise the date-order checks.
    let at_day = if d >> 6 == 3 { *day - 5 } else { *day };
    let at = if d & 0x20 != 0 {
        format!("{}T{:02}:30:00", date_plus(at_day), c % 24)
    } else {
        date_plus(at_day)
    };
    let village = pick(VILLAGES, b);
    let (ev, ctx): (Value, &str) = match kind % 52 {
        0 => {
            let (id, nkind, nparent) = pick(ORGS, a);
            let (k, parent) = if c & 0x80 != 0 {
                (pick(ORG_KINDS, c), org(b))
            } else {
                (nkind, nparent)
            };
            let mut ev = json!({"id": id, "name": format!("{id} 新"), "kind": k});
            if !parent.is_empty() {
                ev["parent"] = json!(parent);
            }
            (
                json!({"create_org": ev}),
                if parent.is_empty() { id } else { parent },
            )
        }
        1 => {
            let (id, o, role) = pick(MEMBERS, a);
            let (o, role) = if c & 0x80 != 0 {
                (org(b), pick(ROLES, c))
            } else {
                (o, role)
            };
            let mut ev = json!({"id": id, "org": o, "category": pick(CATEGORIES, c), "role": role});
            if c & 0x40 != 0 {
                ev["leader_level"] = json!(pick(LEADER_LEVELS, c >> 2));
            }
            (json!({"add_member": ev}), o)
        }
        2 => (
            json!({"post_member": {"member": member(a), "org": org(b), "role": pick(ROLES, c)}}),
            org(b),
        ),
        3 => (
            json!({"move_org": {"org": org(a), "parent": org(b)}}),
            org(b),
        ),
        4 => (
            json!({"rename_org": {"org": org(a), "name": format!("新名{c}")}}),
            org(a),
        ),
        5 => (
            json!({"set_leader_level": {"member": member(a), "leader_level": pick(LEADER_LEVELS, c)}}),
            "city",
        ),
        6 => (
            json!({"register_household": {"id": pooled("h", a, 4), "village": village}}),
            village,
        ),
        7 => (
            json!({"remove_household": {"household": pooled("h", a, 4)}}),
            village,
        ),
        8 => {
            let n = usize::from(c % 4);
            let cadres: Vec<&str> = (0..n).map(|i| member(a.wrapping_add(i as u8))).collect();
            let visitors = if c & 0x80 != 0 {
                10_001
            } else {
                u32::from(b) % 40
            };
            (
                json!({"record_reception": {"village": village, "cadres": cadres, "visitors": visitors}}),
                village,
            )
        }
        9 => (
            json!({"record_visit": {"cadre": member(a), "household": pooled("h", c, 4)}}),
            village,
        ),
        10 => {
            let owner = if c & 1 == 0 {
                json!({"org": org(b)})
            } else {
                json!({"member": member(b)})
            };
            let mut ev = json!({
                "id": pooled("p", a, 4),
                "owner": owner,
                "kind": pick(&["work", "practical_matter"], c >> 1),
                "focus": pick(&["central_work", "own_situation", "masses_wishes"], c >> 2),
                "content": content(c, b, *day),
            });
            if c & 0x40 != 0 {
                ev["carrier"] = json!(pick(
                    &[
                        "set_post_duty",
                        "dual_post",
                        "building_duty",
                        "vanguard_post"
                    ],
                    c >> 4
                ));
            }
            (json!({"draft_pledge": ev}), org(b))
        }
        11 => (
            json!({"revise_pledge": {"pledge": pooled("p", a, 4), "content": content(c, b, *day)}}),
            org(b),
        ),
        12 => (
            json!({"submit_pledge": {"pledge": pooled("p", a, 4)}}),
            org(b),
        ),
        13 => {
            let decision = if c & 1 == 0 {
                json!("approve")
            } else {
                json!({"return": {"reasons": "请修改"}})
            };
            (
                json!({"review_pledge": {"pledge": pooled("p", a, 4), "decision": decision}}),
                org(b),
            )
        }
        14 => (
            json!({"publish_pledge": {"pledge": pooled("p", a, 4)}}),
            org(b),
        ),
        15 => {
            let month = &date_plus(*day - i64::from(c % 3) * 30)[..7];
            let achieved: Vec<Value> = (0..(c % 3))
                .map(|i| json!({"target": (b.wrapping_add(i)) % 3, "value": pick(DECIMALS, b.wrapping_add(i))}))
                .collect();
            let mut ev = json!({"pledge": pooled("p", a, 4), "month": month, "achieved": achieved});
            if c & 0x80 != 0 {
                ev["correction"] = json!(true);
            }
            if c & 0x40 != 0 {
                ev["note"] = json!("进展");
            }
            (json!({"report_progress": ev}), org(b))
        }
        16 => (
            json!({"record_fulfilment": {"pledge": pooled("p", a, 4), "outputs": {
                "problems_solved": c % 5, "matters_done": b % 3, "benefit_yuan": pick(&["0", "12.5", "1050", "0.001"], c)}}}),
            org(b),
        ),
        17 => (
            json!({"fulfil_pledge": {"pledge": pooled("p", a, 4)}}),
            org(b),
        ),
        18 => {
            let q = format!("2010-Q{}", c % 4 + 1);
            (
                json!({"urge_pledge": {"pledge": pooled("p", a, 4), "quarter": q, "standing": pick(&["on_track", "lagging", "stalled"], c >> 2)}}),
                org(b),
            )
        }
        19 => (
            json!({"close_pledge": {"pledge": pooled("p", a, 4), "closing": pick(&["withdrawn", "unfulfilled"], c), "explanation": "未能完成"}}),
            org(b),
        ),
        20 => {
            let mut ev =
                json!({"pledge": pooled("p", a, 4), "year": pick(&["2010", "2011", "2009"], c)});
            if c & 4 != 0 {
                ev["survey"] = json!({"satisfied": b % 9, "dissatisfied": c % 3});
            }
            if c & 8 != 0 {
                ev["spot_check"] = json!({"passed": c & 16 != 0});
            }
            if c & 0x80 != 0 {
                ev["correction"] = json!(true);
            }
            (json!({"record_evaluation": ev}), org(b))
        }
        21 => {
            let mut ev = json!({"member": member(a), "round": pick(&["2010", "2011"], c)});
            if c & 2 != 0 {
                ev["report_submitted"] = json!(date_plus(*day - i64::from(b % 10)));
            }
            if c & 4 != 0 {
                ev["self_review"] = ballots(b);
            }
            if c & 8 != 0 {
                ev["peers"] = ballots(b >> 1);
            }
            if c & 16 != 0 {
                ev["masses"] = ballots(b >> 2);
            }
            if c & 32 != 0 {
                ev["committee"] = ballots(b >> 3);
            }
            if c & 64 != 0 {
                ev["sanctioned"] = json!(true);
            }
            if c & 128 != 0 {
                ev["correction"] = json!(true);
            }
            (json!({"record_member_evaluation": ev}), org(b))
        }
        22 => {
            let mut ev = json!({"id": pooled("q", a, 3), "village": village,
                "channel": pick(&["reception", "visit", "other"], c),
                "category": pick(CONCERN_CATEGORIES, c >> 2), "text": "群众反映的问题"});
            if c & 0x80 != 0 {
                ev["raised_by"] = json!("张三");
            }
            (json!({"raise_concern": ev}), village)
        }
        23 => (
            json!({"escalate_concern": {"concern": pooled("q", a, 3), "to": pick(&["township", "party_committee", "village"], c)}}),
            org(b),
        ),
        24 => {
            let mut ev = json!({"concern": pooled("q", a, 3), "outcome": "已解决"});
            if c & 1 != 0 {
                ev["feedback"] = json!("已反馈");
            }
            if c & 2 != 0 {
                ev["handler"] = json!(member(c >> 2));
            }
            (json!({"resolve_concern": ev}), village)
        }
        25 => {
            let mut ev = json!({"id": pooled("dm", a, 3), "village": village, "title": "修路", "text": "村道硬化"});
            if c & 1 != 0 {
                ev["category"] = json!(pick(
                    &[
                        "collective_assets",
                        "land",
                        "project",
                        "finance",
                        "welfare",
                        "other"
                    ],
                    c >> 1
                ));
            }
            (json!({"propose_matter": ev}), village)
        }
        26 => (
            json!({"discuss_matter": {"matter": pooled("dm", a, 3), "for": c % 9, "against": b % 4, "total": (c >> 4) % 12}}),
            village,
        ),
        27 => (
            json!({"deliberate_matter": {"matter": pooled("dm", a, 3), "expected": u32::from(c % 30), "attending": u32::from(b % 30), "for": u32::from(b % 17)}}),
            village,
        ),
        28 => {
            let decision = if c & 1 == 0 {
                json!("approve")
            } else {
                json!({"veto": {"reasons": "与法规不符"}})
            };
            (
                json!({"review_matter": {"matter": pooled("dm", a, 3), "decision": decision}}),
                org(b),
            )
        }
        29 => (
            json!({"resolve_matter": {"matter": pooled("dm", a, 3), "attending": u32::from(c), "for": u32::from(b)}}),
            village,
        ),
        30 => (
            json!({"publish_resolution": {"matter": pooled("dm", a, 3)}}),
            village,
        ),
        31 => (
            json!({"publish_result": {"matter": pooled("dm", a, 3), "result": "已实施"}}),
            village,
        ),
        32 => (
            json!({"receive_hotline_case": {"id": pooled("hl", a, 3), "org": org(b), "category": pick(CODES, c), "text": "来电"}}),
            org(b),
        ),
        33 => {
            let mut ev = json!({"case": pooled("hl", a, 3)});
            if c & 1 != 0 {
                ev["reply"] = json!("已答复");
            }
            (json!({"reply_hotline_case": ev}), org(b))
        }
        34 => (
            json!({"resolve_hotline_case": {"case": pooled("hl", a, 3), "outcome": "已解决"}}),
            org(b),
        ),
        35 => (
            json!({"register_unit": {"id": pooled("u", a, 3), "name": "单位", "kind": pick(UNIT_KINDS, c), "area": org(b), "eligible": c & 0x80 != 0}}),
            org(b),
        ),
        36 => {
            let mut ev = json!({"unit": pooled("u", a, 3)});
            if c & 1 == 0 {
                ev["org"] = json!(org(b));
            }
            (json!({"cover_unit": ev}), org(b))
        }
        37 => (
            json!({"set_unit_eligibility": {"unit": pooled("u", a, 3), "eligible": c & 1 != 0}}),
            org(b),
        ),
        38 => {
            let mut ev = json!({"id": pooled("dn", a, 3), "member": member(b), "amount_yuan": pick(&["486", "0.01", "0", "1.001", "-1"], c)});
            if c & 0x80 != 0 {
                ev["drive"] = json!("防汛救灾");
            }
            (json!({"record_donation": ev}), pick(MEMBERS, b).1)
        }
        39 => (
            json!({"record_home_visit": {"id": pooled("hv", a, 3), "cadre": member(b), "problems_solved": c % 4, "aid_yuan": pick(&["0", "294", "12.34"], c >> 2)}}),
            pick(MEMBERS, b).1,
        ),
        40 => (
            json!({"found_volunteer_team": {"id": pooled("vt", a, 2), "name": "义工队", "org": org(b)}}),
            org(b),
        ),
        41 => (
            json!({"join_volunteer_team": {"team": pooled("vt", a, 2), "member": member(c)}}),
            org(b),
        ),
        42 => (
            json!({"leave_volunteer_team": {"team": pooled("vt", a, 2), "member": member(c)}}),
            org(b),
        ),
        43 => {
            let mut ev = json!({"id": pooled("va", a, 3), "team": pooled("vt", b, 2), "kind": pick(CODES, c), "people_served": c});
            if c & 0x80 != 0 {
                ev["outputs"] = json!([{"what": "meals", "count": b}]);
            }
            (json!({"record_volunteer_activity": ev}), org(b))
        }
        44 => (
            json!({"link_contact_point": {"leader": member(a), "org": org(b)}}),
            org(b),
        ),
        45 => (
            json!({"unlink_contact_point": {"leader": member(a), "org": org(b)}}),
            org(b),
        ),
        46 | 47 => {
            let target = if c & 1 == 0 {
                json!({"unit": pooled("u", b, 3)})
            } else {
                json!({"village": village})
            };
            let name = if kind % 52 == 46 {
                "assign_instructor"
            } else {
                "unassign_instructor"
            };
            (
                json!({name: {"instructor": member(a), "target": target}}),
                org(b),
            )
        }
        48 => (
            json!({"record_activity": {"id": pooled("ac", a, 3), "org": org(b), "kind": pick(CODES, c), "title": "活动", "participants": c, "people_served": b}}),
            org(b),
        ),
        49 | 50 => {
            let partner = if c & 1 == 0 {
                json!({"org": pick(&["d-1", "x-1", "x-2", "o-1"], a)})
            } else {
                json!({"member": member(a)})
            };
            let name = if kind % 52 == 49 {
                "pair_village"
            } else {
                "unpair_village"
            };
            (
                json!({name: {"partner": partner, "village": village}}),
                village,
            )
        }
        _ => {
            *day += i64::from(a % 60) + 1;
            return None;
        }
    };
    Some(json!({"at": at, "actor": actor(d, ctx, c.wrapping_add(a)), "event": ev}))
}

/// The command lines for `data`: the preamble, then one line per operation (clock moves
/// excluded). Every line is a JSON object; some are refused by `Command::from_json` (a goal
/// range upside down, a date out of range …), most are well-formed commands.
pub fn command_lines(data: &[u8]) -> Vec<String> {
    let mut out: Vec<String> = preamble().iter().map(Value::to_string).collect();
    let mut day = 1i64;
    for op in ops(data) {
        if let Some(cmd) = command(op, &mut day) {
            out.push(cmd.to_string());
        }
    }
    out
}
