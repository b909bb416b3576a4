"""Checkpoints: a journal signed with an HMAC-SM3 key and with an SM2 key (the test-only pair
under bindings/c/tests), verified under the right key, a wrong one (4013), with records after
the last checkpoint (4014), and bad algorithms and keys."""

from __future__ import annotations

import shutil
import tempfile
import unittest
from pathlib import Path

import support

import chuangzheng
from chuangzheng import Campaign

HMAC = b"0123456789abcdef0123456789abcdef"
KEYS = support.REPO / "bindings" / "c" / "tests"
SM2_PRIVATE = (KEYS / "test-only-sm2-private.pem").read_bytes()
SM2_PUBLIC = (KEYS / "test-only-sm2-public.pem").read_bytes()
SM2_OTHER_PUBLIC = (KEYS / "test-only-sm2-other-public.pem").read_bytes()
TOWNSHIP = support.command(
    "2010-12-01", "city", "create_org",
    {"id": "t-cp", "name": "检查点镇党委", "kind": "township_committee", "parent": "city"},
)


class Checkpoints(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="cz-checkpoint-"))
        self.path = self.dir / "journal.jsonl"

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def signed(self, alg: str, key: bytes, every: int = 500) -> Campaign:
        c = Campaign.create(self.path, support.info())
        result = c.import_commands(support.commands(), sign=(alg, key, "test-key"), every=every)
        self.assertTrue(result.ok)
        # Every `every` records and at the end of the one chunk (1968 commands); else that one.
        self.assertEqual(result.checkpoints > 1, every > 0)
        self.assertEqual(result.seq, c.seq)
        return c

    def test_hmac_signed_journal_verifies_under_its_key_only(self):
        with self.signed("hmac-sm3", HMAC) as c:
            seq = c.seq
            report = chuangzheng.verify_journal(self.path, alg="hmac-sm3", key=HMAC)
            self.assertEqual(report["last_signed"], seq)
            self.assertGreater(report["checkpoints"], 1)
            with self.assertRaises(chuangzheng.JournalError) as e:
                chuangzheng.verify_journal(self.path, alg="hmac-sm3", key=b"x" * 32)
            self.assertEqual(e.exception.code, 4013)
            self.assertIn("hmac-sm3", e.exception.message_en)
            # A record after the last checkpoint, then a checkpoint over it.
            c.execute(TOWNSHIP)
            with self.assertRaises(chuangzheng.JournalError) as e:
                chuangzheng.verify_journal(self.path, alg="hmac-sm3", key=HMAC)
            self.assertEqual(e.exception.code, 4014)
            key = bytearray(HMAC)
            self.assertEqual(c.checkpoint("hmac-sm3", key, "test-key"), seq + 2)
            key[:] = bytes(len(key))  # the caller's own copy, zeroed: the binding kept none
            again = chuangzheng.verify_journal(self.path, c.last_hash, seq + 2, "hmac-sm3", HMAC)
            self.assertEqual(again["last_signed"], seq + 2)
        # Without a key, as before: no checkpoint fields.
        self.assertNotIn("last_signed", chuangzheng.verify_journal(self.path))

    def test_sm2_signed_journal_verifies_under_its_public_key(self):
        with self.signed("sm2", SM2_PRIVATE, every=0):
            report = chuangzheng.verify_journal(self.path, alg="sm2", key=SM2_PUBLIC)
            self.assertEqual(report["last_signed"], report["last_seq"])
        with self.assertRaises(chuangzheng.JournalError) as e:
            chuangzheng.verify_journal(self.path, alg="sm2", key=SM2_OTHER_PUBLIC)
        self.assertEqual(e.exception.code, 4013)
        with self.assertRaises(chuangzheng.JournalError) as e:
            chuangzheng.verify_journal(self.path, alg="sm2", key=SM2_PRIVATE)
        self.assertEqual(e.exception.code, 4012)
        self.assertIn("pubout", e.exception.message_en)

    def test_bad_algorithms_and_keys(self):
        with Campaign.new(support.info()) as c:
            with self.assertRaises(chuangzheng.JournalError) as e:
                c.checkpoint("hmac-sm3", HMAC, "test-key")
            self.assertEqual(e.exception.code, 4015)
            c.execute(support.command(
                "2010-05-01", "city", "create_org",
                {"id": "city", "name": "东港市委", "kind": "city_committee"},
            ))
            with self.assertRaises(chuangzheng.InvalidArgument) as e:
                c.checkpoint("rsa", HMAC, "test-key")
            self.assertIn("argument alg", e.exception.message_en)
            for alg, key, key_id in [
                ("hmac-sm3", b"short", "test-key"),
                ("hmac-sm3", HMAC, " padded "),
                ("sm2", SM2_PUBLIC, "test-key"),
                ("sm2", b"", "test-key"),
            ]:
                with self.subTest(alg=alg, key=key[:12], key_id=key_id):
                    with self.assertRaises(chuangzheng.JournalError) as e:
                        c.checkpoint(alg, key, key_id)
                    self.assertEqual(e.exception.code, 4012)
            with self.assertRaises(TypeError):
                c.checkpoint("sm2", SM2_PRIVATE.decode(), "test-key")
            with self.assertRaises(chuangzheng.InvalidArgument):
                c.import_commands(support.commands(), sign=("hmac", HMAC, "k"))
            with self.assertRaises(ValueError):
                c.import_commands(support.commands(), every=10)
            self.assertEqual(c.seq, 1)
            self.assertEqual(c.checkpoint("sm2", bytearray(SM2_PRIVATE), "test-key"), 2)
        with self.assertRaises(ValueError):
            chuangzheng.verify_journal(self.path, alg="sm2")


if __name__ == "__main__":
    unittest.main()
