"""Each kind of bad input the binding can produce: None (NULL), invalid UTF-8, malformed JSON,
unknown ids, wrong state, out-of-range arguments, floats; every error carrying its code and its
message in Chinese and English, as the thread's last error."""

import json
import re
import tempfile
import unittest
from decimal import Decimal
from pathlib import Path

import chuangzheng
from chuangzheng import _ffi
import support
from chuangzheng import Campaign
from support import AS_OF, CADRES, HOUSEHOLD, PLEDGE, VILLAGE

CJK = re.compile(r"[\u4e00-\u9fff]")
ROOT = support.command(
    "2010-05-01", "city", "create_org", {"id": "city", "name": "市委", "kind": "city_committee"}
)


class ErrorCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.c = support.scenario_campaign()

    @classmethod
    def tearDownClass(cls):
        cls.c.close()

    def fails(self, cls, code, call):
        """Asserts ``call`` raises ``cls`` with ``code``, a Chinese and an English message, and
        that the same code and message are this thread's last error."""
        with self.assertRaises(cls) as caught:
            call()
        e = caught.exception
        self.assertIsInstance(e, chuangzheng.ChuangzhengError)
        self.assertEqual(e.code, code, e.message)
        self.assertRegex(e.message_zh, CJK)
        self.assertRegex(e.message_en, r"[A-Za-z]{3,}")
        self.assertNotEqual(e.message_zh, e.message_en)
        self.assertIn(e.message_en, e.message)
        self.assertIn(str(code), str(e))
        if code != 3000:  # ImportRefused is made by the binding from the import's result
            self.assertEqual(chuangzheng.last_error(), (code, e.message))
        return e


class NullArguments(ErrorCase):
    """None for a required argument reaches the library as NULL: NullArgument (1), naming it."""

    def test_required_none(self):
        c = self.c
        cases = {
            "info_json": lambda: Campaign.new(None),
            "path": lambda: Campaign.open(None),
            "journal_text": lambda: Campaign.replay(None),
            "snapshot_json": lambda: Campaign.from_snapshot(None),
            "command_json": lambda: c.execute(None),
            "commands_jsonl": lambda: c.import_commands(None),
            "pledge": lambda: c.pledge(None),
            "member": lambda: c.member_evaluation(None, "2010"),
            "round": lambda: c.member_evaluation(CADRES[0], None),
            "claims_json": lambda: c.audit(None),
            "actor_org": lambda: c.record_visit(AS_OF, None, CADRES[0], HOUSEHOLD),
            "household": lambda: c.record_visit(AS_OF, VILLAGE, CADRES[0], None),
            "village": lambda: c.record_reception(AS_OF, VILLAGE, None, CADRES, 1),
            "cadres[1]": lambda: c.record_reception(AS_OF, VILLAGE, VILLAGE, [CADRES[0], None], 1),
        }
        for name, call in cases.items():
            with self.subTest(name):
                e = self.fails(chuangzheng.NullArgument, 1, call)
                self.assertIn(name, e.message_en)
        with self.subTest("create"):
            self.fails(chuangzheng.NullArgument, 1, lambda: Campaign.create(None, support.info()))

    def test_optional_none_is_allowed(self):
        with Campaign.new(support.info(), None) as c:
            self.assertEqual(c.execute(ROOT), 1)
        self.assertIsInstance(self.c.report(None, None, None), dict)
        self.assertIsInstance(self.c.audit({"source": "s", "claims": []}, None, None, None), dict)
        # An empty list of cadres is passed as (NULL, 0): the library's range check refuses it.
        self.fails(chuangzheng.InvalidValue, 1009, lambda: self.c.record_reception(AS_OF, VILLAGE, VILLAGE, [], 1))
        self.fails(chuangzheng.InvalidValue, 1009, lambda: self.c.record_reception(AS_OF, VILLAGE, VILLAGE, None, 1))


class Utf8(ErrorCase):
    BAD = b"\xff\xfe"

    def test_invalid_utf8_bytes(self):
        c, bad = self.c, self.BAD
        cases = {
            "info_json": lambda: Campaign.new(bad),
            "rules_json": lambda: Campaign.new(support.info(), bad),
            "path": lambda: Campaign.open(bad),
            "journal_text": lambda: Campaign.replay(bad),
            "snapshot_json": lambda: Campaign.from_snapshot(bad),
            "command_json": lambda: c.execute(bad),
            "commands_jsonl": lambda: c.import_commands(bad),
            "pledge": lambda: c.pledge(bad),
            "member": lambda: c.member_evaluation(bad, "2010"),
            "round": lambda: c.member_evaluation(CADRES[0], bad),
            "scope": lambda: c.report(scope=bad),
            "as_of": lambda: c.report(as_of=bad),
            "claims_json": lambda: c.audit(bad),
            "actor_by": lambda: c.record_visit(AS_OF, VILLAGE, CADRES[0], HOUSEHOLD, actor_by=bad),
            "cadre": lambda: c.record_visit(AS_OF, VILLAGE, bad, HOUSEHOLD),
            "cadres[0]": lambda: c.record_reception(AS_OF, VILLAGE, VILLAGE, [bad], 1),
            "achieved[0]": lambda: c.report_progress(AS_OF, VILLAGE, PLEDGE, 2010, 10, [bad], True),
        }
        for name, call in cases.items():
            with self.subTest(name):
                e = self.fails(chuangzheng.InvalidUtf8, 2, call)
                self.assertIn(name, e.message_en)

    def test_str_is_encoded_as_utf8_by_the_binding(self):
        # A Chinese id travels as UTF-8 and comes back intact in the message.
        e = self.fails(chuangzheng.Refused, 3002, lambda: self.c.pledge("承诺-甲"))
        self.assertIn('"承诺-甲"', e.message_en)
        with Campaign.new({"id": "c", "name": "东港市创先争优活动"}) as c:
            c.execute(ROOT)
            self.assertEqual(json.loads(c.snapshot())["campaign"]["name"], "东港市创先争优活动")
        # A str that cannot be UTF-8 (a lone surrogate) fails in Python, before the library.
        with self.assertRaises(UnicodeEncodeError):
            self.c.pledge("\ud800")
        # An embedded NUL would cut the C string: refused in Python.
        with self.assertRaises(ValueError):
            self.c.pledge("pm\0x")


class MalformedJson(ErrorCase):
    def test_malformed_json_everywhere(self):
        c = self.c
        self.fails(chuangzheng.InvalidJson, 4, lambda: Campaign.new("{"))
        e = self.fails(chuangzheng.InvalidJson, 4, lambda: Campaign.new({"id": "", "name": "n"}))
        self.assertIn("field id", e.message_en)
        e = self.fails(chuangzheng.InvalidJson, 4, lambda: Campaign.new({"id": "c"}))
        self.assertIn("name", e.message_en)
        self.fails(chuangzheng.RulesError, 2001, lambda: Campaign.new(support.info(), "{"))
        e = self.fails(
            chuangzheng.RulesError,
            2109,
            lambda: Campaign.new(
                support.info(), {"version": 1, "name": "t", "method123": {"receptions_per_week": 0}}
            ),
        )
        self.assertIn("method123.receptions_per_week", e.message)
        self.fails(chuangzheng.Refused, 3001, lambda: c.execute("{"))
        self.fails(chuangzheng.Refused, 3001, lambda: c.execute({"at": AS_OF}))
        self.fails(chuangzheng.JournalError, 4008, lambda: Campaign.from_snapshot("{"))
        self.fails(chuangzheng.JournalError, 4004, lambda: Campaign.replay("not a journal"))
        self.fails(chuangzheng.AuditError, 5001, lambda: c.audit("{"))
        self.fails(chuangzheng.AuditError, 5001, lambda: c.audit({"claims": [{"id": 1}]}))

    def test_all_or_nothing_import_refuses_and_records_nothing(self):
        with support.scenario_campaign() as c:
            seq = c.seq
            text = "\n".join([json.dumps(support.command(AS_OF, VILLAGE, "record_visit", {"cadre": CADRES[0], "household": HOUSEHOLD})), "{", json.dumps(ROOT)])
            e = self.fails(chuangzheng.ImportRefused, 3000, lambda: c.import_commands(text))
            # The C call returned CZ_REFUSED_LINES, and its last error says how many.
            code, message = chuangzheng.last_error()
            self.assertEqual(code, _ffi.CZ_REFUSED_LINES)
            self.assertIn("2 lines of the import were refused", message)
            self.assertIsInstance(e, chuangzheng.Refused)
            self.assertEqual([(r.line, r.code) for r in e.result.refused], [(2, 3001), (3, 3006)])
            self.assertEqual(e.result.recorded, 0)
            self.assertEqual(c.seq, seq)
            for r in e.result.refused:
                self.assertRegex(r.message_zh, CJK)
                self.assertTrue(r.message_en)
            # A later success cleared the last error.
            self.assertEqual(chuangzheng.last_error(), (0, ""))


class UnknownIdsAndState(ErrorCase):
    def test_unknown_ids_3002(self):
        c = self.c
        self.fails(chuangzheng.Refused, 3002, lambda: c.pledge("nope"))
        self.fails(chuangzheng.Refused, 3002, lambda: c.member_evaluation("nobody", "2010"))
        e = self.fails(chuangzheng.Refused, 3002, lambda: c.member_evaluation(CADRES[0], 2010))
        self.assertIn("no evaluation record", e.message_en)
        self.fails(chuangzheng.Refused, 3002, lambda: c.report(scope="nope"))
        self.fails(chuangzheng.Refused, 3002, lambda: c.audit({"source": "s", "claims": []}, scope="nope"))
        self.fails(chuangzheng.Refused, 3002, lambda: c.record_visit(AS_OF, VILLAGE, CADRES[0], "h-none"))
        self.fails(chuangzheng.Refused, 3002, lambda: c.report_progress(AS_OF, VILLAGE, "p-none", 2010, 10, ["1"]))

    def test_wrong_state(self):
        with Campaign.new(support.info()) as c:
            c.execute(ROOT)
            self.fails(chuangzheng.Refused, 3006, lambda: c.execute(ROOT))
            self.assertEqual(c.seq, 1)  # nothing changed
        self.fails(
            chuangzheng.Refused,
            3022,
            lambda: self.c.report_progress(AS_OF, VILLAGE, PLEDGE, 2010, 10, ["2"]),
        )
        # An ordinary member is not a cadre: 3024.
        self.fails(
            chuangzheng.Refused,
            3024,
            lambda: self.c.record_reception(AS_OF, VILLAGE, VILLAGE, ["m-000005"], 1),
        )

    def test_journal_exists_locked_missing(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "j.jsonl"
            with Campaign.create(path, support.info()) as c:
                c.execute(ROOT)
                self.fails(chuangzheng.JournalError, 4002, lambda: Campaign.create(path, support.info()))
                self.fails(chuangzheng.JournalError, 4003, lambda: Campaign.open(path))
            with Campaign.open(path) as c:  # unlocked once closed
                self.assertEqual(c.seq, 1)
            self.fails(chuangzheng.JournalError, 4001, lambda: Campaign.open(Path(tmp) / "missing"))
            # A tampered record: corrupt, named.
            text = path.read_text(encoding="utf-8").replace("市委", "县委")
            path.write_text(text, encoding="utf-8")
            e = self.fails(chuangzheng.JournalError, 4005, lambda: Campaign.open(path))
            self.assertIn("seq", e.message_en)
            self.fails(chuangzheng.JournalError, 4005, lambda: Campaign.replay(text))


class Arguments(ErrorCase):
    def test_invalid_arguments_5(self):
        c = self.c
        self.fails(chuangzheng.InvalidArgument, 5, lambda: c.report(as_of="2010-13-01"))
        self.fails(chuangzheng.InvalidArgument, 5, lambda: c.report(from_="2010-11-01", as_of="2010-10-01"))
        self.fails(chuangzheng.InvalidArgument, 5, lambda: c.report(format=7))
        self.fails(chuangzheng.InvalidArgument, 5, lambda: c.audit({"source": "s", "claims": []}, as_of="31/10/2010"))
        e = self.fails(chuangzheng.InvalidArgument, 5, lambda: c.record_visit("2010-02-30", VILLAGE, CADRES[0], HOUSEHOLD))
        self.assertIn("at", e.message_en)
        self.fails(chuangzheng.InvalidArgument, 5, lambda: c.report_progress(AS_OF, VILLAGE, PLEDGE, 2010, 13, ["1"], True))
        self.fails(chuangzheng.InvalidValue, 1004, lambda: c.report_progress(AS_OF, VILLAGE, PLEDGE, 2010, 10, ["1,5"], True))
        with Campaign.new(support.info()) as empty:
            self.assertIsNone(empty.latest_date)
            self.fails(chuangzheng.NoRecord, 6, lambda: empty.report())

    def test_python_side_type_checks(self):
        c = self.c
        with self.assertRaises(TypeError):
            c.report_progress(AS_OF, VILLAGE, PLEDGE, 2010, 10, [1.5], True)
        with self.assertRaises(TypeError):
            c.execute({"at": AS_OF, "value": 0.1})
        with self.assertRaises(ValueError):
            c.report_progress(AS_OF, VILLAGE, PLEDGE, 2010, 10, [Decimal("NaN")], True)
        with self.assertRaises(TypeError):
            c.record_reception(AS_OF, VILLAGE, VILLAGE, CADRES[0], 1)  # one str, not a list
        with self.assertRaises(ValueError):
            c.record_reception(AS_OF, VILLAGE, VILLAGE, CADRES, -1)
        with self.assertRaises(ValueError):
            c.record_visit("31.10.2010", VILLAGE, CADRES[0], HOUSEHOLD)
        with self.assertRaises(TypeError):
            c.record_visit(20101031, VILLAGE, CADRES[0], HOUSEHOLD)
        with self.assertRaises(ValueError):
            c.report(format="pdf")
        with self.assertRaises(TypeError):
            c.pledge(42)
        # A Decimal in exponent form is written out plainly: 1E+1 is "10".
        seq = c.report_progress(AS_OF, VILLAGE, PLEDGE, 2010, 10, [Decimal("1E+1")], True)
        self.assertEqual(c.pledge(PLEDGE)["reports"][-1]["achieved"][0]["value"], "10")
        self.assertEqual(c.seq, seq)


if __name__ == "__main__":
    unittest.main()
