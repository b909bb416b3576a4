"""Checks the Spark rollup's output against the single-machine figures (examples/spark/test.sh).

    python3 check.py SPARK_OUT SINGLE_DIR TITLE CITY...

SPARK_OUT is rollup.py's --out; SINGLE_DIR holds what the command-line tool wrote from the
province's own journal: ``merged.json`` (``chuangzheng merge`` of ``figures province.jsonl
--scope CITY`` for each city), ``merged-report.json`` (``report --figures merged.json --format
json``), ``root.json`` (``figures province.jsonl``, the province's root) and ``report.txt``
(``report --figures SPARK_OUT/figures.json --format text``). Every difference is printed; the
exit status is 1 if there is any.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def differences(name: str, got: object, want: object, out: list[str]) -> None:
    """Every leaf where ``got`` and ``want`` differ, by path (keys compared both ways)."""
    if isinstance(got, dict) and isinstance(want, dict):
        for key in sorted(set(got) | set(want)):
            if key not in got or key not in want:
                out.append(f"{name}.{key}: only in {'spark' if key in got else 'single machine'}")
            else:
                differences(f"{name}.{key}", got[key], want[key], out)
    elif isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        for i, (g, w) in enumerate(zip(got, want)):
            differences(f"{name}[{i}]", g, w, out)
    elif got != want or type(got) is not type(want):
        out.append(f"{name}: spark {got!r}, single machine {want!r}")


def main(spark_out: str, single_dir: str, title: str, *cities: str) -> int:
    spark, single = Path(spark_out), Path(single_dir)
    figures, report = load(spark / "figures.json"), load(spark / "report.json")
    merged, merged_report = load(single / "merged.json"), load(single / "merged-report.json")
    root = load(single / "root.json")
    bad: list[str] = []

    # The figures: the same terms, the same scopes, each scope's figures and the totals.
    for key in ("format", "version", "campaign", "from", "as_of", "attribution",
                "method123_from", "rules", "display"):
        differences(key, figures[key], merged[key], bad)
    by_org = {s["org"]: s["figures"] for s in figures["scopes"]}
    want_orgs = {s["org"]: s["figures"] for s in merged["scopes"]}
    if sorted(by_org) != sorted(cities) or sorted(want_orgs) != sorted(cities):
        bad.append(f"scopes: spark {sorted(by_org)}, single machine {sorted(want_orgs)}, cities {sorted(cities)}")
    for org in sorted(set(by_org) & set(want_orgs)):
        differences(f"scopes[{org}].figures", by_org[org], want_orgs[org], bad)
    differences("totals", figures["totals"], merged["totals"], bad)
    differences("totals (the province's root)", figures["totals"], root["totals"], bad)
    if (figures.get("title") or {}).get("name") != title:
        bad.append(f"title: {figures.get('title')!r}, not {title!r}")

    # The report: every figure (counts, rates, 万元 amounts) and as written, each city's row.
    if len(report["figures"]) < 100:
        bad.append(f"report.figures: only {len(report['figures'])} figures")
    differences("report.figures", report["figures"], merged_report["figures"], bad)
    differences("report.display", report["display"], merged_report["display"], bad)
    parts = {p["org"]: p["figures"] for p in report["parts"]}
    want_parts = {p["org"]: p["figures"] for p in merged_report["parts"]}
    differences("report.parts", parts, want_parts, bad)
    if report["scope"]["name"] != title:
        bad.append(f"report.scope: {report['scope']!r}, not under {title!r}")

    # The other formats: the text as the command-line tool writes it from the same figures.
    text = (spark / "report.txt").read_text(encoding="utf-8")
    if text != (single / "report.txt").read_text(encoding="utf-8"):
        bad.append("report.txt differs from `chuangzheng report --figures figures.json --format text`")
    if "<html" not in (spark / "report.html").read_text(encoding="utf-8"):
        bad.append("report.html: not a page")
    if not (spark / "report.xlsx").read_bytes().startswith(b"PK"):
        bad.append("report.xlsx: not a workbook (no PK)")

    shards = load(spark / "shards.json")
    if sorted(s["scope"]["org"] for s in shards) != sorted(cities) or any(s["torn_tail"] for s in shards):
        bad.append(f"shards.json: {shards!r}")

    for line in bad:
        print(f"check: {line}", file=sys.stderr)
    if bad:
        return 1
    counted = sum(isinstance(v, int) for v in report["figures"].values())
    print(f"check: the Spark rollup of {len(cities)} cities equals the single machine's: "
          f"{len(report['figures'])} figures ({counted} counts), {len(cities)} scopes, totals, "
          f"the province's root totals, the text report")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
