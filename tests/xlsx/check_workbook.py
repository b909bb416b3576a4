#!/usr/bin/env python3
"""Checks the stage report as a workbook (.xlsx) against the same report as JSON.

Usage: check_workbook.py JOURNAL OUT_DIR

Opens JOURNAL through the Python binding (PYTHONPATH has bindings/python, CZ_LIB_DIR the
library; openpyxl importable) and, for three reports of it (the root; the first township-level
subordinate from 2010-07-01; the root under the historical reading), gets the workbook from the
binding and from the command-line tool (CZ_BIN), which must be the same bytes, then reads it
with openpyxl and checks every cell against the JSON report of the same scope and span:

- 汇总: the title and the scope line (the text's first two lines) merged over A:B, the header
  frozen, the three sections, and every figure of the JSON report once, under its Chinese label:
  a count as that integer (format `0`), an amount as the yuan exactly (format
  `0"."0000"万元"`), a rate as a number that rounds to the JSON's four places and displays as the
  JSON's `display` (format with the rules' percent places), an undefined rate as `—`;
- 附表: a row per direct subordinate in order, its name, and its nine figures equal to the JSON
  report of that subordinate alone (as-of reading);
- 图表: the chart's data (the township-level subordinates, or all) and the chart's XML naming it;
- 123工作法: the months as headers, a row per village in order, each cell met/judged exactly
  (blank when nothing was judged), and the six colour rules over the grid.

Then, for the root's workbook, LibreOffice (headless) converts it to PDF: the page count is
between one per sheet and a page per 10 rows, the text holds each sheet's title, and no figure
key, English word or ASCII comma, semicolon or colon (a 公文's text). Page 1 of each sheet is
rendered to PNG in OUT_DIR to be looked at. Exits 1 naming each problem.
"""
import decimal
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl

import chuangzheng

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "html"))
from check_text import offences  # noqa: E402  (the page's rules for an official's text)

SHEETS = ["汇总", "附表", "图表", "123工作法"]
SECTIONS = ["一、公开承诺", "二、基层党建", "三、服务群众"]
WAN_FORMAT = '0"."0000"万元"'
PART_KEYS = [
    "pledge.practical.total",
    "pledge.practical.completed",
    "pledge.practical.completion_rate",
    "m123.visitors_received",
    "m123.households_visited",
    "m123.concerns_collected",
    "m123.concerns_resolved",
    "service.hotline.cases",
    "service.donation.amount_yuan",
]
# The page's five steps and its grey (src/report/html.rs, `shade`).
COLOURS = {"E3E6EA", "1A7F4B", "D73027", "7FBF6A", "FEE08B", "FC8D59"}

problems = []


def check(ok, what):
    if not ok:
        problems.append(what)
    return ok


def percent_format(places):
    return "0%" if places == 0 else "0." + "0" * places + "%"


def shown_percent(value, places):
    """A rate cell as a spreadsheet shows it: the double's shortest decimal, half up."""
    q = Decimal(1).scaleb(-places)
    return f"{(Decimal(repr(value)) * 100).quantize(q, rounding=ROUND_HALF_UP)}%"


def check_figure(where, key, cell, value, doc):
    """One figure's cell against the JSON report's value and display."""
    places = doc["display"]["rounding"]["percent_places"]
    shown = doc["display"]["figures"][key]
    if key.endswith("_yuan"):
        check(cell.number_format == WAN_FORMAT, f"{where} {key}: format {cell.number_format}")
        check(isinstance(cell.value, (int, float)), f"{where} {key}: {cell.value!r} not a number")
        check(Decimal(repr(cell.value)) == Decimal(value), f"{where} {key}: {cell.value} ≠ {value}")
    elif value is None:
        check(cell.value == "—", f"{where} {key}: undefined rate written {cell.value!r}")
    elif isinstance(value, str):
        # A share of 0 or 1 is written as an integer; readers give it back as one.
        check(type(cell.value) in (int, float), f"{where} {key}: {cell.value!r} not a number")
        fmt = percent_format(places)
        check(cell.number_format == fmt, f"{where} {key}: format {cell.number_format} ≠ {fmt}")
        four = Decimal(repr(cell.value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        check(four == Decimal(value), f"{where} {key}: {cell.value} does not round to {value}")
        check(shown_percent(cell.value, places) == shown, f"{where} {key}: shows ≠ {shown}")
    else:
        check(cell.number_format == "0", f"{where} {key}: format {cell.number_format}")
        check(cell.value == value and type(cell.value) is int, f"{where} {key}: {cell.value!r} ≠ {value}")


def check_summary(ws, doc, text):
    title, scope = text.splitlines()[:2]
    merged = {str(r) for r in ws.merged_cells.ranges}
    check({"A1:B1", "A2:B2"} <= merged, f"汇总: merged {sorted(merged)[:4]}")
    check(ws["A1"].value == title, f"汇总 A1: {ws['A1'].value!r} ≠ {title!r}")
    check(ws["A2"].value == scope, f"汇总 A2: {ws['A2'].value!r}")
    check(ws.freeze_panes == "A4", f"汇总: frozen at {ws.freeze_panes}")
    check((ws["A3"].value, ws["B3"].value) == ("数据项", "数值"), "汇总: header row")
    labels = doc["display"]["labels"]
    by_label, sections = {}, []
    for row in ws.iter_rows(min_row=4):
        a, b = row[0], row[1]
        if f"A{a.row}:B{a.row}" in merged:
            sections.append(a.value)
        elif a.value is not None:
            check(a.value not in by_label, f"汇总: label {a.value} twice")
            by_label[a.value] = b
    check(sections == SECTIONS, f"汇总: sections {sections}")
    check(len(by_label) == len(doc["figures"]), f"汇总: {len(by_label)} figures, JSON {len(doc['figures'])}")
    for key, value in doc["figures"].items():
        cell = by_label.get(labels[key])
        if check(cell is not None, f"汇总: no row for {key} ({labels[key]})"):
            check_figure("汇总", key, cell, value, doc)
    return len(by_label)


def part_name(part):
    return part["name"] + ("（已划出）" if part.get("former") else "")


def check_parts(ws, doc, campaign, window):
    parts = doc["parts"]
    check(ws["A1"].value == f"附表一　各下级党组织主要数据（{len(parts)}个）", f"附表 A1: {ws['A1'].value!r}")
    check("A1:K1" in {str(r) for r in ws.merged_cells.ranges}, "附表: title not merged over A:K")
    check(ws.freeze_panes == "B3", f"附表: frozen at {ws.freeze_panes}")
    check(ws.max_row == 2 + len(parts), f"附表: {ws.max_row - 2} rows for {len(parts)} parts")
    for i, part in enumerate(parts):
        row = list(ws.iter_rows(min_row=3 + i, max_row=3 + i))[0]
        check(row[0].value == part_name(part), f"附表 row {3 + i}: {row[0].value!r}")
        if window is None:  # the parts' own reports are the as-of reading's figures
            continue
        own = campaign.report(scope=part["org"], **window)
        for cell, key in zip(row[2:], PART_KEYS):
            check_figure(f"附表 {part['name']}", key, cell, own["figures"][key], own)


def check_chart(ws, xlsx, doc):
    parts = doc["parts"]
    towns = [p for p in parts if p["kind"] in ("township_committee", "street_committee", "farm_committee")]
    rows = towns or parts
    names = [ws.cell(3 + i, 1).value for i in range(len(rows))]
    check(names == [part_name(p) for p in rows], f"图表: rows {names[:3]}…")
    check(ws.cell(3 + len(rows), 1).value is None, "图表: rows past the chart's parts")
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        xml = z.read(charts[0]).decode() if charts else ""
    check(len(charts) == 1, f"图表: {len(charts)} charts")
    check(f"$A$3:$A${2 + len(rows)}" in xml and "图表" in xml, "图表: the chart does not name its data")


def check_grid(ws, doc):
    months = [f"{int(m[:4])}年{int(m[5:7])}月" for m in doc["months"]]
    check([ws.cell(3, 3 + i).value for i in range(len(months))] == months, "123工作法: months")
    check(ws.freeze_panes == "C4", f"123工作法: frozen at {ws.freeze_panes}")
    for i, v in enumerate(doc["villages"]):
        row = 4 + i
        check(ws.cell(row, 2).value == v["name"], f"123工作法 row {row}: {ws.cell(row, 2).value!r}")
        for m, t in enumerate(v["months"]):
            cell = ws.cell(row, 3 + m)
            want = None if t["judged"] == 0 else t["met"] / t["judged"]
            check(cell.value == want, f"123工作法 {v['name']} {months[m]}: {cell.value} ≠ {want}")
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    ranges = {str(cf.sqref) for cf in ws.conditional_formatting}
    if doc["villages"] and months:
        last = f"{openpyxl.utils.get_column_letter(2 + len(months))}{3 + len(doc['villages'])}"
        check(ranges == {f"C4:{last}"}, f"123工作法: colours over {ranges}")
        check(len(rules) == 6, f"123工作法: {len(rules)} colour rules")
        colours = {r.dxf.fill.bgColor.rgb[-6:] for r in rules if r.dxf and r.dxf.fill}
        check(colours == COLOURS, f"123工作法: colours {colours}")


def workbook(campaign, journal, label, scope=None, from_=None, attribution="as_of"):
    """The workbook from the binding, checked equal to the CLI's; and the JSON and text."""
    xlsx = campaign.report_xlsx(scope=scope, from_=from_, attribution=attribution)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.xlsx"
        args = [os.environ["CZ_BIN"], "report", journal, "--format", "xlsx", "--out", str(out),
                "--attribution", attribution.replace("_", "-")]
        args += ["--scope", scope] if scope else []
        args += ["--from", from_] if from_ else []
        subprocess.run(args, check=True)
        check(out.read_bytes() == xlsx, f"{label}: the CLI's workbook differs from the binding's")
    doc = campaign.report(scope=scope, from_=from_, attribution=attribution)
    text = campaign.report(scope=scope, from_=from_, attribution=attribution, format="text")
    return xlsx, doc, text


def check_report(campaign, journal, label, window, **how):
    xlsx, doc, text = workbook(campaign, journal, label, **how)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    sheets = [s for s in SHEETS if (s != "图表" or doc["parts"]) and (s != "123工作法" or doc["villages"])]
    check(wb.sheetnames == sheets, f"{label}: sheets {wb.sheetnames}")
    n = check_summary(wb["汇总"], doc, text)
    check_parts(wb["附表"], doc, campaign, window)
    if doc["parts"]:
        check_chart(wb["图表"], xlsx, doc)
    check_grid(wb["123工作法"], doc)
    strings = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    problems.extend(f"{label}: {o}" for o in offences(strings, list(doc["figures"])))
    print(f"{label}: {n} figures, {len(doc['parts'])} parts, {len(doc['villages'])} villages checked")
    return xlsx, doc, wb


def check_pdf(xlsx, wb, out_dir):
    """LibreOffice's PDF of the workbook: pages, titles, an official's text; PNGs to look at."""
    out_dir.mkdir(parents=True, exist_ok=True)
    src = out_dir / "report.xlsx"
    src.write_bytes(xlsx)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            ["libreoffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(out_dir), str(src)],
            check=True, capture_output=True, timeout=300)
    pdf = out_dir / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    rows = sum(ws.max_row for ws in wb)
    check(len(wb.sheetnames) <= pages <= rows // 10 + len(wb.sheetnames), f"PDF: {pages} pages for {rows} rows")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = re.sub(r"\s", "", text)
    for ws in wb:
        title = re.sub(r"\s", "", ws["A1"].value or "")
        check(title and title.split("（")[0] in flat, f"PDF: no title of {ws.title}: {title}")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    problems.extend(f"PDF: {o}" for o in offences(lines, []))
    for page in first_pages(text, wb):
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page), str(pdf),
                        str(out_dir / f"page-{page}")], check=True)
    print(f"PDF: {pages} pages, each sheet's title, an official's text; PNGs in {out_dir}")


def first_pages(text, wb):
    """The page each sheet's title first appears on (pdftotext ends each page with a form feed)."""
    pages = text.split("\f")
    starts = []
    for ws in wb:
        title = re.sub(r"\s", "", ws["A1"].value or "").split("（")[0]
        found = next((i for i, page in enumerate(pages, start=1)
                      if title and title in re.sub(r"\s", "", page)), None)
        if found is not None:
            starts.append(found)
    return starts


def main():
    journal, out_dir = sys.argv[1], Path(sys.argv[2])
    decimal.getcontext().prec = 40
    with chuangzheng.Campaign.replay(Path(journal).read_text(encoding="utf-8")) as campaign:
        root = campaign.report()
        as_of = root["as_of"]
        xlsx, _, wb = check_report(campaign, journal, "the root", {"as_of": as_of})
        township = next(p["org"] for p in root["parts"] if p["kind"] == "township_committee")
        check_report(campaign, journal, f"township {township} from 2010-07-01",
                     {"as_of": as_of, "from_": "2010-07-01"}, scope=township, from_="2010-07-01")
        check_report(campaign, journal, "the root, historical", None, attribution="historical")
    if shutil.which("libreoffice"):
        check_pdf(xlsx, wb, out_dir)
    else:
        problems.append("libreoffice not found: the workbook's PDF not checked")
    if problems:
        print("\n".join(problems[:60]), file=sys.stderr)
        sys.exit(f"{len(problems)} problems in the workbooks")


if __name__ == "__main__":
    main()
