"""The C ABI through ctypes: loading libchuangzheng.so and declaring every function of
include/chuangzheng.h, with the helpers the wrappers share (checked calls, owned strings).

Owned strings (``char **`` outputs) are declared as ``c_void_p`` so that the pointer is kept:
:func:`take_string` copies the text to a Python ``str`` and frees the pointer with
``cz_string_free`` exactly once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import os
import threading
from typing import Any
from collections.abc import Callable, Iterable, Iterator, Mapping
from ctypes import (
    POINTER,
    Structure,
    c_char_p,
    c_int16,
    c_size_t,
    c_uint8,
    c_uint32,
    c_uint64,
    c_void_p,
)

from .errors import Attempt, ChuangzhengError, LibraryNotFound, error_for

# Constants of include/chuangzheng.h.
CZ_VERSION_MAJOR = 0
CZ_VERSION_MINOR = 1
CZ_VERSION_PATCH = 0
CZ_OK = 0
CZ_NULL_ARGUMENT = 1
CZ_INVALID_UTF8 = 2
CZ_PANIC = 3
CZ_INVALID_JSON = 4
CZ_INVALID_ARGUMENT = 5
CZ_NO_RECORD = 6
CZ_REFUSED_LINES = 7
CZ_FORMAT_JSON = 0
CZ_FORMAT_TEXT = 1
CZ_FORMAT_HTML = 2
CZ_ATTRIBUTION_AS_OF = 0
CZ_ATTRIBUTION_HISTORICAL = 1
CZ_IMPORT_KEEP_GOING = 1
CZ_PROGRESS_CORRECTION = 1

LIBRARY_NAME = "libchuangzheng.so"


class cz_date(Structure):
    """``struct cz_date``: a civil date, passed by value."""

    _fields_ = [("year", c_int16), ("month", c_uint8), ("day", c_uint8)]


_handle = c_void_p  # struct cz_campaign *
_handle_out = POINTER(c_void_p)  # struct cz_campaign **
_string_out = POINTER(c_void_p)  # char **, kept as a pointer to free it
_strings = POINTER(c_char_p)  # const char *const *
_key = c_void_p  # const uint8_t *: bytes, or a ctypes array over the caller's buffer (no copy)

# name: (restype, argtypes), in the header's order.
_SIGNATURES = {
    "cz_version": (c_char_p, []),
    "cz_last_error_message": (c_char_p, []),
    "cz_last_error_code": (c_uint32, []),
    "cz_campaign_new": (c_uint32, [c_char_p, c_char_p, _handle_out]),
    "cz_campaign_open": (c_uint32, [c_char_p, _handle_out]),
    "cz_campaign_create": (c_uint32, [c_char_p, c_char_p, c_char_p, _handle_out]),
    "cz_campaign_seq": (c_uint32, [_handle, POINTER(c_uint64)]),
    "cz_campaign_free": (None, [_handle]),
    "cz_string_free": (None, [c_void_p]),
    "cz_campaign_state_json": (c_uint32, [_handle, _string_out]),
    "cz_campaign_latest_date": (c_uint32, [_handle, POINTER(cz_date)]),
    "cz_campaign_pledge_json": (c_uint32, [_handle, c_char_p, _string_out]),
    "cz_campaign_member_evaluation_json": (
        c_uint32,
        [_handle, c_char_p, c_char_p, _string_out],
    ),
    "cz_campaign_report": (
        c_uint32,
        [_handle, c_char_p, c_char_p, c_char_p, c_uint32, _string_out],
    ),
    "cz_campaign_report_with": (
        c_uint32,
        [_handle, c_char_p, c_char_p, c_char_p, c_uint32, c_uint32, _string_out],
    ),
    "cz_campaign_report_xlsx": (
        c_uint32,
        [_handle, c_char_p, c_char_p, c_char_p, c_uint32, POINTER(c_void_p), POINTER(c_size_t)],
    ),
    "cz_bytes_free": (None, [c_void_p, c_size_t]),
    "cz_campaign_import_xlsx": (
        c_uint32,
        [_handle, c_char_p, c_size_t, c_char_p, c_uint32, _string_out],
    ),
    "cz_campaign_audit_json": (
        c_uint32,
        [_handle, c_char_p, c_char_p, c_char_p, c_char_p, _string_out],
    ),
    "cz_campaign_snapshot_json": (c_uint32, [_handle, _string_out]),
    "cz_campaign_from_snapshot": (c_uint32, [c_char_p, _handle_out]),
    "cz_campaign_replay": (c_uint32, [c_char_p, _handle_out]),
    "cz_campaign_execute": (c_uint32, [_handle, c_char_p, POINTER(c_uint64)]),
    "cz_campaign_import": (c_uint32, [_handle, c_char_p, c_uint32, _string_out]),
    "cz_campaign_record_reception": (
        c_uint32,
        [_handle, cz_date, c_char_p, c_char_p, c_char_p, _strings, c_size_t, c_uint32,
         POINTER(c_uint64)],
    ),
    "cz_campaign_record_visit": (
        c_uint32,
        [_handle, cz_date, c_char_p, c_char_p, c_char_p, c_char_p, POINTER(c_uint64)],
    ),
    "cz_campaign_last_hash": (c_uint32, [_handle, _string_out]),
    "cz_journal_verify": (c_uint32, [c_char_p, c_char_p, POINTER(c_uint64), _string_out]),
    "cz_campaign_checkpoint": (
        c_uint32,
        [_handle, c_char_p, _key, c_size_t, c_char_p, POINTER(c_uint64)],
    ),
    "cz_campaign_save_snapshot": (c_uint32, [_handle, POINTER(c_uint64)]),
    "cz_campaign_set_snapshot_every": (c_uint32, [_handle, c_uint64]),
    "cz_campaign_take_snapshot_error": (c_uint32, [_handle]),
    "cz_campaign_import_signed": (
        c_uint32,
        [_handle, c_char_p, c_uint32, c_char_p, _key, c_size_t, c_char_p, c_uint64, _string_out],
    ),
    "cz_journal_verify_signed": (
        c_uint32,
        [c_char_p, c_char_p, POINTER(c_uint64), c_char_p, _key, c_size_t, _string_out],
    ),
    "cz_campaign_report_progress": (
        c_uint32,
        [_handle, cz_date, c_char_p, c_char_p, c_char_p, c_int16, c_uint8, _strings,
         c_size_t, c_uint32, POINTER(c_uint64)],
    ),
    "cz_campaign_open_read_only": (c_uint32, [c_char_p, _handle_out, _string_out]),
    "cz_campaign_figures": (
        c_uint32,
        [_handle, c_char_p, c_char_p, c_char_p, c_uint32, _string_out],
    ),
    "cz_figures_merge": (c_uint32, [_strings, c_size_t, c_char_p, _string_out]),
    "cz_figures_report": (c_uint32, [c_char_p, c_uint32, _string_out]),
    "cz_figures_report_xlsx": (c_uint32, [c_char_p, POINTER(c_void_p), POINTER(c_size_t)]),
}

_lib: ctypes.CDLL | None = None
_lib_path: str | None = None
_load_lock = threading.Lock()

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
"""Where a wheel bundles its copy of the library (``chuangzheng/libchuangzheng.so``)."""


def places(path: str | None, environ: Mapping[str, str], package_dir: str) -> Iterator[Attempt]:
    """The places to look, in order, each as an :class:`~chuangzheng.errors.Attempt` not yet
    made (``reason_en`` set when it cannot be made at all). A path or variable given is the
    only place: a choice that does not load must fail, not quietly give way to another build.
    A generator, so that ``find_library`` (it runs ``ldconfig``) runs only when reached."""
    if path is not None:
        yield Attempt("load(path)", path)
        return
    explicit = environ.get("CHUANGZHENG_LIB")
    if explicit:
        yield Attempt("CHUANGZHENG_LIB", explicit)
        return
    directory = environ.get("CZ_LIB_DIR")
    if directory:
        yield Attempt("CZ_LIB_DIR", os.path.join(directory, LIBRARY_NAME))
        return
    bundled = os.path.join(package_dir, LIBRARY_NAME)
    if os.path.isfile(bundled):
        yield Attempt("bundled", bundled)
    else:
        yield Attempt("bundled", bundled, "文件不存在", "no such file")
    # The dynamic loader's own search: LD_LIBRARY_PATH, the run path, ld.so.cache.
    yield Attempt("system", LIBRARY_NAME)
    # ld.so.cache under another name (libchuangzheng.so.0, without the -dev symlink).
    found = ctypes.util.find_library("chuangzheng")
    if found:
        yield Attempt("find_library", found)
    else:
        yield Attempt("find_library", "chuangzheng", "未找到", "found nothing")


def open_first(candidates: Iterable[Attempt]) -> tuple[ctypes.CDLL, Attempt]:
    """The first place that loads, or :class:`~chuangzheng.LibraryNotFound` naming every place
    tried and why each failed."""
    failed: list[Attempt] = []
    for place in candidates:
        if place.reason_en:
            failed.append(place)
            continue
        try:
            return ctypes.CDLL(place.path), place
        except OSError as e:
            failed.append(dataclasses.replace(place, reason_zh=f"无法加载：{e}", reason_en=f"cannot load: {e}"))
    raise LibraryNotFound(tuple(failed))


def load(path: str | os.PathLike[str] | None = None) -> ctypes.CDLL:
    """Loads the library (once per process) and declares its functions.

    The file is ``path`` if given; else ``$CHUANGZHENG_LIB`` (a file); else
    ``$CZ_LIB_DIR/libchuangzheng.so``; else the copy bundled in the package (a wheel's); else
    ``libchuangzheng.so`` on the dynamic loader's path, or what ``ctypes.util.find_library``
    finds. A path or variable given is final: if it does not load, nothing else is tried.
    Raises :class:`~chuangzheng.LibraryNotFound` (an :class:`ImportError`) naming every place
    tried and why each failed. Called implicitly on first use; call it first to choose the
    file. Loading a second, different file in the same process raises :class:`RuntimeError`.
    """
    global _lib, _lib_path
    with _load_lock:
        wanted = os.fspath(path) if path is not None else None
        if _lib is not None:
            if wanted is not None and os.path.abspath(wanted) != os.path.abspath(_lib._name):
                raise RuntimeError(f"chuangzheng is already loaded from {_lib._name}")
            return _lib
        lib, place = open_first(places(wanted, os.environ, PACKAGE_DIR))
        for name, (restype, argtypes) in _SIGNATURES.items():
            fn = getattr(lib, name)
            fn.restype = restype
            fn.argtypes = argtypes
        _lib, _lib_path = lib, place.path
        return lib


def library_path() -> str:
    """The library loaded (loading it if needed), as handed to the dynamic loader: a path, or
    ``"libchuangzheng.so"`` when the loader's own search found it."""
    lib()
    assert _lib_path is not None
    return _lib_path


def lib() -> ctypes.CDLL:
    """The loaded library (loading it with the defaults if needed)."""
    return _lib if _lib is not None else load()


def last_error() -> tuple[int, str]:
    """The code and message of the last failure on the calling thread (``(0, "")`` if none)."""
    l = lib()
    code = l.cz_last_error_code()
    message = l.cz_last_error_message()
    return code, (message or b"").decode("utf-8", "replace")


def error(code: int) -> ChuangzhengError | None:
    """The error for a failed call's ``code``, with the message of this thread's last failure
    (read right after the call, on the same thread); ``None`` for ``CZ_OK``."""
    if code == CZ_OK:
        return None
    message = lib().cz_last_error_message()
    return error_for(code, (message or b"").decode("utf-8", "replace"))


def check(code: int) -> None:
    """Raises the error for a failed call's ``code`` (:func:`error`)."""
    e = error(code)
    if e is not None:
        raise e


def take_string(ptr: c_void_p) -> str:
    """Copies a string the library returned and frees it (exactly once)."""
    if not ptr.value:
        return ""
    try:
        return ctypes.string_at(ptr.value).decode("utf-8")
    finally:
        lib().cz_string_free(ptr.value)
        ptr.value = None


def take_bytes(ptr: c_void_p, length: c_size_t) -> bytes:
    """Copies bytes the library returned and frees them (exactly once)."""
    if not ptr.value:
        return b""
    try:
        return ctypes.string_at(ptr.value, length.value)
    finally:
        lib().cz_bytes_free(ptr.value, length.value)
        ptr.value = None


def call_string(fn: Callable[..., int], *args: Any) -> str:
    """Calls ``fn(*args, &out)`` and returns the owned string ``out`` (copied, then freed)."""
    out = c_void_p()
    check(fn(*args, ctypes.byref(out)))
    return take_string(out)


def call_handle(fn: Callable[..., int], *args: Any) -> int:
    """Calls a constructor ``fn(*args, &handle)`` and returns the new handle's address."""
    out = c_void_p()
    check(fn(*args, ctypes.byref(out)))
    assert out.value, "a constructor that succeeds gives a handle"
    return out.value
