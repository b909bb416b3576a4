"""The report's two readings (统计口径, ``Campaign.report(attribution=...)`` over
``cz_campaign_report_with``) on a small city whose village moves from one township to another
in the middle of the span, with receptions before and after the move."""

import datetime
import unittest

import chuangzheng
import support
from chuangzheng import Campaign

AS_OF = "2010-10-31"
MOVE = "2010-07-01"
# The village's receptions: (date, visitors); one before the move, one after.
RECEPTIONS = [("2010-06-01", 3), ("2010-08-01", 5)]


def moved_village() -> Campaign:
    """city ── t-a ── v-1 until MOVE, then city ── t-b ── v-1."""
    c = Campaign.new({"id": "moves", "name": "村党支部迁移测试"})
    cmd = support.command
    lines = [
        cmd("2010-05-01", "city", "create_org", {"id": "city", "name": "东港市委", "kind": "city_committee"}),
        cmd("2010-05-01", "city", "create_org", {"id": "t-a", "name": "甲镇党委", "kind": "township_committee", "parent": "city"}),
        cmd("2010-05-01", "city", "create_org", {"id": "t-b", "name": "乙镇党委", "kind": "township_committee", "parent": "city"}),
        cmd("2010-05-01", "t-a", "create_org", {"id": "v-1", "name": "大鹿村党支部", "kind": "village", "parent": "t-a"}),
        cmd("2010-05-01", "v-1", "add_member", {"id": "m-1", "org": "v-1", "category": "farmer", "role": "secretary"}),
        cmd(MOVE, "city", "move_org", {"org": "v-1", "parent": "t-b"}),
    ]
    for at, visitors in RECEPTIONS:
        lines.append(cmd(at, "v-1", "record_reception", {"village": "v-1", "cadres": ["m-1"], "visitors": visitors}))
    lines.sort(key=lambda line: line["at"])  # the journal takes them in date order
    c.import_commands(lines)
    return c


def before_move(at: str) -> bool:
    return datetime.date.fromisoformat(at) < datetime.date.fromisoformat(MOVE)


class Readings(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.c = moved_village()
        cls.reports = {
            (scope, reading): cls.c.report(scope=scope, as_of=AS_OF, attribution=reading)
            for scope in (None, "t-a", "t-b")
            for reading in ("as_of", "historical")
        }

    @classmethod
    def tearDownClass(cls):
        cls.c.close()

    def figure(self, scope, reading, key):
        return self.reports[(scope, reading)]["figures"][key]

    def test_the_report_names_its_reading(self):
        for (scope, reading), report in self.reports.items():
            self.assertEqual(report["attribution"], reading, (scope, reading))

    def test_townships_differ_between_the_readings(self):
        before = [v for at, v in RECEPTIONS if before_move(at)]
        after = [v for at, v in RECEPTIONS if not before_move(at)]
        self.assertTrue(before and after, "the scenario has receptions on both sides of the move")
        expected = {
            # As of 2010-10-31 the village sits under t-b, and brings its past records along.
            ("t-a", "as_of"): [],
            ("t-b", "as_of"): before + after,
            # Each record where the village stood on its own date.
            ("t-a", "historical"): before,
            ("t-b", "historical"): after,
        }
        for (scope, reading), visitors in expected.items():
            with self.subTest(scope=scope, reading=reading):
                self.assertEqual(self.figure(scope, reading, "m123.receptions"), len(visitors))
                self.assertEqual(self.figure(scope, reading, "m123.visitors_received"), sum(visitors))
        for scope in ("t-a", "t-b"):
            for key in ("m123.receptions", "m123.visitors_received"):
                self.assertNotEqual(
                    self.figure(scope, "as_of", key), self.figure(scope, "historical", key), (scope, key)
                )
        # The secretary is a stock: where she stands on the as-of date, in both readings.
        for reading in ("as_of", "historical"):
            self.assertEqual(self.figure("t-a", reading, "m123.secretaries"), 0)
            self.assertEqual(self.figure("t-b", reading, "m123.secretaries"), 1)

    def test_the_root_is_the_same_under_both_readings_and_the_townships_add_up_to_it(self):
        self.assertEqual(self.reports[(None, "as_of")]["figures"], self.reports[(None, "historical")]["figures"])
        self.assertEqual(self.figure(None, "as_of", "m123.receptions"), len(RECEPTIONS))
        self.assertEqual(self.figure(None, "as_of", "m123.visitors_received"), sum(v for _, v in RECEPTIONS))
        for reading in ("as_of", "historical"):
            for key in ("m123.receptions", "m123.visitors_received"):
                self.assertEqual(
                    self.figure("t-a", reading, key) + self.figure("t-b", reading, key),
                    self.figure(None, reading, key),
                    (reading, key),
                )

    def test_spellings_and_raw_numbers(self):
        c = self.c
        as_of = self.reports[(None, "as_of")]
        historical = self.reports[("t-a", "historical")]
        self.assertEqual(c.report(as_of=AS_OF), as_of)  # the default, as cz_campaign_report
        self.assertEqual(c.report(as_of=AS_OF, attribution="as-of"), as_of)
        self.assertEqual(c.report(as_of=AS_OF, attribution=chuangzheng.CZ_ATTRIBUTION_AS_OF), as_of)
        self.assertEqual(
            c.report("t-a", as_of=AS_OF, attribution=chuangzheng.CZ_ATTRIBUTION_HISTORICAL), historical
        )
        text = c.report("t-a", as_of=AS_OF, format="text", attribution="historical")
        self.assertIsInstance(text, str)
        self.assertNotEqual(text, c.report("t-a", as_of=AS_OF, format="text"))

    def test_a_bad_attribution(self):
        c = self.c
        with self.assertRaisesRegex(ValueError, r"^attribution: 'history'"):
            c.report(attribution="history")
        with self.assertRaisesRegex(ValueError, r"^attribution: -1"):
            c.report(attribution=-1)
        with self.assertRaises(TypeError):
            c.report(attribution=1.0)
        # An unknown number reaches the library, which refuses it.
        with self.assertRaises(chuangzheng.InvalidArgument) as caught:
            c.report(attribution=7)
        e = caught.exception
        self.assertEqual(e.code, chuangzheng._ffi.CZ_INVALID_ARGUMENT)
        self.assertIn("attribution", e.message_zh)
        self.assertIn("attribution", e.message_en)
        self.assertEqual(chuangzheng.last_error(), (e.code, e.message))


if __name__ == "__main__":
    unittest.main()
