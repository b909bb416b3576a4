"""Hatch hooks for the wheel: the version from the crate, and the library bundled in it.

- ``CrateVersion``: the project's version is ``[package] version`` of ``../../Cargo.toml``,
  the one source of it (the header's ``CZ_VERSION_*`` are checked against it by the tests).
- ``BundleLibrary``: copies the file ``$CZ_WHEEL_LIB`` (an absolute path) into the wheel as
  ``chuangzheng/libchuangzheng.so`` (the source tree never holds a copy) and tags the wheel
  ``py3-none-linux_x86_64``: the Python is pure (ctypes, any Python 3.11+), the library is not.
  The file is checked before it goes in: an x86-64 ELF shared object whose ``cz_version()`` is
  the crate's version. Every failure stops the build with a message in Chinese and English.
"""

from __future__ import annotations

import ctypes
import os
import tomllib
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.metadata.plugin.interface import MetadataHookInterface

LIBRARY_NAME = "libchuangzheng.so"
VARIABLE = "CZ_WHEEL_LIB"
# Not manylinux: that tag is a promise (symbol versions, allowed libraries) only auditwheel
# checks, and the library is built on whatever host CI runs.
TAG = "py3-none-linux_x86_64"
ELF_MAGIC = b"\x7fELF"
ELFCLASS64, ELFDATA2LSB, ET_DYN, EM_X86_64 = 2, 1, 3, 62


class BuildError(RuntimeError):
    def __init__(self, zh: str, en: str):
        super().__init__(f"chuangzheng wheel: {zh}\nchuangzheng wheel: {en}")


def crate_version(root: str) -> str:
    cargo = Path(root).resolve().parent.parent / "Cargo.toml"
    try:
        with cargo.open("rb") as f:
            return tomllib.load(f)["package"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as e:
        raise BuildError(
            f"无法从 {cargo} 读取版本（{e}），请在仓库检出目录中构建 bindings/python",
            f"cannot read the version from {cargo} ({e}); build bindings/python from the "
            "repository checkout",
        ) from e


def check_library(path: Path, version: str) -> None:
    """Refuses a file that is not the x86-64 shared library of this version."""
    with path.open("rb") as f:
        header = f.read(20)
    machine = int.from_bytes(header[18:20], "little")
    elf_type = int.from_bytes(header[16:18], "little")
    if (
        header[:4] != ELF_MAGIC
        or header[4] != ELFCLASS64
        or header[5] != ELFDATA2LSB
        or elf_type != ET_DYN
        or machine != EM_X86_64
    ):
        raise BuildError(
            f"{VARIABLE}={path} 不是 x86-64 的 ELF 共享库（wheel 标签为 {TAG}）",
            f"{VARIABLE}={path} is not an x86-64 ELF shared library (the wheel is tagged {TAG})",
        )
    try:
        found = ctypes.CDLL(str(path))
        found.cz_version.restype = ctypes.c_char_p
        library_version = found.cz_version().decode("ascii")
    except (OSError, AttributeError) as e:
        raise BuildError(
            f"{VARIABLE}={path} 无法加载或没有 cz_version（{e}）",
            f"{VARIABLE}={path} does not load or has no cz_version ({e})",
        ) from e
    if library_version != version:
        raise BuildError(
            f"{VARIABLE}={path} 的版本是 {library_version}，Cargo.toml 的是 {version}",
            f"{VARIABLE}={path} is version {library_version}, Cargo.toml says {version}",
        )


class CrateVersion(MetadataHookInterface):
    def update(self, metadata: dict[str, Any]) -> None:
        metadata["version"] = crate_version(self.root)


class BundleLibrary(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            # An editable install runs from the source tree: the loader finds the library
            # through CHUANGZHENG_LIB or CZ_LIB_DIR, as the source-tree tests do.
            return
        value = os.environ.get(VARIABLE)
        if not value:
            raise BuildError(
                f"未设置 {VARIABLE}：请设为要打包的 {LIBRARY_NAME} 路径"
                f"（例如 {VARIABLE}=$PWD/target/release/{LIBRARY_NAME}）",
                f"{VARIABLE} is not set: set it to the {LIBRARY_NAME} to bundle "
                f"(e.g. {VARIABLE}=$PWD/target/release/{LIBRARY_NAME})",
            )
        if not os.path.isabs(value):
            # pip runs this hook in bindings/python, not where the command was typed.
            raise BuildError(
                f"{VARIABLE}={value}：须为绝对路径（pip 在 {self.root} 中构建，例如 "
                f"{VARIABLE}=$PWD/{value}）",
                f"{VARIABLE}={value}: must be an absolute path (pip builds in {self.root}; "
                f"e.g. {VARIABLE}=$PWD/{value})",
            )
        path = Path(value).resolve()
        if not path.is_file():
            raise BuildError(
                f"{VARIABLE}={value}：文件不存在（{path}）",
                f"{VARIABLE}={value}: no such file ({path})",
            )
        check_library(path, self.metadata.version)
        build_data["force_include"][str(path)] = f"chuangzheng/{LIBRARY_NAME}"
        build_data["pure_python"] = False
        build_data["tag"] = TAG
