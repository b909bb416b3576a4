"""The stage report's rollups in DuckDB (issue 22, goal 4): the SQLite comparison's tables and
statements, run by the engine an analyst would pick today for such rollups.

The tables are those of `benches/sql/schema.sql`, read from an SQLite file that
`benches/sqlite/mod.rs::load` wrote (`tests/duckdb_export.rs` for the small provinces,
`benches/province.rs` for the province bench's data) with Python's own `sqlite3`, written out as
CSV and read into an in-memory DuckDB database with `read_csv` and each column's type (INTEGER
as BIGINT, TEXT as VARCHAR). No DuckDB extension is loaded, so nothing is downloaded. No index
is made: DuckDB keeps min/max statistics per row group and joins by hashing.

The statements are those of `benches/sql/report.sql`, taken apart as `benches/sqlite/mod.rs`
takes them (by their `-- name:` lines, comment lines dropped) and changed only where DuckDB's
dialect needs it, mechanically (`adapt` below):

1. SQLite's two-argument scalar `MAX(a, b)` is written `GREATEST(a, b)` (and `MIN(a, b)`
   `LEAST(a, b)`): in DuckDB `max` is only the aggregate. The one use is the quotas' first
   judged period, `MAX(:start, o.since)`.
2. Parameters `:name` are written `$name` (DuckDB's named parameters) and bound per statement
   as the Rust side binds them; the `scope` and `pledge_asof` statements get their values
   written in, as the Rust side does, and their several statements are run one by one.

The rows are turned into counts per part, then into the report's figures, as
`benches/sqlite/mod.rs` does (`row_counts`, `total`, `figures`); rates and amounts are exact
decimals, a rate rounded half up as the engine's `Ratio::to_decimal(28)` does.

Run (PYTHONPATH from `benches/duckdb/install.sh`):

    python3 benches/duckdb/report.py check target/duckdb
        every `*.expected.json` there (from tests/duckdb_export.rs): each case's figures, whole
        and by part, against the engine's; exits 1 on any difference.
    python3 benches/duckdb/report.py bench target/bench-data/province-4-year.sqlite \
        --township k000.t-01 --as-of 2011-06-30 --runs 10
        the province's and the township's rollups, warm, median of the runs, as JSON.
"""

import argparse
import csv
import datetime
import json
import os
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
REPORT_SQL = HERE.parent / "sql" / "report.sql"

# The earliest day a span without a start stands for (benches/sqlite/mod.rs: BEFORE_ALL).
BEFORE_ALL = -1_000_000

# The report's vocabularies, as the engine writes them (src/pledge, src/model/unit.rs,
# src/report/stage.rs). `check` fails if any of them drifts from the engine's.
CARRIERS = ["set_post_duty", "dual_post", "building_duty", "vanguard_post"]
OUTPUTS = [
    "problems_solved",
    "matters_done",
    "clinics_held",
    "cleanups_held",
    "volunteer_teams",
    "supervision_actions",
    "resident_events",
    "tech_groups",
    "projects_completed",
]
UNIT_KEYS = {
    "non_public_enterprise": "non_public",
    "social_organization": "social",
    "cooperative": "cooperative",
}
QUOTAS = ["receptions", "visits", "concerns"]
COUNT_KEYS = [
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
]


def day(d: datetime.date) -> int:
    """A date as the tables hold it: days since 1970-01-01."""
    return (d - datetime.date(1970, 1, 1)).days


# --- The statements ---------------------------------------------------------------------------

TWO_ARG = re.compile(r"\b(MAX|MIN)\(\s*([^(),]+?)\s*,\s*([^(),]+?)\s*\)")
PARAM = re.compile(r":([a-z_]+)\b")


def adapt(sql: str) -> str:
    """report.sql's SQLite dialect to DuckDB's: the two changes the module's text lists."""
    sql = TWO_ARG.sub(lambda m: f"{'GREATEST' if m[1] == 'MAX' else 'LEAST'}({m[2]}, {m[3]})", sql)
    return PARAM.sub(r"$\1", sql)


def statements(text: str):
    """The statements of report.sql by name, without comment lines (benches/sqlite/mod.rs)."""
    out = []
    for chunk in text.split("-- name: ")[1:]:
        name, _, body = chunk.partition("\n")
        lines = [l for l in body.splitlines() if not l.lstrip().startswith("--")]
        out.append((name.strip(), "\n".join(lines)))
    return out


SQLITE = statements(REPORT_SQL.read_text())
DUCKDB = [(name, adapt(sql)) for name, sql in SQLITE]
# Statements changed beyond their parameters' spelling.
ADAPTED = sum(PARAM.sub(r"$\1", a) != b for (_, a), (_, b) in zip(SQLITE, DUCKDB))


def kind_key(kind):
    return "practical" if kind == "practical_matter" else "work"


def unit_kind_key(kind):
    return UNIT_KEYS.get(kind, "unknown")


def row_counts(name, r):
    """A result row's counts, keyed, after the part in column 0 (benches/sqlite/mod.rs)."""

    def n(i):
        return int(r[i]) if r[i] is not None else 0

    if name == "pledge_counts":
        k = kind_key(r[1])
        return [(f"pledge.{k}.total", n(2)), (f"pledge.{k}.completed", n(3)),
                ("pledge.completed_in_time", n(4))]
    if name == "pledge_revised":
        return [("pledge.review.revised_orgs", n(1)), ("pledge.review.revised_members", n(2))]
    if name == "carrier_members":
        return [(f"carrier.{r[1]}.members", n(2))]
    if name == "carrier_outputs":
        c = r[1]
        return [(f"carrier.{c}.{o}", n(2 + i)) for i, o in enumerate(OUTPUTS)] + [
            (f"carrier.{c}.benefit.fen", n(11))]
    if name == "receptions":
        return [("m123.receptions", n(1)), ("m123.visitors_received", n(2))]
    if name == "visits":
        return [("m123.household_visits", n(1)), ("m123.households_visited", n(2))]
    if name == "concerns":
        return [("m123.concerns_collected", n(1)), ("m123.concerns_resolved", n(2)),
                ("m123.concerns_open", n(3))]
    if name == "cadres":
        return [("m123.secretaries", n(1)), ("m123.committee_members", n(2)),
                ("m123.cadres_taking_part", n(3))]
    if name == "coverage":
        k = unit_kind_key(r[1])
        return [(f"coverage.{k}.units", n(2)), (f"coverage.{k}.eligible", n(3)),
                (f"coverage.{k}.covered", n(4))]
    if name == "covering_orgs":
        return [(f"coverage.{unit_kind_key(r[1])}.orgs", n(2))]
    if name == "matters":
        return [("deliberation.proposed", n(1)), ("deliberation.resolutions_published", n(2)),
                ("deliberation.results_published", n(3))]
    if name == "hotline":
        return [("service.hotline.cases", n(1)), ("service.hotline.resolved", n(2)),
                ("service.hotline.replied", n(3))]
    if name == "donations":
        return [("service.donation.donations", n(1)), ("service.donation.members", n(2)),
                ("service.donation.amount.fen", n(3))]
    if name == "home_visits":
        return [("service.home_visits.visits", n(1)), ("service.home_visits.cadres", n(2)),
                ("service.home_visits.problems_solved", n(3)),
                ("service.home_visits.aid.fen", n(4))]
    return []


def report(con, rules, scope, from_day, as_of, stmts=DUCKDB, mark="$", timings=None):
    """The rollups of `scope` over [from_day, as_of] (from_day None: from the start): counts per
    part, keyed by the part's organization index (benches/sqlite/mod.rs::report). `stmts` and
    `mark` (the parameters' prefix): DuckDB's, or report.sql unchanged for Python's sqlite3.
    `timings`, if given, gets each statement's seconds appended under its name."""
    frm = BEFORE_ALL if from_day is None else from_day
    out = {}
    start = None
    for name, sql in stmts:
        began = time.perf_counter()
        try:
            start = _statement(con, rules, scope, frm, as_of, name, sql, mark, start, out)
        finally:
            if timings is not None:
                timings.setdefault(name, []).append(time.perf_counter() - began)
    return out


def _statement(con, rules, scope, frm, as_of, name, sql, mark, start, out):
    """Runs one statement of `report`, adding its rows' counts to `out`; returns the 123
    method's first judged day as known after it."""
    if name in ("scope", "pledge_asof"):
        text = sql.replace(f"{mark}scope", str(scope)).replace(f"{mark}from", str(frm))
        text = text.replace(f"{mark}as_of", str(as_of))
        for s in text.split(";"):
            if s.strip():
                con.execute(s)
        return start
    if name == "method123_start":
        first = con.execute(sql).fetchone()[0]
        start = None if first is None else max(int(first), frm)
        if start is not None and start > as_of:
            start = None
        return start
    quota = name[len("quota_"):] if name.startswith("quota_") else None
    if quota is not None and start is None:
        return start
    values = {
        "from": frm,
        "as_of": as_of,
        "start": frm if start is None else start,
        "receptions_per_week": rules["receptions_per_week"],
        "visits_per_month": rules["visits_per_month"],
        "concerns_per_quarter": rules["concerns_per_quarter"],
    }
    params = {k: v for k, v in values.items() if f"{mark}{k}" in sql}
    for r in con.execute(sql, params).fetchall():
        part = int(r[0])
        if quota is not None:
            counts = [(f"m123.compliance.{quota}.villages.judged", int(r[1])),
                      (f"m123.compliance.{quota}.villages.met", int(r[2]))]
        else:
            counts = row_counts(name, r)
        c = out.setdefault(part, {})
        for key, v in counts:
            c[key] = c.get(key, 0) + v
    return start


def total(parts):
    t = {}
    for c in parts.values():
        for k, v in c.items():
            t[k] = t.get(k, 0) + v
    return t


# --- Counts to figures ------------------------------------------------------------------------

MAX_MANTISSA = (1 << 96) - 1
MAX_SCALE = 28


def rate(num, den):
    """`Ratio::to_decimal(28)` (src/model/amount.rs): the quotient's digits while they fit in
    rust_decimal's 96 bits, rounded half up; None over zero."""
    if den == 0:
        return None
    mantissa, remainder = divmod(num, den)
    scale = 0
    while scale < MAX_SCALE and mantissa <= (MAX_MANTISSA - 10) // 10:
        remainder *= 10
        mantissa = mantissa * 10 + remainder // den
        remainder %= den
        scale += 1
    if remainder * 2 >= den:
        mantissa += 1
    return Decimal(mantissa).scaleb(-scale)


def yuan(fen):
    return Decimal(fen).scaleb(-2)


def figures(c):
    """The report's figures from counts, keyed as the engine keys them: (kind, value), the
    value an int, a Decimal, or None for a rate over zero (benches/sqlite/mod.rs::figures)."""

    def get(k):
        return c.get(k, 0)

    out = {}
    for k, v in c.items():
        if k.endswith((".judged", ".met", ".fen")):
            continue
        out[k] = ("count", v)
    for k in COUNT_KEYS:
        out.setdefault(k, ("count", 0))
    for carrier in CARRIERS:
        out[f"carrier.{carrier}.benefit_yuan"] = ("yuan", yuan(get(f"carrier.{carrier}.benefit.fen")))
        for o in OUTPUTS:
            out.setdefault(f"carrier.{carrier}.{o}", ("count", 0))
        out.setdefault(f"carrier.{carrier}.members", ("count", 0))
    out["service.donation.amount_yuan"] = ("yuan", yuan(get("service.donation.amount.fen")))
    out["service.home_visits.aid_yuan"] = ("yuan", yuan(get("service.home_visits.aid.fen")))
    for q in QUOTAS:
        key = f"m123.compliance.{q}.villages"
        out[key] = ("rate", rate(get(f"{key}.met"), get(f"{key}.judged")))
    for k in UNIT_KEYS.values():
        for field in ("units", "eligible", "covered", "orgs"):
            out.setdefault(f"coverage.{k}.{field}", ("count", 0))
        out[f"coverage.{k}.rate"] = ("rate", rate(get(f"coverage.{k}.covered"), get(f"coverage.{k}.eligible")))
    out["service.hotline.reply_rate"] = (
        "rate", rate(get("service.hotline.replied"), get("service.hotline.cases")))
    return out


# --- Loading ----------------------------------------------------------------------------------

def connect(sqlite_path, threads):
    """An in-memory DuckDB database holding every table of the SQLite file at `sqlite_path`.
    Returns the connection and what the load took."""
    started = time.perf_counter()
    src = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(threads)}")
    tables = [r[0] for r in src.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    rows = 0
    with tempfile.TemporaryDirectory(prefix="cz-duckdb-") as tmp:
        for t in tables:
            cols = [(r[1], "VARCHAR" if r[2].upper() == "TEXT" else "BIGINT")
                    for r in src.execute(f"PRAGMA table_info({t})")]
            path = os.path.join(tmp, f"{t}.csv")
            n = 0
            with open(path, "w", newline="") as f:
                w = csv.writer(f)
                for r in src.execute(f"SELECT * FROM {t}"):
                    w.writerow(["\\N" if v is None else v for v in r])
                    n += 1
            rows += n
            spec = ", ".join(f"'{c}': '{ty}'" for c, ty in cols)
            con.execute(
                f"CREATE TABLE {t} AS SELECT * FROM read_csv('{path}', header = false, "
                f"columns = {{{spec}}}, nullstr = '\\N', quote = '\"', escape = '\"', "
                f"auto_detect = false)")
            got = con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            assert got == n, f"{t}: {got} rows read of {n}"
    src.close()
    return con, rows, time.perf_counter() - started


def org_idx(con, org_id):
    r = con.execute("SELECT idx FROM org WHERE id = $id", {"id": org_id}).fetchone()
    if r is None:
        sys.exit(f"no organization {org_id}")
    return int(r[0])


# --- check ------------------------------------------------------------------------------------

def compare(kinds, engine, mine, where, errors):
    """Compares the engine's exact figures (decimal strings or None) with DuckDB's; returns how
    many were compared."""
    n = 0
    for key, kind in kinds.items():
        want = engine[key]
        want = None if want is None else Decimal(want)
        got_kind, got = mine.get(key, (kind, None if kind == "rate" else 0))
        if got_kind != kind:
            errors.append(f"{where} {key}: kind {got_kind}, the engine's {kind}")
        elif not (want == got if want is not None and got is not None else want is got):
            errors.append(f"{where} {key}: engine {want}, DuckDB {got}")
        n += 1
    return n


def check(args):
    docs = sorted(Path(args.dir).glob("*.expected.json"))
    if not docs:
        sys.exit(f"no *.expected.json in {args.dir}")
    print(f"duckdb {duckdb.__version__}, threads {args.threads}; report.sql: "
          f"{len(DUCKDB)} statements, {ADAPTED} with MAX/MIN of two written GREATEST/LEAST, parameters as $name")
    errors = []
    grand = 0
    for doc_path in docs:
        doc = json.loads(doc_path.read_text())
        kinds = doc["figures"]
        if len(kinds) != 93:
            errors.append(f"{doc_path.name}: {len(kinds)} figures, not 93")
        db = doc_path.with_name(doc_path.name.replace(".expected.json", ".sqlite"))
        con, rows, took = connect(db, args.threads)
        print(f"{doc['name']}: {doc['records']} records, {rows} rows loaded in {took:.2f} s")
        for case in doc["cases"]:
            parts = report(con, doc["rules"], case["scope"], case["from"], case["as_of"])
            mine = figures(total(parts))
            extra = set(mine) - set(kinds)
            if extra:
                errors.append(f"{doc['name']} {case['scope_id']}: figures the engine's 93 lack: "
                              f"{sorted(extra)}")
            where = f"{doc['name']} {case['scope_id']} {case['span']}"
            n = compare(kinds, case["total"], mine, where, errors)
            for p in case["parts"]:
                n += compare(kinds, p["figures"], figures(parts.get(p["org"], {})),
                             f"{where} part {p['id']}", errors)
            print(f"  {case['scope_id']:>10} {case['span']}: {n} figures compared "
                  f"(whole and {len(case['parts'])} parts)")
            grand += n
        con.close()
    for e in errors[:50]:
        print("DIFFERENT:", e)
    if errors:
        print(f"{len(errors)} of {grand} figures differ from the engine's")
        sys.exit(1)
    print(f"all {grand} figures equal the engine's")


# --- bench ------------------------------------------------------------------------------------

def bench(args):
    con, rows, took = connect(args.sqlite, args.threads)
    rules = {"receptions_per_week": args.receptions_per_week,
             "visits_per_month": args.visits_per_month,
             "concerns_per_quarter": args.concerns_per_quarter}
    as_of = day(datetime.date.fromisoformat(args.as_of))
    root = int(con.execute("SELECT idx FROM org WHERE parent IS NULL").fetchone()[0])
    scopes = [("province", root), ("township", org_idx(con, args.township))]
    out = {
        "duckdb": duckdb.__version__,
        "threads": int(con.execute("SELECT current_setting('threads')").fetchone()[0]),
        "sqlite": str(args.sqlite),
        "rows": rows,
        "load_s": round(took, 2),
        "as_of": args.as_of,
        "runs": args.runs,
        "adapted_statements": ADAPTED,
    }
    lite = sqlite3.connect(f"file:{args.sqlite}?mode=ro", uri=True) if args.compare_sqlite else None
    for label, scope in scopes:
        for _ in range(args.warmup):
            parts = report(con, rules, scope, None, as_of)
        times = []
        by_statement = {}
        for _ in range(args.runs):
            t = time.perf_counter()
            parts = report(con, rules, scope, None, as_of, timings=by_statement)
            times.append(time.perf_counter() - t)
        out[label] = {
            "scope": scope,
            "median_ms": round(statistics.median(times) * 1e3, 2),
            "min_ms": round(min(times) * 1e3, 2),
            "max_ms": round(max(times) * 1e3, 2),
            "parts": len(parts),
            "statements_median_ms": {
                k: round(statistics.median(v) * 1e3, 2) for k, v in by_statement.items()},
        }
        if lite is not None:
            # report.sql unchanged, in Python's own SQLite over the same file: the same counts?
            theirs = report(lite, rules, scope, None, as_of, SQLITE, ":")
            out[label]["same_counts_as_sqlite"] = theirs == parts
    print(json.dumps(out, indent=2))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=2)
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="DuckDB's figures against the engine's")
    c.add_argument("dir")
    b = sub.add_parser("bench", help="time the province's and a township's rollups")
    b.add_argument("sqlite")
    b.add_argument("--township", default="k000.t-01")
    b.add_argument("--as-of", default="2011-06-30")
    b.add_argument("--runs", type=int, default=10)
    b.add_argument("--warmup", type=int, default=2)
    b.add_argument("--compare-sqlite", action="store_true")
    b.add_argument("--receptions-per-week", type=int, default=1)
    b.add_argument("--visits-per-month", type=int, default=2)
    b.add_argument("--concerns-per-quarter", type=int, default=3)
    args = p.parse_args()
    check(args) if args.command == "check" else bench(args)


if __name__ == "__main__":
    main()
