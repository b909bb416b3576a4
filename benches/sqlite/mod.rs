//! The stage report's rollups in SQLite, for comparison with the engine: the campaign's
//! records loaded into the tables of `benches/sql/schema.sql` (indexes from
//! `benches/sql/indexes.sql`), and the statements of `benches/sql/report.sql` run for a scope
//! and its parts. Used by `benches/province.rs` (the timing) and by `tests/sqlite.rs` (the
//! SQL gives the engine's figures, so the timing compares like with like).

#![allow(dead_code)] // Each user takes what it needs.

use std::collections::BTreeMap;

use chuangzheng::deliberation::Step;
use chuangzheng::ledger::State;
use chuangzheng::model::{OrgIdx, Ratio, UnitKind};
use chuangzheng::pledge::{Carrier, Owner, PledgeKind, ReviewDecision};
use chuangzheng::report::{Figure, Span, quota_key, unit_key};
use chuangzheng::rules::RuleSet;
use jiff::civil::{Date, date};
use rusqlite::Connection;
use rust_decimal::Decimal;

pub const SCHEMA: &str = include_str!("../sql/schema.sql");
pub const INDEXES: &str = include_str!("../sql/indexes.sql");
pub const REPORT: &str = include_str!("../sql/report.sql");

/// A date as the tables hold it: days since 1970-01-01.
pub fn day(d: Date) -> i64 {
    d.duration_since(date(1970, 1, 1)).as_secs() / 86_400
}

/// The spans the small city's figures are compared over (`tests/sqlite.rs`, and DuckDB's check
/// through `tests/duckdb_export.rs`): the whole campaign, its first two months, a quarter, four
/// weeks.
pub fn small_city_spans() -> [Span; 4] {
    [
        Span::as_of(chuangzheng::demo::AS_OF),
        Span::as_of(date(2010, 6, 30)),
        Span {
            from: Some(date(2010, 7, 1)),
            as_of: date(2010, 9, 30),
        },
        Span {
            from: Some(date(2010, 8, 2)),
            as_of: date(2010, 8, 29),
        },
    ]
}

/// The earliest day a span without a start stands for.
const BEFORE_ALL: i64 = -1_000_000;

/// Loads every record the rollups read (and the pledges' monthly reports) from `state` into a
/// new database at `conn`, then builds the indexes. Returns the rows written.
pub fn load(conn: &mut Connection, state: &State) -> rusqlite::Result<u64> {
    conn.execute_batch(SCHEMA)?;
    let tx = conn.transaction()?;
    let mut rows = 0u64;
    {
        let mut org = tx.prepare("INSERT INTO org VALUES (?1, ?2, ?3, ?4, ?5)")?;
        let mut closure = tx.prepare("INSERT INTO org_closure VALUES (?1, ?2, ?3)")?;
        for (i, o) in state.orgs().iter().enumerate() {
            let i = i as i64;
            org.execute((
                i,
                o.id.as_str(),
                o.parent.map(|p| p.0),
                o.kind.as_str(),
                day(o.since),
            ))?;
            let mut at = Some(OrgIdx(i as u32));
            let mut depth = 0i64;
            while let Some(a) = at {
                closure.execute((a.0, i, depth))?;
                at = state.org(a).parent;
                depth += 1;
                rows += 1;
            }
            rows += 1;
        }
        let mut member = tx.prepare("INSERT INTO member VALUES (?1, ?2, ?3)")?;
        let mut posting = tx.prepare("INSERT INTO posting VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        for (i, m) in state.members().iter().enumerate() {
            member.execute((i as i64, m.id.as_str(), m.category.as_str()))?;
            for (seq, (p, until)) in m.postings.spans().enumerate() {
                posting.execute((
                    i as i64,
                    seq as i64,
                    day(p.from),
                    until.map(day),
                    p.org.0,
                    p.role.as_str(),
                ))?;
                rows += 1;
            }
            rows += 1;
        }
        let mut pledge =
            tx.prepare("INSERT INTO pledge VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?;
        let mut status = tx.prepare("INSERT INTO pledge_status VALUES (?1, ?2, ?3, ?4, ?5)")?;
        let mut review = tx.prepare("INSERT INTO pledge_review VALUES (?1, ?2, ?3)")?;
        let mut report = tx.prepare("INSERT INTO pledge_report VALUES (?1, ?2, ?3, ?4)")?;
        let mut fulfilment = tx.prepare(
            "INSERT INTO fulfilment VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for (i, p) in state.pledges().iter().enumerate() {
            let i = i as i64;
            let (owner_org, owner_member) = match p.owner {
                Owner::Org(o) => (Some(o.0), None),
                Owner::Member(m) => (None, Some(m.0)),
            };
            pledge.execute((
                i,
                p.id.as_str(),
                owner_org,
                owner_member,
                p.kind.as_str(),
                p.focus.as_str(),
                p.carrier.map(Carrier::as_str),
                day(p.content().deadline),
                day(p.status.drafted_on()),
            ))?;
            let changes = &p.status[..];
            for (seq, c) in changes.iter().enumerate() {
                let until = changes.get(seq + 1).map(|n| day(n.from));
                status.execute((i, seq as i64, day(c.from), until, c.status.as_str()))?;
            }
            for r in &p.reviews {
                let returned = matches!(r.decision, ReviewDecision::Return { .. });
                review.execute((i, day(r.on), returned))?;
            }
            for r in &p.reports {
                let values: Vec<String> = r.achieved.iter().map(|a| a.value.to_string()).collect();
                report.execute((i, r.month.to_string(), day(r.filed), values.join(",")))?;
            }
            for f in &p.fulfilments {
                let o = &f.outputs;
                fulfilment.execute((
                    i,
                    day(f.on),
                    o.problems_solved as i64,
                    o.matters_done as i64,
                    o.clinics_held as i64,
                    o.cleanups_held as i64,
                    o.volunteer_teams as i64,
                    o.supervision_actions as i64,
                    o.resident_events as i64,
                    o.tech_groups as i64,
                    o.projects_completed as i64,
                    o.benefit_yuan.fen(),
                ))?;
            }
            rows += 1
                + (changes.len() + p.reviews.len() + p.reports.len() + p.fulfilments.len()) as u64;
        }
        let mut household = tx.prepare("INSERT INTO household VALUES (?1, ?2, ?3)")?;
        for (i, h) in state.households().iter().enumerate() {
            household.execute((i as i64, h.village.0, day(h.since)))?;
            rows += 1;
        }
        let mut reception = tx.prepare("INSERT INTO reception VALUES (?1, ?2, ?3, ?4)")?;
        let mut cadre = tx.prepare("INSERT INTO reception_cadre VALUES (?1, ?2)")?;
        for (i, r) in state.receptions().iter().enumerate() {
            reception.execute((i as i64, day(r.on), r.village.0, r.visitors))?;
            for m in &r.cadres {
                cadre.execute((i as i64, m.0))?;
            }
            rows += 1 + r.cadres.len() as u64;
        }
        let mut visit = tx.prepare("INSERT INTO visit VALUES (?1, ?2, ?3)")?;
        for v in state.visits() {
            visit.execute((day(v.on), v.cadre.0, v.household.0))?;
            rows += 1;
        }
        let mut concern = tx.prepare("INSERT INTO concern VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        for (i, c) in state.concerns().iter().enumerate() {
            let r = c.resolution.as_ref();
            concern.execute((
                i as i64,
                c.village.0,
                day(c.raised),
                r.map(|r| day(r.on)),
                r.map(|r| format!("{:?}", r.tier)),
                r.and_then(|r| r.handler).map(|h| h.0),
            ))?;
            rows += 1;
        }
        let mut unit = tx.prepare("INSERT INTO unit VALUES (?1, ?2, ?3)")?;
        let mut standing = tx.prepare("INSERT INTO unit_standing VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for (i, u) in state.units().iter().enumerate() {
            unit.execute((i as i64, u.kind.as_str(), u.area.0))?;
            for (s, until) in u.standings.spans() {
                standing.execute((
                    i as i64,
                    day(s.from),
                    until.map(day),
                    s.eligible,
                    s.covered_by.map(|o| o.0),
                ))?;
                rows += 1;
            }
            rows += 1;
        }
        let mut matter = tx.prepare("INSERT INTO matter VALUES (?1, ?2, ?3, ?4)")?;
        for m in state.matters() {
            matter.execute((
                m.village.0,
                day(m.proposed),
                m.day_of(Step::ResolutionPublication).map(day),
                m.day_of(Step::ResultPublication).map(day),
            ))?;
            rows += 1;
        }
        let a = state.activity();
        let mut case = tx.prepare("INSERT INTO hotline_case VALUES (?1, ?2, ?3, ?4)")?;
        for c in a.hotline_cases() {
            case.execute((
                c.org.0,
                day(c.received),
                c.resolved.as_ref().map(|s| day(s.on)),
                c.replied.as_ref().map(|s| day(s.on)),
            ))?;
            rows += 1;
        }
        let mut donation = tx.prepare("INSERT INTO donation VALUES (?1, ?2, ?3, ?4)")?;
        for d in a.donations() {
            donation.execute((d.org.0, d.member.0, day(d.on), d.amount_yuan.fen()))?;
            rows += 1;
        }
        let mut home = tx.prepare("INSERT INTO home_visit VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for v in a.home_visits() {
            home.execute((
                v.org.0,
                v.cadre.0,
                day(v.on),
                v.problems_solved,
                v.aid_yuan.fen(),
            ))?;
            rows += 1;
        }
        load_calendar(&tx)?;
    }
    tx.commit()?;
    conn.execute_batch(INDEXES)?;
    Ok(rows)
}

/// The calendar dimension, 2000 to 2030: each day's ISO week, month and quarter, and the
/// periods themselves.
fn load_calendar(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    let mut cal = tx.prepare("INSERT INTO calendar_day VALUES (?1, ?2, ?3, ?4)")?;
    let mut period = tx.prepare("INSERT OR IGNORE INTO period VALUES (?1, ?2, ?3)")?;
    let mut d = date(2000, 1, 1);
    while d <= date(2030, 12, 31) {
        let monday = d
            .checked_sub(jiff::Span::new().days(i64::from(d.weekday().to_monday_zero_offset())))
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        let month = d.first_of_month();
        let quarter = date(d.year(), (d.month() - 1) / 3 * 3 + 1, 1);
        cal.execute((day(d), day(monday), day(month), day(quarter)))?;
        let last = |first: Date, months: i32| {
            first
                .checked_add(jiff::Span::new().months(months))
                .and_then(|n| n.yesterday())
                .map(day)
                .unwrap_or(i64::MAX)
        };
        period.execute(("week", day(monday), day(monday) + 6))?;
        period.execute(("month", day(month), last(month, 1)))?;
        period.execute(("quarter", day(quarter), last(quarter, 3)))?;
        d = match d.tomorrow() {
            Ok(n) => n,
            Err(_) => break,
        };
    }
    Ok(())
}

/// Raw counts per part, keyed (`pledge.work.total`, `coverage.social.eligible`,
/// `m123.compliance.visits.villages.met`, amounts in fen as `….fen`).
pub type Counts = BTreeMap<String, i64>;

/// The rollups of `scope` over `span`: counts per part (keyed by the part's organization:
/// `scope` itself for its own records, else a child of `scope`).
pub fn report(
    conn: &Connection,
    rules: &RuleSet,
    scope: OrgIdx,
    span: Span,
) -> rusqlite::Result<BTreeMap<u32, Counts>> {
    let from = span.from.map_or(BEFORE_ALL, day);
    let as_of = day(span.as_of);
    let mut out: BTreeMap<u32, Counts> = BTreeMap::new();
    let mut start = None;
    for (name, sql) in statements() {
        let (name, sql) = (name.as_str(), sql.as_str());
        let mut add = |part: i64, key: String, n: i64| {
            *out.entry(part as u32).or_default().entry(key).or_default() += n;
        };
        match name {
            "scope" | "pledge_asof" => {
                let mut stmt_sql = sql.to_string();
                stmt_sql = stmt_sql.replace(":scope", &scope.0.to_string());
                stmt_sql = stmt_sql.replace(":from", &from.to_string());
                stmt_sql = stmt_sql.replace(":as_of", &as_of.to_string());
                conn.execute_batch(&stmt_sql)?;
            }
            "method123_start" => {
                let first: Option<i64> = conn.query_row(sql, [], |r| r.get(0))?;
                start = first.map(|f| f.max(from)).filter(|s| *s <= as_of);
            }
            _ => {
                let quota = name.strip_prefix("quota_");
                if quota.is_some() && start.is_none() {
                    continue;
                }
                let params: [(&str, i64); 6] = [
                    (":from", from),
                    (":as_of", as_of),
                    (":start", start.unwrap_or(from)),
                    (
                        ":receptions_per_week",
                        i64::from(rules.method123.receptions_per_week),
                    ),
                    (
                        ":visits_per_month",
                        i64::from(rules.method123.poor_household_visits_per_month),
                    ),
                    (
                        ":concerns_per_quarter",
                        i64::from(rules.method123.concerns_handled_per_quarter),
                    ),
                ];
                let mut stmt = conn.prepare(sql)?;
                for (p, v) in params {
                    if let Some(i) = stmt.parameter_index(p)? {
                        stmt.raw_bind_parameter(i, v)?;
                    }
                }
                let mut rows = stmt.raw_query();
                while let Some(r) = rows.next()? {
                    let part: i64 = r.get(0)?;
                    let counts = match quota {
                        Some(q) => vec![
                            (format!("m123.compliance.{q}.villages.judged"), r.get(1)?),
                            (format!("m123.compliance.{q}.villages.met"), r.get(2)?),
                        ],
                        None => row_counts(name, r)?,
                    };
                    for (key, n) in counts {
                        add(part, key, n);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The statements of `report.sql`, by name, without their comments (which name parameters a
/// statement does not take).
fn statements() -> &'static [(String, String)] {
    static STATEMENTS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    STATEMENTS.get_or_init(|| {
        REPORT
            .split("-- name: ")
            .skip(1)
            .filter_map(|s| {
                let (name, body) = s.split_once('\n')?;
                let body: Vec<&str> = body
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("--"))
                    .collect();
                Some((name.trim().to_string(), body.join("\n")))
            })
            .collect()
    })
}

fn kind_key(kind: &str) -> &'static str {
    if kind == PledgeKind::PracticalMatter.as_str() {
        "practical"
    } else {
        "work"
    }
}

fn unit_kind_key(kind: &str) -> &'static str {
    UnitKind::ALL
        .into_iter()
        .find(|k| k.as_str() == kind)
        .map_or("unknown", unit_key)
}

/// A result row's counts, keyed, after the part in column 0.
fn row_counts(name: &str, r: &rusqlite::Row<'_>) -> rusqlite::Result<Vec<(String, i64)>> {
    let n = |i: usize| -> rusqlite::Result<i64> { Ok(r.get::<_, Option<i64>>(i)?.unwrap_or(0)) };
    let s = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    Ok(match name {
        "pledge_counts" => {
            let k = kind_key(&s(1)?);
            vec![
                (format!("pledge.{k}.total"), n(2)?),
                (format!("pledge.{k}.completed"), n(3)?),
                ("pledge.completed_in_time".into(), n(4)?),
            ]
        }
        "pledge_revised" => vec![
            ("pledge.review.revised_orgs".into(), n(1)?),
            ("pledge.review.revised_members".into(), n(2)?),
        ],
        "carrier_members" => vec![(format!("carrier.{}.members", s(1)?), n(2)?)],
        "carrier_outputs" => {
            let c = s(1)?;
            let names = chuangzheng::pledge::Outputs::default().counts();
            let mut v = Vec::new();
            for (i, (name, _)) in names.iter().enumerate() {
                v.push((format!("carrier.{c}.{name}"), n(2 + i)?));
            }
            v.push((format!("carrier.{c}.benefit.fen"), n(11)?));
            v
        }
        "receptions" => vec![
            ("m123.receptions".into(), n(1)?),
            ("m123.visitors_received".into(), n(2)?),
        ],
        "visits" => vec![
            ("m123.household_visits".into(), n(1)?),
            ("m123.households_visited".into(), n(2)?),
        ],
        "concerns" => vec![
            ("m123.concerns_collected".into(), n(1)?),
            ("m123.concerns_resolved".into(), n(2)?),
            ("m123.concerns_open".into(), n(3)?),
        ],
        "cadres" => vec![
            ("m123.secretaries".into(), n(1)?),
            ("m123.committee_members".into(), n(2)?),
            ("m123.cadres_taking_part".into(), n(3)?),
        ],
        "coverage" => {
            let k = unit_kind_key(&s(1)?);
            vec![
                (format!("coverage.{k}.units"), n(2)?),
                (format!("coverage.{k}.eligible"), n(3)?),
                (format!("coverage.{k}.covered"), n(4)?),
            ]
        }
        "covering_orgs" => vec![(format!("coverage.{}.orgs", unit_kind_key(&s(1)?)), n(2)?)],
        "matters" => vec![
            ("deliberation.proposed".into(), n(1)?),
            ("deliberation.resolutions_published".into(), n(2)?),
            ("deliberation.results_published".into(), n(3)?),
        ],
        "hotline" => vec![
            ("service.hotline.cases".into(), n(1)?),
            ("service.hotline.resolved".into(), n(2)?),
            ("service.hotline.replied".into(), n(3)?),
        ],
        "donations" => vec![
            ("service.donation.donations".into(), n(1)?),
            ("service.donation.members".into(), n(2)?),
            ("service.donation.amount.fen".into(), n(3)?),
        ],
        "home_visits" => vec![
            ("service.home_visits.visits".into(), n(1)?),
            ("service.home_visits.cadres".into(), n(2)?),
            ("service.home_visits.problems_solved".into(), n(3)?),
            ("service.home_visits.aid.fen".into(), n(4)?),
        ],
        _ => Vec::new(),
    })
}

/// The counts the statements give beside the carriers' and the coverage's (which `figures`
/// fills in by kind).
const COUNT_KEYS: [&str; 28] = [
    "pledge.practical.total",
    "pledge.practical.completed",
    "pledge.work.total",
    "pledge.work.completed",
    "pledge.completed_in_time",
    "pledge.review.revised_orgs",
    "pledge.review.revised_members",
    "m123.receptions",
    "m123.visitors_received",
    "m123.household_visits",
    "m123.households_visited",
    "m123.concerns_collected",
    "m123.concerns_resolved",
    "m123.concerns_open",
    "m123.secretaries",
    "m123.committee_members",
    "m123.cadres_taking_part",
    "deliberation.proposed",
    "deliberation.resolutions_published",
    "deliberation.results_published",
    "service.hotline.cases",
    "service.hotline.resolved",
    "service.hotline.replied",
    "service.donation.donations",
    "service.donation.members",
    "service.home_visits.visits",
    "service.home_visits.cadres",
    "service.home_visits.problems_solved",
];

/// The counts of every part summed: the scope's.
pub fn total(parts: &BTreeMap<u32, Counts>) -> Counts {
    let mut t = Counts::new();
    for c in parts.values() {
        for (k, n) in c {
            *t.entry(k.clone()).or_default() += n;
        }
    }
    t
}

/// The report's figures from raw counts, keyed as the engine's report keys them: the counts
/// themselves, amounts in yuan, and the rates from their parts. Only the figures the SQL
/// computes.
pub fn figures(c: &Counts) -> BTreeMap<String, Figure> {
    let get = |k: &str| c.get(k).copied().unwrap_or(0);
    let mut out = BTreeMap::new();
    for (k, n) in c {
        if k.ends_with(".judged") || k.ends_with(".met") || k.ends_with(".fen") {
            continue;
        }
        out.insert(k.clone(), Figure::Count(*n as u64));
    }
    // A statement that found no rows leaves its counts out: they are zero.
    for key in COUNT_KEYS {
        out.entry(key.to_string()).or_insert(Figure::Count(0));
    }
    let yuan = |fen: i64| Figure::Yuan(Decimal::new(fen, 2).normalize());
    for carrier in Carrier::ALL {
        let key = carrier.as_str();
        out.insert(
            format!("carrier.{key}.benefit_yuan"),
            yuan(get(&format!("carrier.{key}.benefit.fen"))),
        );
        for (name, _) in chuangzheng::pledge::Outputs::default().counts() {
            out.entry(format!("carrier.{key}.{name}"))
                .or_insert(Figure::Count(0));
        }
        out.entry(format!("carrier.{key}.members"))
            .or_insert(Figure::Count(0));
    }
    out.insert(
        "service.donation.amount_yuan".into(),
        yuan(get("service.donation.amount.fen")),
    );
    out.insert(
        "service.home_visits.aid_yuan".into(),
        yuan(get("service.home_visits.aid.fen")),
    );
    let rate = |num: i64, den: i64| Figure::Rate(Ratio::new("sql", num as u64, den as u64).ok());
    for q in chuangzheng::report::Quota::ALL {
        let key = format!("m123.compliance.{}.villages", quota_key(q));
        out.insert(
            key.clone(),
            rate(get(&format!("{key}.met")), get(&format!("{key}.judged"))),
        );
    }
    for k in UnitKind::ALL {
        let key = unit_key(k);
        for field in ["units", "eligible", "covered", "orgs"] {
            out.entry(format!("coverage.{key}.{field}"))
                .or_insert(Figure::Count(0));
        }
        out.insert(
            format!("coverage.{key}.rate"),
            rate(
                get(&format!("coverage.{key}.covered")),
                get(&format!("coverage.{key}.eligible")),
            ),
        );
    }
    out.insert(
        "service.hotline.reply_rate".into(),
        rate(get("service.hotline.replied"), get("service.hotline.cases")),
    );
    out
}
