"""Shared by the tests: where the package, the library and the scenario are, and the
scenario's campaign.

Two ways to run. From the source tree (run_tests.sh): the package is <repo>/bindings/python's
and CZ_LIB_DIR (default <repo>/target/debug) holds libchuangzheng.so. Installed
(build_wheel.sh sets CZ_TEST_INSTALLED=1): the package is the one installed in the running
Python, with the library its wheel bundles; the source tree is not put on sys.path and
CZ_LIB_DIR and CHUANGZHENG_LIB must be unset. Either way CZ_SCENARIO_DIR (default
<repo>/target/bindings-scenario) holds commands.jsonl and report.json (and, from
`chuangzheng demo --small --out DIR`, journal.jsonl, report.txt and report.html).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BINDING = HERE.parent
REPO = BINDING.parent.parent
INSTALLED = os.environ.get("CZ_TEST_INSTALLED") == "1"
if not INSTALLED:
    sys.path.insert(0, str(BINDING))

import chuangzheng  # noqa: E402

PACKAGE = Path(chuangzheng.__file__).resolve().parent
if INSTALLED:
    # Checked here, before any test runs, so that no test passes against the wrong copy.
    assert not PACKAGE.is_relative_to(BINDING), f"{PACKAGE}: the source tree, not the installed package"
    for name in ("CZ_LIB_DIR", "CHUANGZHENG_LIB"):
        assert name not in os.environ, f"{name} is set: the bundled library would not be used"
    LIB_DIR = PACKAGE
else:
    LIB_DIR = Path(os.environ.get("CZ_LIB_DIR") or REPO / "target" / "debug")
SCENARIO = Path(os.environ.get("CZ_SCENARIO_DIR") or REPO / "target" / "bindings-scenario")
CLAIMS = REPO / "examples" / "seed-claims.json"
AS_OF = "2010-10-31"

chuangzheng.load(None if INSTALLED else LIB_DIR / "libchuangzheng.so")

# Valid ids in the small demo city's commands.jsonl.
VILLAGE = "v-001"
CADRES = ["m-000001", "m-000002", "m-000003", "m-000004"]  # secretary, committee members
ORDINARY_MEMBER = "m-000005"
HOUSEHOLD = "h-v-001-00"
PLEDGE = "pm-m-000001"  # published; its 2010-10 report is already filed


def scenario_file(name: str) -> Path:
    return SCENARIO / name


@functools.cache
def commands() -> str:
    return scenario_file("commands.jsonl").read_text(encoding="utf-8")


@functools.cache
def expected_report() -> dict:
    return json.loads(scenario_file("report.json").read_text(encoding="utf-8"))


def info() -> dict:
    return expected_report()["campaign"]


@functools.cache
def scenario_snapshot() -> str:
    """The scenario's campaign after the import, as a snapshot (to copy it cheaply)."""
    with chuangzheng.Campaign.new(info()) as c:
        c.import_commands(commands())
        return c.snapshot()


def scenario_campaign() -> chuangzheng.Campaign:
    """A fresh copy of the scenario's campaign, for a test to change."""
    return chuangzheng.Campaign.from_snapshot(scenario_snapshot())


def command(at: str, org: str, event: str, fields: dict, by: str | None = None) -> dict:
    actor = {"org": org} if by is None else {"org": org, "by": by}
    return {"at": at, "actor": actor, "event": {event: fields}}
