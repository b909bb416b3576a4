#!/usr/bin/env python3
"""Verify a chuangzheng journal without building Rust: an auditor's check of its SM3 chain.

    python3 tools/verify_journal.py JOURNAL [--expect-last-hash HEX] [--expect-seq N]
                                    [--public-key FILE]... [--hmac-key FILE]...

Reads only docs/events.md's rules, nothing of the library:

- the file is UTF-8 lines, each ending with LF alone; the first is the header;
- each line ends with its seal, ``,"h":"<64 lowercase hex digits>"}``: the hash covers the
  line's bytes up to (not including) the last ``,"h":"`` on the line;
- ``h = SM3(previous h as 32 bytes || those bytes)``, the header's previous h being 32 zero
  bytes;
- records carry ``"seq"`` 1, 2, 3, … in order;
- a checkpoint record (``"checkpoint"`` in place of ``"actor"`` and ``"event"``) names the record
  before it (``through`` = its seq − 1, ``h`` = that record's hash), and signs the line's bytes up
  to (not including) ``,"sig":"``: SM2 with SM3 and the identifier ``1234567812345678``, ``sig``
  being r ‖ s in hex (checked with ``--public-key``, an SPKI PEM or DER, through ``gmssl``), or
  HMAC-SM3, ``sig`` the MAC in hex (checked with ``--hmac-key``, the key file's bytes).

SM3 comes from OpenSSL through ``hashlib`` (``hashlib.new("sm3")``); where the local OpenSSL
lacks it, from the ``gmssl`` package (``pip install gmssl``). Exit status: 0 the journal is whole
and every anchor given holds; 1 a line fails (the line, its byte offset and why are printed) or an
anchor differs, or a checkpoint's signature fails under the key given for its algorithm; 4 bytes
at the end belong to no line (a last line without its LF); 5 with a key, records after the last
checkpoint it verifies; 2 usage.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import sys

SEAL = b',"h":"'
SIG = b',"sig":"'
SM2_OID = bytes.fromhex("06082a811ccf5501822d")  # 1.2.156.10197.1.301, the SM2 curve
HEX64 = re.compile(rb"[0-9a-f]{64}")


def _sm3():
    """A function bytes -> 32-byte SM3 digest: OpenSSL's, else gmssl's (``CZ_AUDIT_SM3=gmssl``
    takes gmssl's even where OpenSSL has SM3, to check one against the other)."""
    if os.environ.get("CZ_AUDIT_SM3") != "gmssl":
        try:
            hashlib.new("sm3")
            return lambda data: hashlib.new("sm3", data).digest()
        except ValueError:
            pass
    try:
        from gmssl import func, sm3  # type: ignore
    except ImportError:
        sys.exit("no SM3: this Python's OpenSSL lacks it and gmssl is not installed (pip install gmssl)")
    return lambda data: bytes.fromhex(sm3.sm3_hash(func.bytes_to_list(data)))


class Failure(Exception):
    """A line that fails: its number (1-based), byte offset and why."""

    def __init__(self, line: int, offset: int, why: str):
        super().__init__(f"line {line} (byte {offset}): {why}")


def check_line(sm3, prev: bytes, line: bytes, number: int, offset: int) -> bytes:
    """The line's hash, checked against ``prev``; raises Failure."""
    if line.endswith(b"\r"):
        raise Failure(number, offset, "ends with CR LF; journal lines end with LF alone")
    if number == 1 and line.startswith(b"\xef\xbb\xbf"):
        raise Failure(number, offset, "starts with a byte-order mark")
    at = line.rfind(SEAL)
    written = line[at + len(SEAL):-2] if at >= 0 else b""
    if at < 0 or not line.endswith(b'"}') or len(written) != 64:
        raise Failure(number, offset, "does not end with its hash field")
    if not HEX64.fullmatch(written):
        raise Failure(number, offset, "the hash is not 64 lowercase hex digits")
    h = sm3(prev + line[:at])
    if h.hex().encode() != written:
        raise Failure(number, offset, "hash does not match: this line or one before it was altered")
    return h


class Keys:
    """The keys checkpoints are checked with: SM2 public keys (x ‖ y in hex) and HMAC keys."""

    def __init__(self, public_keys: list[str], hmac_keys: list[str]):
        self.sm2 = [sm2_public_key(open(p, "rb").read()) for p in public_keys]
        self.hmac = [open(p, "rb").read() for p in hmac_keys]

    def given(self) -> bool:
        return bool(self.sm2 or self.hmac)

    def verifies(self, alg: str, signed: bytes, sig: str) -> bool | None:
        """Whether a key of ``alg`` verifies ``sig`` over ``signed``; None: no key of ``alg``."""
        if alg == "sm2" and self.sm2:
            return any(sm2_verifies(xy, signed, sig) for xy in self.sm2)
        if alg == "hmac-sm3" and self.hmac:
            return any(hmac.compare_digest(hmac_sm3(k, signed).hex(), sig) for k in self.hmac)
        return None


def sm2_public_key(data: bytes) -> str:
    """x ‖ y in hex from an SM2 SubjectPublicKeyInfo, PEM or DER: the key's last 65 bytes are
    the uncompressed point 04 ‖ x ‖ y."""
    if data.lstrip().startswith(b"-----BEGIN PUBLIC KEY-----"):
        body = b"".join(l for l in data.splitlines() if l and not l.startswith(b"-----"))
        data = base64.b64decode(body)
    if SM2_OID not in data or len(data) < 65 or data[-65] != 4:
        sys.exit("--public-key: not an SM2 SubjectPublicKeyInfo (PEM or DER)")
    return data[-64:].hex()


def sm2_verifies(xy: str, signed: bytes, sig: str) -> bool:
    try:
        from gmssl import sm2  # type: ignore
    except ImportError:
        sys.exit("SM2 needs gmssl (pip install gmssl)")
    crypt = sm2.CryptSM2(private_key=None, public_key="00" * 64)
    crypt.public_key = xy  # set directly: gmssl's constructor strips leading 0s and 4s
    return len(sig) == 128 and bool(crypt.verify_with_sm3(sig, signed))


def hmac_sm3(key: bytes, msg: bytes) -> bytes:
    """HMAC (RFC 2104) with SM3: OpenSSL's through hmac, else built on gmssl's SM3."""
    try:
        if os.environ.get("CZ_AUDIT_SM3") != "gmssl":
            return hmac.new(key, msg, "sm3").digest()
    except ValueError:
        pass
    sm3 = _sm3()
    key = sm3(key) if len(key) > 64 else key
    key = key.ljust(64, b"\0")
    inner = sm3(bytes(b ^ 0x36 for b in key) + msg)
    return sm3(bytes(b ^ 0x5C for b in key) + inner)


class Checkpoints:
    """What the checkpoints showed: how many, which signatures failed, the last signed seq."""

    def __init__(self, keys: Keys):
        self.keys, self.count, self.bad, self.last_signed = keys, 0, [], None

    def check(self, record: dict, line: bytes, prev: bytes, number: int, offset: int):
        cp, seq = record["checkpoint"], record["seq"]
        self.count += 1
        if seq == 1 or cp.get("through") != seq - 1:
            raise Failure(number, offset, f"checkpoint through {cp.get('through')} is not the record before it")
        if cp.get("h") != prev.hex():
            raise Failure(number, offset, "checkpoint h is not the hash of the record before it")
        signed = line[: line.rfind(SIG)]
        ok = self.keys.verifies(cp.get("alg"), signed, cp.get("sig", ""))
        if ok is True:
            self.last_signed = seq
        elif ok is False:
            self.bad.append((seq, cp.get("alg"), cp.get("key_id")))


def verify(path: str, checkpoints: Checkpoints) -> tuple[int, bytes, int | None]:
    """(records, last hash, offset of bytes in no line or None); raises Failure."""
    sm3 = _sm3()
    data = open(path, "rb").read()
    prev, offset, number, records = bytes(32), 0, 0, 0
    while offset < len(data):
        end = data.find(b"\n", offset)
        if end < 0:
            return records, prev, offset
        number += 1
        line = data[offset:end]
        before, prev = prev, check_line(sm3, prev, line, number, offset)
        if number > 1:
            try:
                record = json.loads(line)
                seq = record["seq"]
            except (ValueError, KeyError, TypeError):
                raise Failure(number, offset, "not a JSON record with a seq") from None
            if seq != records + 1:
                raise Failure(number, offset, f"seq {seq}, expected {records + 1}")
            if "checkpoint" in record:
                checkpoints.check(record, line, before, number, offset)
            records += 1
        offset = end + 1
    if number == 0:
        raise Failure(1, 0, "the journal is empty")
    return records, prev, None


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description="Verify a chuangzheng journal's SM3 chain.")
    p.add_argument("journal")
    p.add_argument("--expect-last-hash", help="the last hash kept apart from the journal")
    p.add_argument("--expect-seq", type=int, help="the last seq kept apart from the journal")
    p.add_argument("--public-key", action="append", default=[], help="an SM2 public key (SPKI)")
    p.add_argument("--hmac-key", action="append", default=[], help="an HMAC-SM3 key file")
    args = p.parse_args(argv)
    checkpoints = Checkpoints(Keys(args.public_key, args.hmac_key))
    try:
        records, last, torn = verify(args.journal, checkpoints)
    except Failure as e:
        print(f"FAILED {args.journal}: {e}")
        return 1
    status = 0
    print(f"{args.journal}: {records} records, seq 1..={records}, last hash {last.hex()}")
    if torn is not None:
        size = len(open(args.journal, "rb").read()) - torn
        print(f"NOT WHOLE: {size} bytes from byte {torn} on belong to no line")
        status = 4
    if args.expect_last_hash is not None and args.expect_last_hash != last.hex():
        print(f"ANCHOR: last hash is {last.hex()}, not the {args.expect_last_hash} expected")
        status = 1
    if args.expect_seq is not None and args.expect_seq != records:
        print(f"ANCHOR: last seq is {records}, not the {args.expect_seq} expected")
        status = 1
    return signatures(checkpoints, records, status)


def signatures(checkpoints: Checkpoints, records: int, status: int) -> int:
    """Prints what the checkpoints showed; the exit status with it."""
    if checkpoints.count and not checkpoints.keys.given():
        print(f"checkpoints: {checkpoints.count} (no key given: their place in the chain checked only)")
    elif checkpoints.count:
        print(f"checkpoints: {checkpoints.count}, last signed seq {checkpoints.last_signed}")
    for seq, alg, key_id in checkpoints.bad:
        print(f"BAD SIGNATURE: checkpoint seq {seq} ({alg}, key id {key_id!r})")
        status = 1
    signed = checkpoints.last_signed or 0
    if checkpoints.keys.given() and signed < records:
        print(f"UNSIGNED: records {signed + 1} to {records} follow the last checkpoint the key verifies")
        status = status or 5
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
