"""tools/verify_journal.py against the library: the same last hash on a journal the library
wrote, and each tampering caught; the same chain from gmssl's SM3 as from OpenSSL's; the
library's SM2 and HMAC-SM3 checkpoints checked by gmssl's SM2 and Python's HMAC, and a
checkpoint signed by gmssl checked by the library. Run by scripts/test with CZ_SCENARIO_DIR (the
small demo's journal and commands), CZ_BIN (the chuangzheng command) and gmssl on PYTHONPATH."""

import base64
import hashlib
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
KEYS = HERE.parent / "tests" / "data" / "keys"


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


def reseal(lines: list[bytes], fix_checkpoints: bool) -> bytes:
    """The lines sealed again from the header on, as docs/events.md says; with
    ``fix_checkpoints``, each checkpoint's ``h`` pointed at the new hash before it."""
    prev, out = bytes(32), []
    for line in lines:
        body = line.rstrip(b"\n")
        body = body[: body.rfind(b',"h":"')]
        if fix_checkpoints and b'"checkpoint":' in body:
            start = body.index(b'"h":"') + 5
            body = body[:start] + prev.hex().encode() + body[start + 64:]
        prev = hashlib.new("sm3", prev + body).digest()
        out.append(body + b',"h":"' + prev.hex().encode() + b'"}\n')
    return b"".join(out)


def sm2_private_key(pem: bytes) -> str:
    """d in hex from a PKCS#8 SM2 key: the ECPrivateKey's version 1 then its 32-byte OCTET STRING."""
    der = base64.b64decode(b"".join(l for l in pem.splitlines() if not l.startswith(b"-----")))
    at = der.index(bytes.fromhex("020101" "0420")) + 5
    return der[at:at + 32].hex()


class Checkpoints(unittest.TestCase):
    """A journal the library signed (SM2 every 500 records, then an HMAC-SM3 checkpoint),
    checked by the auditor with gmssl's SM2, and the other way round."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.journal = Path(cls.dir.name) / "signed.jsonl"
        cls.hmac_key = Path(cls.dir.name) / "hmac.key"
        cls.hmac_key.write_bytes(bytes(range(32)))
        commands = Path(os.environ["CZ_SCENARIO_DIR"]) / "commands.jsonl"
        for args in (
            ["import", cls.journal, commands, "--create", "signed", "签名城", "--sign-key",
             KEYS / "sm2-test-a.pem", "--key-id", "ops-a", "--every", "500"],
            ["checkpoint", cls.journal, "--hmac-key", cls.hmac_key, "--key-id", "h-1"],
        ):
            subprocess.run([BIN, *map(str, args)], capture_output=True, check=True)
        cls.lines = cls.journal.read_bytes().splitlines(keepends=True)
        cls.keys = ["--public-key", str(KEYS / "sm2-test-a.pub.pem"), "--hmac-key", str(cls.hmac_key)]

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def library(self, path: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([BIN, "verify", str(path), *args], capture_output=True, text=True)

    def write(self, data: bytes) -> Path:
        path = Path(self.dir.name) / "copy.jsonl"
        path.write_bytes(data)
        return path

    def test_gmssl_verifies_every_checkpoint_the_library_signed(self):
        out = audit(self.journal, *self.keys)
        self.assertEqual(out.returncode, 0, out.stdout)
        library = json.loads(self.library(self.journal, "--json", *self.keys).stdout)
        self.assertEqual(library["signatures"]["last_signed"], library["last_seq"])
        count, last = library["checkpoints"], library["last_seq"]
        self.assertIn(f"checkpoints: {count}, last signed seq {last}", out.stdout)

    def test_another_key_fails_and_an_unsigned_tail_is_told_as_the_library_tells_it(self):
        out = audit(self.journal, "--public-key", str(KEYS / "sm2-test-b.pub.pem"))
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn("BAD SIGNATURE: checkpoint seq 501 (sm2, key id 'ops-a')", out.stdout)
        # The SM2 key alone: the HMAC checkpoint at the end is unchecked, so it is the tail.
        sm2_only = self.keys[:2]
        out = audit(self.journal, *sm2_only)
        self.assertEqual(out.returncode, 5, out.stdout)
        self.assertEqual(self.library(self.journal, *sm2_only).returncode, 5)

    def test_a_journal_rewritten_and_resealed_passes_the_chain_and_fails_the_key(self):
        lines = list(self.lines)
        i = next(i for i, l in enumerate(lines) if i > 1 and "党".encode() in l)
        lines[i] = lines[i].replace("党".encode(), "团".encode(), 1)
        forged = self.write(reseal(lines, fix_checkpoints=True))
        self.assertEqual(audit(forged).returncode, 0)
        self.assertEqual(self.library(forged).returncode, 0)
        out = audit(forged, *self.keys)
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertEqual(self.library(forged, *self.keys).returncode, 1)

    def test_the_library_verifies_a_checkpoint_gmssl_signed(self):
        from gmssl import sm2  # type: ignore

        lines = list(self.lines[:-1])  # up to the last SM2 checkpoint
        last = lines[-1]
        cut = last.rindex(b',"sig":"')
        signed = last[:cut]
        pem = (KEYS / "sm2-test-a.pem").read_bytes()
        public = (KEYS / "sm2-test-a.pub.pem").read_bytes()
        der = base64.b64decode(b"".join(l for l in public.splitlines() if not l.startswith(b"-----")))
        crypt = sm2.CryptSM2(private_key=sm2_private_key(pem), public_key="00" * 64)
        crypt.public_key = der[-64:].hex()
        sig = crypt.sign_with_sm3(signed)
        self.assertNotIn(sig.encode(), last, "gmssl's nonce is random, the library's is not")
        lines[-1] = signed + b',"sig":"' + sig.encode() + last[cut + 8 + 128:]
        path = self.write(reseal(lines, fix_checkpoints=False))
        out = self.library(path, "--public-key", str(KEYS / "sm2-test-a.pub.pem"))
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)


if __name__ == "__main__":
    unittest.main()
