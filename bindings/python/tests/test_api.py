"""Every function of the header through the binding, with good input; handles and strings
released exactly once."""

import ctypes
import datetime
import json
import shutil
import tempfile
import unittest
from decimal import Decimal
from pathlib import Path

import chuangzheng
import support
from chuangzheng import Campaign, CampaignClosed, _ffi
from support import AS_OF, CADRES, HOUSEHOLD, ORDINARY_MEMBER, PLEDGE, VILLAGE

ROOT = support.command(
    "2010-05-01", "city", "create_org", {"id": "city", "name": "市委", "kind": "city_committee"}
)


class Version(unittest.TestCase):
    def test_version_matches_the_header_macros(self):
        expected = f"{chuangzheng.CZ_VERSION_MAJOR}.{chuangzheng.CZ_VERSION_MINOR}.{chuangzheng.CZ_VERSION_PATCH}"
        self.assertEqual(chuangzheng.version(), expected)
        self.assertEqual(chuangzheng.__version__, expected)

    def test_load_is_once_per_process(self):
        self.assertIs(chuangzheng.load(), chuangzheng.load(support.LIB_DIR / "libchuangzheng.so"))
        with self.assertRaises(RuntimeError):
            chuangzheng.load("/elsewhere/libchuangzheng.so")


class Recording(unittest.TestCase):
    def test_new_execute_state_seq_latest_date(self):
        with Campaign.new({"id": "c", "name": "测试"}) as c:
            self.assertEqual(c.seq, 0)
            self.assertIsNone(c.latest_date)
            self.assertEqual(c.execute(ROOT), 1)
            # A JSON string works as well as a dict.
            town = support.command(
                "2010-05-02",
                "city",
                "create_org",
                {"id": "t-01", "name": "第一镇党委", "kind": "township_committee", "parent": "city"},
            )
            self.assertEqual(c.execute(json.dumps(town, ensure_ascii=False)), 2)
            self.assertEqual(c.seq, 2)
            self.assertEqual(c.latest_date, datetime.date(2010, 5, 2))
            state = c.state()
            self.assertEqual([o["id"] for o in state["orgs"]], ["city", "t-01"])
            self.assertEqual(state["orgs"][1]["name"], "第一镇党委")

    def test_new_with_rules(self):
        rules = {"version": 1, "name": "strict", "method123": {"receptions_per_week": 2}}
        with Campaign.new(support.info(), rules) as c:
            c.execute(ROOT)
            snapshot = json.loads(c.snapshot())
            self.assertEqual(snapshot["rules"]["name"], "strict")
            self.assertEqual(snapshot["rules"]["method123"]["receptions_per_week"], 2)
        with Campaign.new(support.info(), json.dumps(rules)) as c:
            self.assertEqual(json.loads(c.snapshot())["rules"]["name"], "strict")

    def test_import_keep_going_lists_refusals_and_records_the_rest(self):
        with Campaign.new(support.info()) as c:
            lines = [json.dumps(ROOT), "# a comment", "", "{", json.dumps(ROOT)]
            result = c.import_commands("\n".join(lines), keep_going=True)
            self.assertEqual(result.recorded, 1)
            self.assertEqual(result.seq, 1)
            self.assertEqual([(r.line, r.code) for r in result.refused], [(4, 3001), (5, 3006)])
            self.assertIsInstance(result.refused[1].error, chuangzheng.Refused)
            self.assertIn("root", result.refused[1].message_en)

    def test_import_an_iterable_of_commands(self):
        with Campaign.new(support.info()) as c:
            town = support.command(
                "2010-05-02",
                "city",
                "create_org",
                {"id": "t-01", "name": "镇", "kind": "township_committee", "parent": "city"},
            )
            result = c.import_commands([ROOT, json.dumps(town)])
            self.assertEqual((result.recorded, result.seq), (2, 2))

    def test_typed_fast_paths(self):
        with support.scenario_campaign() as c:
            start = c.seq
            seq = c.record_reception(AS_OF, VILLAGE, VILLAGE, CADRES[:2], 3)
            self.assertEqual(seq, start + 1)
            # A cadre acting for the village (actor_by), a datetime.date.
            seq = c.record_reception(
                datetime.date(2010, 10, 31), VILLAGE, VILLAGE, CADRES, 1, actor_by=CADRES[0]
            )
            self.assertEqual(seq, start + 2)
            self.assertEqual(c.record_visit(AS_OF, VILLAGE, CADRES[1], HOUSEHOLD), start + 3)
            self.assertEqual(
                c.record_visit(AS_OF, VILLAGE, CADRES[1], HOUSEHOLD, actor_by=CADRES[1]), start + 4
            )
            # The month is reported already: a correction, with a Decimal.
            with self.assertRaises(chuangzheng.Refused) as e:
                c.report_progress(AS_OF, VILLAGE, PLEDGE, 2010, 10, ["2"])
            self.assertEqual(e.exception.code, 3022)
            seq = c.report_progress(
                AS_OF, VILLAGE, PLEDGE, 2010, 10, [Decimal("2.0")], correction=True
            )
            self.assertEqual(seq, start + 5)
            # None: a target not reported.
            seq = c.report_progress(AS_OF, VILLAGE, PLEDGE, 2010, 10, [None], correction=True)
            self.assertEqual(seq, start + 6)
            state = c.state()
            self.assertEqual(state["receptions"][-1]["visitors"], 1)
            reports = c.pledge(PLEDGE)["reports"]
            self.assertEqual(len(reports), 8)  # 6 months, 2 corrections
            self.assertEqual(reports[-2]["achieved"][0]["value"], "2")  # normalized


class Reading(unittest.TestCase):
    def test_pledge(self):
        with support.scenario_campaign() as c:
            p = c.pledge(PLEDGE)
            self.assertEqual(p["id"], PLEDGE)
            self.assertEqual(p["owner"], {"member": CADRES[0]})
            self.assertEqual(p["status"], "published")
            self.assertEqual(p["versions"][0]["title"], "承诺书")

    def test_member_evaluation(self):
        with support.scenario_campaign() as c:
            c.execute(
                support.command(
                    AS_OF,
                    VILLAGE,
                    "record_member_evaluation",
                    {
                        "member": ORDINARY_MEMBER,
                        "round": "2010",
                        "report_submitted": datetime.date(2010, 10, 20),
                        "self_review": {"counts": {"excellent": 1}},
                        "peers": {"counts": {"excellent": 3, "qualified": 2}},
                        "masses": {"score": Decimal("88.5")},
                        "committee": {"counts": {"excellent": 2, "qualified": 1}},
                    },
                )
            )
            for round_ in ("2010", 2010):
                e = c.member_evaluation(ORDINARY_MEMBER, round_)
                self.assertEqual(e["member"], ORDINARY_MEMBER)
                self.assertEqual(e["score"], "90.625")
                self.assertEqual(e["outcome"], {"graded": "qualified"})
                self.assertTrue(all("rule" in s for s in e["steps"]))

    def test_audit_seed_claims_shape(self):
        if not support.CLAIMS.exists():
            self.skipTest(f"{support.CLAIMS} missing")
        claims = json.loads(support.CLAIMS.read_text(encoding="utf-8"))
        with support.scenario_campaign() as c:
            out = c.audit(support.CLAIMS.read_text(encoding="utf-8"), as_of=AS_OF)
            self.assertEqual(set(out), {"findings"})
            self.assertEqual(len(out["findings"]), len(claims["claims"]))
            for f in out["findings"]:
                self.assertIn(
                    f["verdict"], {"supported", "supported_under_reading", "unsupported", "invalid"}
                )
                self.assertIn("claim", f)

    def test_audit_verdicts_from_the_reports_own_figures(self):
        figures = support.expected_report()["figures"]
        total = figures["pledge.practical.total"]
        done = figures["pledge.practical.completed"]
        claims = {
            "source": "test",
            "claims": [
                {"id": "ok", "text": "t", "figure": "pledge.practical.total", "claimed": str(total)},
                {"id": "off", "text": "t", "figure": "pledge.practical.total", "claimed": str(total + 1)},
                {
                    "id": "rate",
                    "text": "t",
                    "rate": {"numerator": "pledge.practical.completed", "denominator": "pledge.practical.total"},
                    "claimed": f"{round(100 * done / total)}%",
                },
                {"id": "nosuch", "text": "t", "figure": "no.such.figure", "claimed": "1"},
            ],
        }
        with support.scenario_campaign() as c:
            findings = c.audit(claims, as_of=AS_OF)["findings"]
            verdicts = [f["verdict"] for f in findings]
            self.assertEqual(verdicts, ["supported", "unsupported", "supported", "invalid"])
            self.assertEqual(str(findings[1]["computed"]), str(total))


class Lifecycle(unittest.TestCase):
    def test_close_is_idempotent_and_use_after_close_raises(self):
        c = Campaign.new(support.info())
        self.assertFalse(c.closed)
        c.close()
        c.close()
        self.assertTrue(c.closed)
        self.assertIn("closed", repr(c))
        for use in (
            lambda: c.seq,
            lambda: c.latest_date,
            lambda: c.execute(ROOT),
            lambda: c.import_commands(""),
            lambda: c.state(),
            lambda: c.snapshot(),
            lambda: c.report(),
            lambda: c.figures(),
            lambda: c.pledge("x"),
            lambda: c.member_evaluation("x", "2010"),
            lambda: c.audit("{}"),
            lambda: c.record_reception(AS_OF, "v", "v", ["m"], 1),
            lambda: c.record_visit(AS_OF, "v", "m", "h"),
            lambda: c.report_progress(AS_OF, "v", "p", 2010, 10, []),
        ):
            with self.assertRaises(CampaignClosed):
                use()
        with self.assertRaises(CampaignClosed):
            with c:
                pass

    def test_context_manager_closes_even_on_error(self):
        with self.assertRaises(chuangzheng.Refused):
            with Campaign.new(support.info()) as c:
                c.execute(ROOT)
                c.execute(ROOT)
        self.assertTrue(c.closed)

    def test_direct_construction_is_refused(self):
        with self.assertRaises(TypeError):
            Campaign()

    def test_handle_freed_exactly_once(self):
        calls = []
        lib = _ffi.lib()
        real = lib.cz_campaign_free
        lib.cz_campaign_free = lambda h: (calls.append(h), real(h))
        try:
            c = Campaign.new(support.info())
            c.close()
            c.close()
            d = Campaign.new(support.info())
            del d  # freed by the finalizer, once
            import gc

            gc.collect()
        finally:
            lib.cz_campaign_free = real
        self.assertEqual(len(calls), 2)

    def test_strings_copied_then_freed_exactly_once(self):
        freed = []
        lib = _ffi.lib()
        real = lib.cz_string_free
        lib.cz_string_free = lambda p: (freed.append(p), real(p))
        try:
            with support.scenario_campaign() as c:
                c.report(as_of=AS_OF, format="text")
                self.assertEqual(len(freed), 1)
                c.state()
                c.snapshot()
                c.pledge(PLEDGE)
                c.import_commands("", keep_going=True)
                c.audit({"source": "s", "claims": []}, as_of=AS_OF)
                self.assertEqual(len(freed), 6)
                with self.assertRaises(chuangzheng.Refused):
                    c.pledge("nope")  # a failure returns no string: nothing to free
                self.assertEqual(len(freed), 6)
        finally:
            lib.cz_string_free = real
        self.assertTrue(all(p for p in freed))  # never NULL: each a string the library made

    def test_raw_abi_null_handles_and_outputs(self):
        lib = _ffi.lib()
        seq = ctypes.c_uint64(7)
        self.assertEqual(lib.cz_campaign_seq(None, ctypes.byref(seq)), _ffi.CZ_NULL_ARGUMENT)
        self.assertEqual(seq.value, 7)
        lib.cz_campaign_free(None)  # does nothing
        lib.cz_string_free(None)  # does nothing
        out = ctypes.c_void_p()
        self.assertEqual(lib.cz_campaign_state_json(None, ctypes.byref(out)), _ffi.CZ_NULL_ARGUMENT)
        self.assertEqual(chuangzheng.last_error()[0], _ffi.CZ_NULL_ARGUMENT)
        self.assertIn("campaign", chuangzheng.last_error()[1])
        self.assertEqual(lib.cz_campaign_new(b'{"id":"c","name":"n"}', None, None), _ffi.CZ_NULL_ARGUMENT)
        self.assertIn("campaign_out", chuangzheng.last_error()[1])
        with support.scenario_campaign() as c:
            address = c._enter()
            try:
                # An output pointer that is NULL, and seq_out NULL (allowed).
                self.assertEqual(lib.cz_campaign_report(address, None, None, None, 0, None), 1)
                self.assertEqual(lib.cz_campaign_latest_date(address, None), 1)
                cmd = json.dumps(support.command(AS_OF, VILLAGE, "record_visit", {"cadre": CADRES[0], "household": HOUSEHOLD}))
                self.assertEqual(lib.cz_campaign_execute(address, cmd.encode(), None), 0)
                date = _ffi.cz_date(2010, 10, 31)
                self.assertEqual(
                    lib.cz_campaign_record_visit(address, date, VILLAGE.encode(), None, CADRES[0].encode(), HOUSEHOLD.encode(), None), 0
                )
                # cadres NULL with a length: NULL argument.
                self.assertEqual(
                    lib.cz_campaign_record_reception(address, date, VILLAGE.encode(), None, VILLAGE.encode(), None, 2, 1, None), 1
                )
                self.assertEqual(
                    lib.cz_campaign_import(address, b"", 2, ctypes.byref(out)), _ffi.CZ_INVALID_ARGUMENT
                )
                self.assertIn("flags", chuangzheng.last_error()[1])
                achieved = (ctypes.c_char_p * 1)(b"1")
                self.assertEqual(
                    lib.cz_campaign_report_progress(address, date, VILLAGE.encode(), None, PLEDGE.encode(), 2010, 10, achieved, 1, 4, None),
                    _ffi.CZ_INVALID_ARGUMENT,
                )
            finally:
                c._leave()


if __name__ == "__main__":
    unittest.main()


class Integrity(unittest.TestCase):
    """The anchor a host keeps (``last_hash``) and ``verify_journal`` against it."""

    def setUp(self):
        self.journal = support.scenario_file("journal.jsonl")
        self.text = self.journal.read_bytes()
        self.dir = Path(tempfile.mkdtemp(prefix="cz-verify-"))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def copy(self, name: str, data: bytes) -> Path:
        path = self.dir / name
        path.write_bytes(data)
        return path

    def test_the_anchor_of_a_campaign_is_its_journals_last_hash(self):
        whole = chuangzheng.verify_journal(self.journal)
        self.assertEqual(whole["last_seq"], whole["records"])
        self.assertEqual(whole["latest_date"], AS_OF)
        with Campaign.replay(self.text.decode("utf-8")) as c:
            self.assertEqual(c.last_hash, whole["last_hash"])
            self.assertEqual(c.seq, whole["last_seq"])
        again = chuangzheng.verify_journal(
            str(self.journal), expect_last_hash=whole["last_hash"], expect_seq=whole["last_seq"]
        )
        self.assertEqual(again, whole)

    def test_a_cut_at_a_record_boundary_fails_the_anchors(self):
        whole = chuangzheng.verify_journal(self.journal)
        lines = self.text.splitlines(keepends=True)
        cut = self.copy("cut.jsonl", b"".join(lines[:50]))
        self.assertEqual(chuangzheng.verify_journal(cut)["records"], 49)
        with self.assertRaises(chuangzheng.JournalError) as e:
            chuangzheng.verify_journal(cut, whole["last_hash"], whole["last_seq"])
        self.assertEqual(e.exception.code, 4011)
        self.assertIn("末端哈希", e.exception.message_zh)
        self.assertIn(f"its last seq is 49, not the {whole['last_seq']} expected", e.exception.message_en)

    def test_bytes_that_belong_to_no_record_fail_verification(self):
        torn = self.copy("torn.jsonl", self.text[:-40])
        with self.assertRaises(chuangzheng.JournalError) as e:
            chuangzheng.verify_journal(torn)
        self.assertEqual(e.exception.code, 4010)
        offset = self.text[:-40].rfind(b"\n") + 1
        self.assertIn(f"from byte {offset} on", e.exception.message_en)

    def test_an_anchor_that_is_not_a_hash_is_an_invalid_argument(self):
        with self.assertRaises(chuangzheng.InvalidArgument):
            chuangzheng.verify_journal(self.journal, expect_last_hash="ABC")
        with self.assertRaises(ValueError):
            chuangzheng.verify_journal(self.journal, expect_seq=-1)
