#!/usr/bin/env python3
"""Checks the templates clerks fill, as openpyxl reads them.

Usage: check_templates.py JOURNAL OUT_DIR CHUANGZHENG_BIN

For every kind (`chuangzheng template KIND`, CZ_BIN), with and without `--journal JOURNAL
--scope` (the first township-level subordinate), reads the workbook back and checks:

- the sheets: the kind's (named in Chinese), 填写说明, and with a journal 可选编号;
- the kind's sheet: its Chinese headers in order, the header row frozen, the required headers in
  red, the example row in grey italic with a value for every required column of the first
  stage, a date example as a date cell, date columns formatted as dates and id columns as text;
- a drop-down for every choice column, listing exactly the labels, the stage column listing the
  stages; with a journal, the id columns' drop-downs pointing at 可选编号's ids, which are the
  scope's organizations (as the JSON report of the scope names them) and members;
- 填写说明: a row per column, 必填 or 选填 as the header's colour says;
- the same command twice gives the same bytes; no figure key, English word or ASCII comma,
  semicolon or colon in any Chinese text (ids and examples aside).
Exits 1 naming each problem.
"""
import datetime
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "html"))
from check_text import offences  # noqa: E402

KINDS = {
    "members": ("党员名册", ["日期", "填报单位编号", "党员编号", "所在党组织编号", "党员类别", "职务", "领导干部级别"]),
    "receptions": ("接待登记", ["日期", "填报单位编号", "村党组织编号", "值班干部编号", "接待群众人数"]),
    "visits": ("走访登记", ["日期", "填报单位编号", "走访干部编号", "困难户编号"]),
    "concerns": ("问题办理", ["日期", "填报单位编号", "环节", "问题编号", "村党组织编号", "反映人", "反映渠道",
                             "问题类别", "问题内容", "升级至", "办理结果", "群众反馈", "经办干部编号"]),
    "pledge-reports": ("承诺月报", ["日期", "填报单位编号", "承诺编号", "月份"]
                       + [f"目标{i}完成值" for i in range(1, 11)] + ["说明", "更正"]),
    "hotline": ("民生热线", ["日期", "填报单位编号", "环节", "案件编号", "承办党组织编号", "问题类别代码",
                            "来电内容", "办理结果", "回复内容"]),
    "donations": ("捐款登记", ["日期", "填报单位编号", "捐款编号", "党员编号", "金额（元）", "捐款活动"]),
}
CHOICES = {
    "党员类别": ["农民党员", "机关党员", "社区党员", "企业党员", "其他党员"],
    "职务": ["书记", "支委", "普通党员"],
    "领导干部级别": ["非领导干部", "科级党员领导干部", "市级党员领导干部"],
    "反映渠道": ["接待", "走访", "其他"],
    "问题类别": ["地边地头纠纷", "建房申请", "子女上学", "医疗卫生", "生产技术", "基础设施", "低保救助", "其他"],
    "升级至": ["乡镇", "党委"],
    "更正": ["是", "否"],
}
STAGES = {"concerns": ["反映", "升级", "办结"], "hotline": ["受理", "办结", "回复"]}
# Columns the first stage leaves blank (they belong to later stages), and optional ones.
LATER = {"升级至", "办理结果", "群众反馈", "经办干部编号", "回复内容"}
# The id columns that name an existing organization (A) or member (E) of 可选编号 (a new
# member's own id, in 党员名册, does not).
ID_COLUMNS = {"填报单位编号": "A", "所在党组织编号": "A", "村党组织编号": "A", "承办党组织编号": "A",
              "走访干部编号": "E", "党员编号": "E", "经办干部编号": "E"}

problems = []


def check(ok, what):
    if not ok:
        problems.append(what)
    return ok


def make(kind, out, *extra):
    subprocess.run([sys.argv[3], "template", kind,
                    "--out", str(out), *extra], check=True, capture_output=True)
    return out.read_bytes()


def rgb(cell):
    """A cell's font colour as RRGGBB, or "" when it has none of its own."""
    color = cell.font.color
    value = getattr(color, "rgb", None) if color is not None else None
    return value[-6:] if isinstance(value, str) else ""


def validations(ws):
    """Column letter → (type, formula) of each data validation of the sheet."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            found[rng.rstrip("0123456789").split(":")[0].rstrip("0123456789")] = (dv.type, dv.formula1)
    return found


def check_kind_sheet(name, ws, headers, with_ids):
    check([c.value for c in ws[1]] == headers, f"{name}: headers {[c.value for c in ws[1]]}")
    check(ws.freeze_panes == "A2", f"{name}: frozen at {ws.freeze_panes}")
    dvs = validations(ws)
    for i, header in enumerate(headers):
        letter = openpyxl.utils.get_column_letter(i + 1)
        head, example = ws.cell(1, i + 1), ws.cell(2, i + 1)
        red = rgb(head) == "B3261E"
        if example.value is not None:
            check(example.font.i and rgb(example) == "808080",
                  f"{name} {header}: example not grey italic")
        elif red and header not in LATER:
            problems.append(f"{name} {header}: required, but no example")
        if header == "日期":
            check(isinstance(example.value, datetime.datetime), f"{name}: date example {example.value!r}")
            check(ws.column_dimensions[letter].number_format == "yyyy-mm-dd"
                  or example.number_format == "yyyy-mm-dd", f"{name}: 日期 not a date column")
        want = CHOICES.get(header) or (STAGES.get(name) if header == "环节" else None)
        if want:
            kind_formula = dvs.get(letter)
            listed = kind_formula and kind_formula[1].strip('"').split(",")
            check(listed == want, f"{name} {header}: drop-down {kind_formula}")
        elif header in ID_COLUMNS and not (name == "members" and header == "党员编号"):
            got = dvs.get(letter)
            col = ID_COLUMNS[header]
            if with_ids:
                check(got and got[0] == "list" and f"${col}$2" in got[1] and "可选编号" in got[1],
                      f"{name} {header}: id drop-down {got}")
            else:
                check(got is None, f"{name} {header}: a drop-down without ids {got}")
    return [h for i, h in enumerate(headers) if rgb(ws.cell(1, i + 1)) == "B3261E"]


def check_guide(name, ws, headers, required):
    rows = [(r[0].value, r[1].value) for r in ws.iter_rows(min_row=2, max_row=1 + len(headers))]
    check([h for h, _ in rows] == headers, f"{name} 填写说明: columns {rows[:3]}")
    for header, need in rows:
        check(need == ("必填" if header in required else "选填"), f"{name} 填写说明 {header}: {need}")
    texts = [c.value for row in ws.iter_rows(min_row=2) for c in row[1:] if isinstance(c.value, str)]
    problems.extend(f"{name} 填写说明: {o}" for o in offences(texts, []))


def check_ids(name, ws, scope):
    orgs = [r[0].value for r in ws.iter_rows(min_row=2) if r[0].value]
    names = {r[0].value: r[1].value for r in ws.iter_rows(min_row=2) if r[0].value}
    members = [r[4].value for r in ws.iter_rows(min_row=2) if r[4].value]
    check(orgs and orgs[0] == scope["scope"]["org"], f"{name} 可选编号: first org {orgs[:1]}")
    check(names.get(scope["scope"]["org"]) == scope["scope"]["name"], f"{name} 可选编号: scope's name")
    for part in scope["parts"]:
        check(names.get(part["org"]) == part["name"], f"{name} 可选编号: {part['org']} missing")
    check(len(members) == len(set(members)) > 0, f"{name} 可选编号: {len(members)} members")
    member_orgs = {r[5].value for r in ws.iter_rows(min_row=2) if r[4].value}
    check(member_orgs <= set(orgs), f"{name} 可选编号: members of organizations not listed")


def main():
    journal, out_dir = sys.argv[1], Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    report = json.loads(subprocess.run([sys.argv[3], "report", journal, "--format", "json"],
                                       check=True, capture_output=True, text=True).stdout)
    township = next(p["org"] for p in report["parts"] if p["kind"] == "township_committee")
    scope = json.loads(subprocess.run([sys.argv[3], "report", journal, "--scope", township,
                                       "--format", "json"], check=True, capture_output=True,
                                      text=True).stdout)
    for name, (sheet, headers) in KINDS.items():
        for with_ids in (False, True):
            extra = ["--journal", journal, "--scope", township] if with_ids else []
            path = out_dir / f"{name}{'-ids' if with_ids else ''}.xlsx"
            data = make(name, path, *extra)
            check(make(name, out_dir / "again.xlsx", *extra) == data, f"{name}: not reproducible")
            wb = openpyxl.load_workbook(io.BytesIO(data))
            sheets = [sheet, "填写说明"] + (["可选编号"] if with_ids else [])
            if not check(wb.sheetnames == sheets, f"{name}: sheets {wb.sheetnames}"):
                continue
            required = check_kind_sheet(name, wb[sheet], headers, with_ids)
            check_guide(name, wb["填写说明"], headers, required)
            if with_ids:
                check_ids(name, wb["可选编号"], scope)
    if problems:
        print("\n".join(problems[:60]), file=sys.stderr)
        sys.exit(f"{len(problems)} problems in the templates")
    print(f"templates: {len(KINDS)} kinds, with and without the scope's ids, checked")


if __name__ == "__main__":
    main()
