"""A filled workbook imported through the binding (``Campaign.import_xlsx``,
``cz_campaign_import_xlsx``): rows recorded, refusals by sheet, row and column, all or nothing
unless told to keep going, a workbook that cannot be read refused whole."""

import io
import unittest
import zipfile

import support
import chuangzheng

_HEAD = ["日期", "填报单位编号", "走访干部编号", "困难户编号"]


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def visits(rows: list[list[str]], sheet: str = "走访登记") -> bytes:
    """A minimal .xlsx of one sheet: the visits template's headers, then ``rows``."""
    body = ""
    for r, row in enumerate([_HEAD, *rows], start=1):
        cells = "".join(_cell(f"{'ABCD'[c]}{r}", v) for c, v in enumerate(row) if v)
        body += f'<row r="{r}">{cells}</row>'
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{ns}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + text)
    return out.getvalue()


GOOD = ["2010-11-02", "v-001", "m-000001", "h-v-001-00"]


class WorkbookImport(unittest.TestCase):
    def test_rows_are_recorded_and_refusals_name_sheet_row_and_column(self):
        with support.scenario_campaign() as c:
            seq = c.seq
            book = visits([GOOD, ["2010-02-30", "v-001", "m-000001", "h-v-001-00"]])
            with self.assertRaises(chuangzheng.ImportRefused) as refused:
                c.import_xlsx(book)
            self.assertEqual(c.seq, seq, "all or nothing: nothing recorded")
            result = refused.exception.result
            self.assertIsInstance(result, chuangzheng.WorkbookResult)
            (r,) = result.refused
            self.assertEqual((r.sheet, r.row, r.column, r.code), ("走访登记", 3, "日期", 6004))
            self.assertIn("2010-02-30 不是有效日期", r.message_zh)
            self.assertIn("not a valid date", r.message_en)
            self.assertIn("「走访登记」第 3 行", str(refused.exception))
            result = c.import_xlsx(book, keep_going=True)
            self.assertEqual((result.recorded, c.seq), (1, seq + 1))
            self.assertEqual(result.sheets, (("走访登记", "visits", 2),))

    def test_actor_fills_blank_rows_and_the_ledger_refusal_has_its_column(self):
        with support.scenario_campaign() as c:
            result = c.import_xlsx(visits([["2010-11-03", "", "m-000001", "h-v-001-00"]]), actor="v-001")
            self.assertEqual(result.recorded, 1)
            with self.assertRaises(chuangzheng.ImportRefused) as refused:
                c.import_xlsx(visits([["2010-11-03", "v-001", "m-000001", "h-nowhere"]], sheet="随手记"))
            (r,) = refused.exception.result.refused
            self.assertEqual((r.sheet, r.row, r.column, r.code), ("随手记", 2, "困难户编号", 3002))

    def test_a_workbook_that_cannot_be_read_is_refused_whole(self):
        with support.scenario_campaign() as c:
            seq = c.seq
            with self.assertRaises(chuangzheng.ChuangzhengError) as e:
                c.import_xlsx("日期,填报单位编号\n2010-11-02,v-001\n".encode())
            self.assertEqual(e.exception.code, 6001)
            with self.assertRaises(chuangzheng.ChuangzhengError) as e:
                c.import_xlsx(visits([GOOD])[:200])
            self.assertEqual(e.exception.code, 6001)
            self.assertEqual(c.seq, seq)
            with self.assertRaises(TypeError):
                c.import_xlsx("not bytes")  # type: ignore[arg-type]


if __name__ == "__main__":
    unittest.main()
