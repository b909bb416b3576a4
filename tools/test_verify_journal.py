"""tools/verify_journal.py against the library: the same last hash on a journal the library
wrote, and each tampering caught; the same chain from gmssl's SM3 as from OpenSSL's. Run by
scripts/test with CZ_SCENARIO_DIR (the small demo's journal), CZ_BIN (the chuangzheng command)
and gmssl on PYTHONPATH."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
AUDITOR = HERE / "verify_journal.py"
JOURNAL = Path(os.environ["CZ_SCENARIO_DIR"]) / "journal.jsonl"
BIN = os.environ["CZ_BIN"]


def audit(path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(AUDITOR), str(path), *args], capture_output=True, text=True
    )


class Auditor(unittest.TestCase):
    def setUp(self):
        self.data = JOURNAL.read_bytes()
        self.lines = self.data.splitlines(keepends=True)
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def write(self, data: bytes) -> Path:
        path = Path(self.dir.name) / "j.jsonl"
        path.write_bytes(data)
        return path

    def test_it_finds_the_librarys_last_hash_and_seq(self):
        library = json.loads(
            subprocess.run([BIN, "verify", "--json", str(JOURNAL)], capture_output=True, check=True).stdout
        )
        out = audit(JOURNAL, "--expect-last-hash", library["last_hash"], "--expect-seq", str(library["last_seq"]))
        self.assertEqual(out.returncode, 0, out.stdout)
        self.assertIn(f"{library['records']} records", out.stdout)
        self.assertIn(library["last_hash"], out.stdout)

    def test_gmssls_sm3_gives_the_same_chain(self):
        openssl = audit(JOURNAL)
        env = dict(os.environ, CZ_AUDIT_SM3="gmssl")
        gmssl = subprocess.run(
            [sys.executable, str(AUDITOR), str(JOURNAL)], capture_output=True, text=True, env=env
        )
        self.assertEqual(gmssl.returncode, 0, gmssl.stdout + gmssl.stderr)
        self.assertEqual(gmssl.stdout, openssl.stdout)

    def test_every_tampering_fails(self):
        body = self.lines[10]
        at = body.index(b'"at":"2010-') + 6
        edited = body[:at] + (b"2011" if body[at:at + 4] != b"2011" else b"2012") + body[at + 4:]
        cases = {
            "edited": b"".join(self.lines[:10] + [edited] + self.lines[11:]),
            "dropped": b"".join(self.lines[:10] + self.lines[11:]),
            "swapped": b"".join(self.lines[:10] + [self.lines[11], self.lines[10]] + self.lines[12:]),
            "duplicated": b"".join(self.lines[:11] + [self.lines[10]] + self.lines[11:]),
            "CR LF": b"".join(self.lines[:10] + [self.lines[10].replace(b"\n", b"\r\n")] + self.lines[11:]),
        }
        for name, data in cases.items():
            with self.subTest(name):
                out = audit(self.write(data))
                self.assertEqual(out.returncode, 1, out.stdout)
                self.assertIn("FAILED", out.stdout)

    def test_a_torn_tail_is_not_whole_and_a_cut_fails_its_anchors(self):
        out = audit(self.write(self.data[:-40]))
        self.assertEqual(out.returncode, 4, out.stdout)
        self.assertIn("NOT WHOLE", out.stdout)
        whole = audit(JOURNAL)
        last = whole.stdout.split("last hash ")[1].split()[0]
        out = audit(self.write(b"".join(self.lines[:20])), "--expect-last-hash", last)
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn("ANCHOR", out.stdout)


if __name__ == "__main__":
    unittest.main()
