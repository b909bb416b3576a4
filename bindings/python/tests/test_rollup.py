"""Figures across machines through the binding: a journal opened read-only
(``Campaign.open_read_only``, ``cz_campaign_open_read_only``), a scope's figures alone
(``Campaign.figures``), their merge (``merge_figures``) and its report (``figures_report``,
``figures_report_xlsx``); the merge's refusals (5004-5007) and the read-only campaign's (4016);
a binary snapshot beside the journal (``Campaign.save_snapshot``) loaded, or skipped when
damaged, by the read-only open; one written by itself (``Campaign.set_snapshot_every``) and its
failure told once (``Campaign.take_snapshot_error``)."""

import ctypes
import hashlib
import json
import shutil
import tempfile
import unittest
from decimal import Decimal
from pathlib import Path

import chuangzheng
import support
from chuangzheng import Campaign, _ffi
from support import AS_OF, CADRES, HOUSEHOLD, VILLAGE

# t-02's village: under t-02, so its parent is not t-01's (city).
T02_VILLAGE = "v-002"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def added(a, b):
    """Two figures (JSON values of the same shape) added leaf by leaf; a key one of two maps
    lacks counts nothing there (maps by name list only what was counted)."""
    if isinstance(a, dict):
        return {k: added(a[k], b[k]) if k in a and k in b else a.get(k, b.get(k)) for k in a | b}
    if isinstance(a, list):
        return [added(x, y) for x, y in zip(a, b, strict=True)]
    return a + b


class Figures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.c = Campaign.open_read_only(support.scenario_file("journal.jsonl"))
        cls.t01 = cls.c.figures(scope="t-01", as_of=AS_OF)
        cls.t02 = cls.c.figures(scope="t-02", as_of=AS_OF)

    @classmethod
    def tearDownClass(cls):
        cls.c.close()

    def test_the_figures_name_their_scope_and_terms(self):
        doc = json.loads(self.t01)
        self.assertEqual((doc["format"], doc["version"]), ("chuangzheng.stage_figures", 1))
        self.assertEqual(doc["as_of"], AS_OF)
        self.assertEqual(doc["attribution"], "as_of")
        self.assertEqual(doc["campaign"], support.info())
        (scope,) = doc["scopes"]
        self.assertEqual(scope["org"], "t-01")
        self.assertEqual([p["org"] for p in scope["path"]], ["city"])
        self.assertEqual(scope["figures"], doc["totals"])
        historical = json.loads(self.c.figures(scope="t-01", as_of=AS_OF, attribution="historical"))
        self.assertEqual(historical["attribution"], "historical")

    def test_read_only_figures_are_the_replayed_campaigns(self):
        text = support.scenario_file("journal.jsonl").read_text(encoding="utf-8")
        with Campaign.replay(text) as replayed:
            self.assertEqual(replayed.figures(scope="t-01", as_of=AS_OF), self.t01)
            self.assertEqual(replayed.figures(), self.c.figures())

    def test_two_townships_merge_and_the_reports_figures_are_their_sum(self):
        merged = json.loads(chuangzheng.merge_figures([self.t01, self.t02]))
        docs = [json.loads(self.t01), json.loads(self.t02)]
        self.assertEqual([s["org"] for s in merged["scopes"]], ["t-01", "t-02"])
        self.assertEqual(merged["totals"], added(docs[0]["totals"], docs[1]["totals"]))
        self.assertNotIn("title", merged)

        report = chuangzheng.figures_report(merged)
        self.assertEqual(report["scope"]["org"], "city")  # the scopes' common parent
        self.assertEqual([p["org"] for p in report["parts"]], ["t-01", "t-02"])
        each = [self.c.report(scope=s, as_of=AS_OF)["figures"] for s in ("t-01", "t-02")]
        figures = report["figures"]
        counts = 0
        for key, value in figures.items():
            if isinstance(value, int):
                counts += 1
                self.assertEqual(value, each[0][key] + each[1][key], key)
            elif key.endswith("_yuan"):  # amounts: decimals, added
                self.assertEqual(Decimal(value), Decimal(each[0][key]) + Decimal(each[1][key]), key)
        self.assertGreater(counts, 100)
        # A rate is computed from the merged counts, never averaged.
        done, total = figures["pledge.practical.completed"], figures["pledge.practical.total"]
        self.assertEqual(
            Decimal(figures["pledge.practical.completion_rate"]),
            (Decimal(done) / Decimal(total)).quantize(Decimal("0.0001")),
        )

    def test_the_report_in_every_format(self):
        merged = chuangzheng.merge_figures([self.t01, json.loads(self.t02)])  # text or dict
        text = chuangzheng.figures_report(merged, format="text")
        self.assertIn("第1镇党委", text)
        self.assertIn("附表一", text)
        self.assertIn("<html", chuangzheng.figures_report(merged, format="html"))
        self.assertEqual(chuangzheng.figures_report(merged, format=chuangzheng.CZ_FORMAT_JSON)["format"],
                         "chuangzheng.stage_report/1")
        book = chuangzheng.figures_report_xlsx(merged)
        self.assertTrue(book.startswith(b"PK"), book[:8])
        self.assertEqual(book, chuangzheng.figures_report_xlsx(merged), "reproducible")
        with self.assertRaises(ValueError):
            chuangzheng.figures_report(merged, format="pdf")

    def test_a_merge_of_merges_is_the_merge_of_all(self):
        t03 = self.c.figures(scope="s-01", as_of=AS_OF)
        pairwise = chuangzheng.merge_figures([chuangzheng.merge_figures([self.t01, self.t02]), t03])
        self.assertEqual(pairwise, chuangzheng.merge_figures([self.t02, t03, self.t01]))

    def test_a_title_names_scopes_without_a_common_parent(self):
        village = self.c.figures(scope=T02_VILLAGE, as_of=AS_OF)
        untitled = chuangzheng.merge_figures([self.t01, village])
        with self.assertRaises(chuangzheng.FiguresError) as e:
            chuangzheng.figures_report(untitled)
        self.assertEqual(e.exception.code, 5007)
        self.assertIn("title", e.exception.message_en)
        titled = chuangzheng.merge_figures([self.t01, village], title="汇总")
        self.assertEqual(json.loads(titled)["title"]["name"], "汇总")
        self.assertEqual(chuangzheng.figures_report(titled)["scope"]["name"], "汇总")

    def test_overlapping_scopes_are_refused_5006(self):
        root = self.c.figures(as_of=AS_OF)
        for docs in ([self.t01, self.t01], [root, self.t01], [self.t02, self.c.figures(scope=T02_VILLAGE)]):
            with self.subTest([json.loads(d)["scopes"][0]["org"] for d in docs]):
                with self.assertRaises(chuangzheng.FiguresError) as e:
                    chuangzheng.merge_figures(docs)
                self.assertEqual(e.exception.code, 5006)
                self.assertIsInstance(e.exception, chuangzheng.AuditError)  # the 5xxx family
                self.assertIn("重复计数", e.exception.message_zh)
                self.assertIn("overlap", e.exception.message_en)
                self.assertEqual(chuangzheng.last_error(), (5006, e.exception.message))

    def test_figures_of_another_day_are_refused_5005(self):
        earlier = self.c.figures(scope="t-02", as_of="2010-09-30")
        with self.assertRaises(chuangzheng.FiguresError) as e:
            chuangzheng.merge_figures([self.t01, earlier])
        self.assertEqual(e.exception.code, 5005)
        self.assertIn("统计截止日", e.exception.message_zh)
        self.assertIn("as_of", e.exception.message_en)
        self.assertIn("2010-09-30", e.exception.message_en)
        historical = self.c.figures(scope="t-02", as_of=AS_OF, attribution="historical")
        with self.assertRaises(chuangzheng.FiguresError) as e:
            chuangzheng.merge_figures([self.t01, historical])
        self.assertEqual(e.exception.code, 5005)
        self.assertIn("attribution", e.exception.message_en)

    def test_a_document_that_cannot_be_read_is_refused_5004(self):
        doc = json.loads(self.t02)
        doc["totals"]["pledges"]["revised_orgs"] += 1  # no longer its scopes' sum
        cases = {
            "garbage": ([self.t01, "garbage"], "docs[1]"),
            "another format": ([self.t01, {"format": "x"}], "docs[1]"),
            "totals that lie": ([doc, self.t01], "totals"),
            "nothing": ([], "nothing to merge"),
        }
        for name, (docs, named) in cases.items():
            with self.subTest(name):
                with self.assertRaises(chuangzheng.FiguresError) as e:
                    chuangzheng.merge_figures(docs)
                self.assertEqual(e.exception.code, 5004)
                self.assertIn(named, e.exception.message_en)
                self.assertRegex(e.exception.message_zh, "统计数据文件无法读取")
        with self.assertRaises(chuangzheng.FiguresError) as e:
            chuangzheng.figures_report("{}")
        self.assertEqual(e.exception.code, 5004)
        with self.assertRaises(chuangzheng.FiguresError) as e:
            chuangzheng.figures_report_xlsx("{")
        self.assertEqual(e.exception.code, 5004)
        with self.assertRaises(chuangzheng.InvalidUtf8):
            chuangzheng.figures_report_xlsx(b"\xff")

    def test_python_side_argument_checks(self):
        with self.assertRaises(TypeError):
            chuangzheng.merge_figures(self.t01)  # one document, not a list of them
        with self.assertRaises(TypeError):
            chuangzheng.merge_figures([self.t01, 7])
        with self.assertRaises(ValueError):
            self.c.figures(attribution="nowhere")
        with self.assertRaises(chuangzheng.Refused) as e:
            self.c.figures(scope="no-such-org")
        self.assertEqual(e.exception.code, 3002)

    def test_strings_freed_exactly_once(self):
        freed = []
        lib = _ffi.lib()
        real = lib.cz_string_free
        lib.cz_string_free = lambda p: (freed.append(p), real(p))
        try:
            merged = chuangzheng.merge_figures([self.c.figures(scope="t-01"), self.t02])
            chuangzheng.figures_report(merged, format="text")
            self.assertEqual(len(freed), 3)
            with self.assertRaises(chuangzheng.FiguresError):
                chuangzheng.merge_figures([self.t01, self.t01])
            self.assertEqual(len(freed), 3)
        finally:
            lib.cz_string_free = real
        self.assertTrue(all(freed))


class ReadOnly(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="cz-read-only-"))
        self.journal = self.dir / "journal.jsonl"
        shutil.copyfile(support.scenario_file("journal.jsonl"), self.journal)
        self.records = chuangzheng.verify_journal(self.journal)["records"]

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_a_whole_journal_reports_no_torn_tail(self):
        with Campaign.open_read_only(self.journal) as c:
            self.assertEqual(c.replay_report, chuangzheng.ReplayReport(self.records, None))
            self.assertEqual(c.seq, self.records)
        with Campaign.replay(self.journal.read_text(encoding="utf-8")) as c:
            self.assertIsNone(c.replay_report)

    def test_a_torn_tail_is_reported_and_the_file_left_byte_for_byte(self):
        size = self.journal.stat().st_size
        tail = b'{"seq":' + str(self.records + 1).encode() + b',"at":"2010-11'
        with self.journal.open("ab") as f:
            f.write(tail)  # a write cut short: no newline
        before = sha256(self.journal)
        with Campaign.open_read_only(self.journal) as c:
            report = c.replay_report
            self.assertEqual(report.records, self.records)
            self.assertEqual(report.torn_tail, chuangzheng.TornTail(offset=size, length=len(tail)))
            self.assertEqual(c.seq, self.records)
            self.assertEqual(json.loads(c.figures())["as_of"], AS_OF)
            # Commands and checkpoints are refused: nothing is ever written.
            visit = support.command(AS_OF, VILLAGE, "record_visit", {"cadre": CADRES[0], "household": HOUSEHOLD})
            refusals = {
                "execute": lambda: c.execute(visit),
                "import": lambda: c.import_commands([visit]),
                "record_visit": lambda: c.record_visit(AS_OF, VILLAGE, CADRES[0], HOUSEHOLD),
                "checkpoint": lambda: c.checkpoint("hmac-sm3", b"k" * 32, "ops"),
            }
            for name, call in refusals.items():
                with self.subTest(name):
                    with self.assertRaises(chuangzheng.JournalError) as e:
                        call()
                    self.assertEqual(e.exception.code, 4016)
                    self.assertIn("只读", e.exception.message_zh)
                    self.assertIn("read-only", e.exception.message_en)
            self.assertEqual(c.seq, self.records)
        self.assertEqual(sha256(self.journal), before)
        # The writer's open cuts the torn tail; the read-only open did not.
        with Campaign.open(self.journal) as c:
            self.assertEqual(c.seq, self.records)
        self.assertEqual(self.journal.stat().st_size, size)

    def test_a_journal_held_by_a_writer_is_read_as_it_was(self):
        with Campaign.open(self.journal) as writer:
            with Campaign.open_read_only(self.journal) as reader:
                writer.record_visit(AS_OF, VILLAGE, CADRES[0], HOUSEHOLD)
                self.assertEqual(reader.seq, self.records)
            self.assertEqual(writer.seq, self.records + 1)

    def test_a_corrupt_or_missing_journal_is_refused(self):
        text = self.journal.read_bytes()
        self.journal.write_bytes(text.replace(b'"visitors":', b'"visitors":1', 1))
        with self.assertRaises(chuangzheng.JournalError) as e:
            Campaign.open_read_only(self.journal)
        self.assertEqual(e.exception.code, 4005)
        with self.assertRaises(chuangzheng.JournalError) as e:
            Campaign.open_read_only(self.dir / "missing.jsonl")
        self.assertEqual(e.exception.code, 4001)
        with self.assertRaises(chuangzheng.NullArgument):
            Campaign.open_read_only(None)

    def test_a_snapshot_beside_the_journal_is_loaded_and_a_damaged_one_skipped(self):
        snapshot = Path(f"{self.journal}.snapshot")
        with Campaign.open(self.journal) as c:
            seq = c.seq
            figures = json.loads(c.figures(as_of=AS_OF))
            self.assertFalse(snapshot.exists())
            self.assertEqual(c.save_snapshot(), seq)
            self.assertEqual(c.seq, seq, "a snapshot is no record")
        self.assertGreater(seq, 0)
        self.assertTrue(snapshot.is_file())
        with Campaign.open_read_only(self.journal) as c:
            self.assertEqual(c.replay_report, chuangzheng.ReplayReport(seq, None, seq, None))
            self.assertEqual(c.seq, seq)
            self.assertEqual(json.loads(c.figures(as_of=AS_OF)), figures)

        # A record after the snapshot: loaded from it, that record replayed on top.
        with Campaign.open(self.journal) as c:
            after = c.record_visit(AS_OF, VILLAGE, CADRES[0], HOUSEHOLD)
            figures = json.loads(c.figures(as_of=AS_OF))
        self.assertEqual(after, seq + 1)
        with Campaign.open_read_only(self.journal) as c:
            self.assertEqual(c.replay_report, chuangzheng.ReplayReport(seq + 1, None, seq, None))
            self.assertEqual(c.seq, seq + 1)
            self.assertEqual(json.loads(c.figures(as_of=AS_OF)), figures)

        # One byte flipped in the middle: the snapshot is skipped, the journal replayed whole.
        data = bytearray(snapshot.read_bytes())
        data[len(data) // 2] ^= 0xFF
        snapshot.write_bytes(bytes(data))
        with Campaign.open_read_only(self.journal) as c:
            report = c.replay_report
            self.assertEqual(report.records, seq + 1)
            self.assertIsNone(report.snapshot)
            self.assertIsInstance(report.snapshot_skipped, str)
            self.assertIn("checksum", report.snapshot_skipped)
            self.assertEqual(c.seq, seq + 1)
            self.assertEqual(json.loads(c.figures(as_of=AS_OF)), figures)
        self.assertEqual(snapshot.read_bytes(), bytes(data), "a skipped snapshot is left in place")

    def test_save_snapshot_refused_read_only_4016_and_without_a_journal_file_4017(self):
        snapshot = Path(f"{self.journal}.snapshot")
        with Campaign.open_read_only(self.journal) as c:
            with self.assertRaises(chuangzheng.JournalError) as e:
                c.save_snapshot()
            self.assertEqual(e.exception.code, 4016)
            self.assertIn("read-only", e.exception.message_en)
        self.assertFalse(snapshot.exists())
        in_memory = {
            "new": lambda: Campaign.new(support.info()),
            "from_snapshot": lambda: Campaign.from_snapshot(support.scenario_snapshot()),
            "replay": lambda: Campaign.replay(self.journal.read_text(encoding="utf-8")),
        }
        for name, make in in_memory.items():
            with self.subTest(name), make() as c:
                seq = c.seq
                with self.assertRaises(chuangzheng.JournalError) as e:
                    c.save_snapshot()
                self.assertEqual(e.exception.code, 4017)
                self.assertNotEqual(e.exception.message_zh, e.exception.message_en)
                self.assertEqual(c.seq, seq)
        with self.assertRaises(chuangzheng.CampaignClosed):
            c.save_snapshot()

    def test_a_snapshot_written_by_itself_and_its_failure_told_once(self):
        snapshot = Path(f"{self.journal}.snapshot")
        tmp = Path(f"{self.journal}.snapshot.tmp")
        with Campaign.open(self.journal) as c:
            seq = c.seq
            self.assertIsNone(c.take_snapshot_error())
            c.set_snapshot_every(1)
            tmp.mkdir()  # where the snapshot's temporary file would go: it cannot be written
            household = support.command(AS_OF, VILLAGE, "register_household", {"id": "h-auto", "village": VILLAGE})
            self.assertEqual(c.execute(household), seq + 1, "a failed snapshot fails no record")
            self.assertFalse(snapshot.exists())
            err = c.take_snapshot_error()
            self.assertIsInstance(err, chuangzheng.JournalError)
            self.assertEqual(err.code, 4001)
            self.assertIn("snapshot", err.message_en)
            self.assertNotEqual(err.message_zh, err.message_en)
            self.assertIsNone(c.take_snapshot_error(), "told once")
            tmp.rmdir()
            household = support.command(AS_OF, VILLAGE, "register_household", {"id": "h-auto2", "village": VILLAGE})
            self.assertEqual(c.execute(household), seq + 2)
            self.assertIsNone(c.take_snapshot_error())
            self.assertTrue(snapshot.is_file())
            c.set_snapshot_every(0)
            c.set_snapshot_every(None)
            c.set_snapshot_every(2**64 - 1)
            for bad, error in [(-1, ValueError), (2**64, ValueError), (1.0, TypeError), ("1", TypeError), (True, TypeError)]:
                with self.subTest(every=bad), self.assertRaises(error):
                    c.set_snapshot_every(bad)
        with self.assertRaises(chuangzheng.CampaignClosed):
            c.set_snapshot_every(1)
        with self.assertRaises(chuangzheng.CampaignClosed):
            c.take_snapshot_error()
        with Campaign.open_read_only(self.journal) as c:
            self.assertEqual(c.replay_report, chuangzheng.ReplayReport(seq + 2, None, seq + 2, None))
            self.assertEqual(c.seq, seq + 2)
            # Read-only: nothing is ever written by itself, and nothing failed.
            self.assertIsNone(c.take_snapshot_error())

    def test_the_raw_abi_accepts_a_null_report(self):
        handle = ctypes.c_void_p()
        lib = _ffi.lib()
        self.assertEqual(lib.cz_campaign_open_read_only(bytes(self.journal), ctypes.byref(handle), None), 0)
        lib.cz_campaign_free(handle)


if __name__ == "__main__":
    unittest.main()
