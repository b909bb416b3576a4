#!/usr/bin/env python3
"""Verify a chuangzheng journal without building Rust: an auditor's check of its SM3 chain.

    python3 tools/verify_journal.py JOURNAL [--expect-last-hash HEX] [--expect-seq N]

Reads only docs/events.md's rules, nothing of the library:

- the file is UTF-8 lines, each ending with LF alone; the first is the header;
- each line ends with its seal, ``,"h":"<64 lowercase hex digits>"}``: the hash covers the
  line's bytes up to (not including) the last ``,"h":"`` on the line;
- ``h = SM3(previous h as 32 bytes || those bytes)``, the header's previous h being 32 zero
  bytes;
- records carry ``"seq"`` 1, 2, 3, … in order.

SM3 comes from OpenSSL through ``hashlib`` (``hashlib.new("sm3")``); where the local OpenSSL
lacks it, from the ``gmssl`` package (``pip install gmssl``). Exit status: 0 the journal is whole
and every anchor given holds; 1 a line fails (the line, its byte offset and why are printed) or an
anchor differs; 4 bytes at the end belong to no line (a last line without its LF); 2 usage.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys

SEAL = b',"h":"'
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


def verify(path: str) -> tuple[int, bytes, int | None]:
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
        prev = check_line(sm3, prev, line, number, offset)
        if number > 1:
            try:
                seq = json.loads(line)["seq"]
            except (ValueError, KeyError, TypeError):
                raise Failure(number, offset, "not a JSON record with a seq") from None
            if seq != records + 1:
                raise Failure(number, offset, f"seq {seq}, expected {records + 1}")
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
    args = p.parse_args(argv)
    try:
        records, last, torn = verify(args.journal)
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
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
