"""Where the library comes from: the loader's order, its error when nothing loads, and (run by
build_wheel.sh against the installed wheel) that the package and the library in use are the
installed ones."""

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import unittest
from pathlib import Path

import chuangzheng
import support
from chuangzheng import _ffi

# Run in a child Python: the package's own first load, reported as JSON on stdout.
FIRST_LOAD = """
import json, chuangzheng
try:
    out = {"loaded": chuangzheng.library_path()}
except chuangzheng.LibraryNotFound as e:
    out = {"zh": e.message_zh, "en": e.message_en,
           "attempts": [[a.where, a.path, a.reason_en] for a in e.attempts]}
out["file"] = chuangzheng.__file__
print(json.dumps(out))
"""

LOADER_VARIABLES = ("CHUANGZHENG_LIB", "CZ_LIB_DIR", "LD_LIBRARY_PATH", "PYTHONPATH")


def first_load(cwd: Path, **env: str) -> dict:
    """The first load in a child Python started in ``cwd`` with none of the loader's variables
    but ``env``; the source tree is put on its path only when the tests run from it."""
    clean = {k: v for k, v in os.environ.items() if k not in LOADER_VARIABLES}
    clean.update(env)
    if not support.INSTALLED and "PYTHONPATH" not in env:
        clean["PYTHONPATH"] = str(support.BINDING)
    done = subprocess.run(
        [sys.executable, "-c", FIRST_LOAD], cwd=cwd, env=clean, capture_output=True,
        text=True, timeout=60, check=True,
    )
    return json.loads(done.stdout)


class Loader(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="cz-loader-"))
        self.addCleanup(shutil.rmtree, self.dir)

    def test_nothing_loads_names_every_place_in_both_languages(self):
        # The package's Python files alone, as a source checkout or a broken install has them.
        copy = self.dir / "chuangzheng"
        shutil.copytree(support.PACKAGE, copy, ignore=shutil.ignore_patterns("*.so", "__pycache__"))
        out = first_load(self.dir, PYTHONPATH=str(self.dir))
        self.assertEqual(Path(out["file"]).parent, copy)
        if "loaded" in out:
            self.skipTest(f"the system has a libchuangzheng.so: {out['loaded']}")
        bundled = str(copy / "libchuangzheng.so")
        self.assertEqual(
            [a[:2] for a in out["attempts"]],
            [["bundled", bundled], ["system", "libchuangzheng.so"], ["find_library", "chuangzheng"]],
        )
        self.assertEqual(out["attempts"][0][2], "no such file")
        self.assertIn("cannot open shared object file", out["attempts"][1][2])
        self.assertTrue(out["zh"].startswith("无法加载 libchuangzheng.so，已尝试："), out["zh"])
        self.assertTrue(out["en"].startswith("cannot load libchuangzheng.so; tried:"), out["en"])
        zh_names = {"bundled": "包内附带的库", "system": "系统的库路径", "find_library": "ctypes.util.find_library"}
        for where, path, _ in out["attempts"]:
            self.assertIn(f"{where} ({path})", out["en"])
            self.assertIn(f"{zh_names[where]}（{path}）：", out["zh"])
        for message in (out["zh"], out["en"]):
            self.assertIn("CHUANGZHENG_LIB / CZ_LIB_DIR", message)

    def test_a_variable_that_does_not_load_is_final(self):
        # Even beside a bundled copy (installed): an explicit choice never gives way to another.
        missing = self.dir / "missing"
        for name, value, path in (
            ("CHUANGZHENG_LIB", missing / "libchuangzheng.so", missing / "libchuangzheng.so"),
            ("CZ_LIB_DIR", missing, missing / "libchuangzheng.so"),
        ):
            with self.subTest(name):
                out = first_load(self.dir, **{name: str(value)})
                self.assertEqual([a[:2] for a in out["attempts"]], [[name, str(path)]])
                self.assertIn("cannot open shared object file", out["attempts"][0][2])
                self.assertIn(f"环境变量 {name}", out["zh"])
                self.assertIn("是明确指定的，因此未尝试其他位置", out["zh"])
                self.assertIn(f"{name} was chosen explicitly, so no other place was tried", out["en"])

    def test_a_variable_wins_over_the_bundled_copy(self):
        # A library anywhere but beside the package: the variable's file is the one loaded.
        elsewhere = self.dir / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / "libchuangzheng.so").symlink_to(support.LIB_DIR / "libchuangzheng.so")
        out = first_load(self.dir, CZ_LIB_DIR=str(elsewhere))
        self.assertEqual(out["loaded"], str(elsewhere / "libchuangzheng.so"))

    def test_a_path_given_to_load_is_final(self):
        places = _ffi.places(str(self.dir / "nope.so"), {"CZ_LIB_DIR": str(support.LIB_DIR)}, "/")
        with self.assertRaises(chuangzheng.LibraryNotFound) as caught:
            _ffi.open_first(places)
        self.assertIsInstance(caught.exception, ImportError)
        self.assertEqual([a.where for a in caught.exception.attempts], ["load(path)"])

    def test_the_crate_version_is_the_header_version(self):
        # Cargo.toml is the one source of the version: the wheel's is read from it at build
        # time, and the header's constants (CZ_VERSION_*) must agree.
        with open(support.REPO / "Cargo.toml", "rb") as f:
            crate = tomllib.load(f)["package"]["version"]
        self.assertEqual(chuangzheng.__version__, crate)
        self.assertEqual(chuangzheng.version(), crate)


@unittest.skipUnless(support.INSTALLED, "runs against the installed wheel (build_wheel.sh)")
class Installed(unittest.TestCase):
    def test_the_package_is_the_one_installed_in_the_venv(self):
        self.assertNotEqual(sys.prefix, sys.base_prefix, "not running in a venv")
        self.assertTrue(support.PACKAGE.is_relative_to(Path(sys.prefix).resolve()), support.PACKAGE)
        self.assertFalse(any(Path(p or ".").resolve() == support.BINDING for p in sys.path))

    def test_the_library_in_use_is_the_bundled_copy(self):
        bundled = support.PACKAGE / "libchuangzheng.so"
        self.assertEqual(Path(chuangzheng.library_path()).resolve(), bundled)
        # The file the process has mapped, not only the name the loader was given.
        maps = Path("/proc/self/maps").read_text()
        mapped = {line.split(maxsplit=5)[5] for line in maps.splitlines() if "libchuangzheng" in line}
        self.assertEqual(mapped, {str(bundled)})

    def test_the_wheel_is_the_crate_version_and_typed(self):
        self.assertEqual(importlib.metadata.version("chuangzheng"), chuangzheng.version())
        self.assertTrue((support.PACKAGE / "py.typed").is_file())


if __name__ == "__main__":
    unittest.main()
