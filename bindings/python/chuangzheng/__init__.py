"""Python binding of chuangzheng (创先争优), over its C ABI with ctypes (standard library only).

    import chuangzheng

    with chuangzheng.Campaign.new({"id": "dg-2010", "name": "东港市创先争优活动"}) as c:
        c.import_commands(open("commands.jsonl", encoding="utf-8").read())
        report = c.report(as_of="2010-10-31")          # a dict (format="text"/"html": a str)

    # Across machines: each journal's figures, read-only, merged anywhere, then reported.
    with chuangzheng.Campaign.open_read_only("k000.jsonl") as c:
        k000 = c.figures(as_of="2010-10-31")           # JSON text, a few kilobytes
    merged = chuangzheng.merge_figures([k000, k001], title="全省")
    text = chuangzheng.figures_report(merged, format="text")

The library file is found on first use: ``$CHUANGZHENG_LIB`` (a file), else
``$CZ_LIB_DIR/libchuangzheng.so``, else the copy a wheel bundles beside this package, else
``libchuangzheng.so`` on the loader's path; or call :func:`load` with a path first (see
:func:`load`; :func:`library_path` tells which file was loaded; none loading raises
:class:`LibraryNotFound`, an :class:`ImportError`). Errors are :class:`ChuangzhengError` subclasses carrying the
library's ``code`` and ``message`` (see :mod:`chuangzheng.errors`).
"""

from ._ffi import (
    CZ_ATTRIBUTION_AS_OF,
    CZ_ATTRIBUTION_HISTORICAL,
    CZ_FORMAT_HTML,
    CZ_FORMAT_JSON,
    CZ_FORMAT_TEXT,
    CZ_VERSION_MAJOR,
    CZ_VERSION_MINOR,
    CZ_VERSION_PATCH,
    last_error,
    library_path,
    load,
)
from ._ffi import lib as _lib
from .campaign import (
    Campaign,
    ImportResult,
    Refusal,
    ReplayReport,
    RowRefusal,
    TornTail,
    WorkbookResult,
    verify_journal,
)
from .errors import (
    AuditError,
    CampaignClosed,
    ChuangzhengError,
    FiguresError,
    ImportRefused,
    InvalidArgument,
    NoRecord,
    InvalidJson,
    InvalidUtf8,
    InvalidValue,
    JournalError,
    LibraryNotFound,
    NullArgument,
    Panic,
    Refused,
    RulesError,
)
from .rollup import figures_report, figures_report_xlsx, merge_figures

__version__ = f"{CZ_VERSION_MAJOR}.{CZ_VERSION_MINOR}.{CZ_VERSION_PATCH}"
"""The version of the C header this binding was written against."""


def version() -> str:
    """The loaded library's version (``cz_version``), e.g. ``"0.1.0"``."""
    return _lib().cz_version().decode("ascii")


__all__ = [
    "Campaign",
    "ImportResult",
    "Refusal",
    "ReplayReport",
    "RowRefusal",
    "TornTail",
    "WorkbookResult",
    "load",
    "library_path",
    "verify_journal",
    "merge_figures",
    "figures_report",
    "figures_report_xlsx",
    "version",
    "last_error",
    "CZ_VERSION_MAJOR",
    "CZ_VERSION_MINOR",
    "CZ_VERSION_PATCH",
    "CZ_FORMAT_JSON",
    "CZ_FORMAT_TEXT",
    "CZ_FORMAT_HTML",
    "CZ_ATTRIBUTION_AS_OF",
    "CZ_ATTRIBUTION_HISTORICAL",
    "ChuangzhengError",
    "NullArgument",
    "InvalidUtf8",
    "Panic",
    "InvalidJson",
    "InvalidArgument",
    "NoRecord",
    "InvalidValue",
    "RulesError",
    "Refused",
    "ImportRefused",
    "JournalError",
    "AuditError",
    "FiguresError",
    "CampaignClosed",
    "LibraryNotFound",
]
