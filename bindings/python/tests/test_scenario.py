"""The same scenario as Rust: the small demo city's commands imported into a new campaign give
the stage report the CLI computed (report.json); and the ways to persist and reload it
(journal file, journal text, snapshot) give the same report."""

import datetime
import io
import json
import tempfile
import unittest
import zipfile
from pathlib import Path

import support
from support import AS_OF
import chuangzheng
from chuangzheng import Campaign


class Scenario(unittest.TestCase):
    def test_import_then_report_equals_report_json(self):
        with Campaign.new(support.info()) as c:
            result = c.import_commands(support.commands())
            self.assertTrue(result.ok)
            self.assertEqual(result.refused, ())
            lines = [l for l in support.commands().splitlines() if l.strip()]
            self.assertEqual(result.recorded, len(lines))
            self.assertEqual(result.seq, len(lines))
            self.assertEqual(c.seq, len(lines))
            report = c.report(as_of=AS_OF)
            self.assertIsInstance(report, dict)
            self.assertEqual(report, support.expected_report())

    def test_text_and_html_reports_equal_the_cli_files(self):
        with support.scenario_campaign() as c:
            for fmt, name in (("text", "report.txt"), ("html", "report.html")):
                out = c.report(as_of=AS_OF, format=fmt)
                self.assertIsInstance(out, str)
                path = support.scenario_file(name)
                if path.exists():
                    self.assertEqual(out, path.read_text(encoding="utf-8"), name)
            self.assertIn("<html", c.report(as_of=AS_OF, format="html").lower())

    def test_the_workbook_is_the_cli_one_byte_for_byte(self):
        with support.scenario_campaign() as c:
            xlsx = c.report_xlsx(as_of=AS_OF)
            self.assertIsInstance(xlsx, bytes)
            self.assertTrue(xlsx.startswith(b"PK\x03\x04"))
            self.assertEqual(c.report_xlsx(as_of=AS_OF), xlsx, "the same report, the same bytes")
            path = support.scenario_file("report.xlsx")
            if path.exists():
                self.assertEqual(xlsx, path.read_bytes())
            with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
                workbook = z.read("xl/workbook.xml").decode("utf-8")
            for sheet in ("汇总", "附表", "图表", "123工作法"):
                self.assertIn(f'name="{sheet}"', workbook)
            part = support.expected_report()["parts"][0]["org"]
            scoped = c.report_xlsx(scope=part, attribution="historical")
            self.assertNotEqual(scoped, xlsx)
            with self.assertRaises(ValueError):
                c.report_xlsx(attribution="sideways")
            with self.assertRaises(chuangzheng.ChuangzhengError) as refused:
                c.report_xlsx(scope="no-such-org")
            self.assertEqual(refused.exception.code, 3002)

    def test_report_defaults_scope_and_span(self):
        with support.scenario_campaign() as c:
            # as_of None: the latest date recorded, which is the scenario's 2010-10-31.
            self.assertEqual(c.report(), support.expected_report())
            self.assertEqual(c.report(as_of=datetime.date(2010, 10, 31)), support.expected_report())
            part = support.expected_report()["parts"][0]["org"]
            sub = c.report(scope=part, from_="2010-07-01", as_of=AS_OF)
            self.assertEqual(sub["scope"]["org"], part)
            self.assertEqual(sub["from"], "2010-07-01")

    def test_snapshot_round_trip(self):
        with support.scenario_campaign() as c:
            text = c.snapshot()
            self.assertEqual(json.loads(text)["format"], "chuangzheng-snapshot")
            with Campaign.from_snapshot(text) as copy:
                self.assertEqual(copy.seq, c.seq)
                self.assertEqual(copy.report(as_of=AS_OF), support.expected_report())
            with Campaign.from_snapshot(text.encode()) as copy:  # bytes too
                self.assertEqual(copy.state(), c.state())

    def test_replay_of_the_cli_journal(self):
        path = support.scenario_file("journal.jsonl")
        if not path.exists():
            self.skipTest(f"{path} missing")
        with Campaign.replay(path.read_text(encoding="utf-8")) as c:
            self.assertEqual(c.report(as_of=AS_OF), support.expected_report())

    def test_journal_create_open_and_replay(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "campaign.journal.jsonl"
            with Campaign.create(path, support.info()) as c:
                c.import_commands(support.commands())
                seq = c.seq
            with Campaign.open(path) as c:  # a str path works as well as a Path
                self.assertEqual(c.seq, seq)
                self.assertEqual(c.report(as_of=AS_OF), support.expected_report())
            with Campaign.open(str(path)) as c:
                self.assertEqual(c.seq, seq)
            with Campaign.replay(path.read_bytes()) as c:
                self.assertEqual(c.report(as_of=AS_OF), support.expected_report())


if __name__ == "__main__":
    unittest.main()
