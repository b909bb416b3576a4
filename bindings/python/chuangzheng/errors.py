"""Exceptions raised by the binding.

Every failure the library reports becomes a :class:`ChuangzhengError` carrying the library's
``code`` and its ``message`` (Chinese, a newline, English: also split into ``message_zh`` and
``message_en``). The class tells the family of the code:

====================  ============================================================
class                 codes
====================  ============================================================
``NullArgument``      1: a required argument was ``None`` (NULL)
``InvalidUtf8``       2: a ``bytes`` argument was not UTF-8
``Panic``             3: a bug in the library; the handle must be closed and reopened
``InvalidJson``       4: a JSON argument (campaign info) could not be read
``InvalidArgument``   5: an argument out of range (a date that does not exist, a format)
``NoRecord``          6: nothing to answer with yet (no record, no organization)
``InvalidValue``      1001-1999: a value refused (empty, too long, not a decimal, ...)
``RulesError``        2001-2999: a rule set refused
``Refused``           3001-3999: a command refused (unknown id 3002, wrong state, ...)
``ImportRefused``     (a ``Refused``, code 3000): an all-or-nothing import refused lines
``JournalError``      4001-4999: journal or snapshot (exists 4002, locked 4003, corrupt, ...;
                      4016: a command sent to a campaign opened read-only; 4017: a snapshot
                      file asked of a campaign without a journal file)
``AuditError``        5001-5999: reports and audits (claims that cannot be read 5001, a
                      workbook past the format's limits 5003, ...)
``FiguresError``      (an ``AuditError``) 5004-5007: figures that cannot be read, merged or
                      reported
``ChuangzhengError``  any other code
====================  ============================================================

When the library itself cannot be loaded, :class:`LibraryNotFound` (an :class:`ImportError`,
not a ``ChuangzhengError``: no library answered) lists every place tried and why each failed.

Using a closed :class:`~chuangzheng.Campaign` raises :class:`CampaignClosed`, a
:class:`ValueError` (as a closed file does), not a library error: nothing reaches the library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .campaign import ImportResult

__all__ = [
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
    "Attempt",
    "error_for",
]


class ChuangzhengError(Exception):
    """A failure reported by the library: its stable ``code`` and its ``message``."""

    def __init__(self, code: int, message: str):
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message
        self.message_zh, self.message_en = split_message(message)


class NullArgument(ChuangzhengError):
    """Code 1: a required argument was ``None``."""


class InvalidUtf8(ChuangzhengError):
    """Code 2: a string argument was not valid UTF-8."""


class Panic(ChuangzhengError):
    """Code 3: the library panicked (a bug). Close the campaign and reopen it."""


class InvalidJson(ChuangzhengError):
    """Code 4: a JSON argument could not be read (the message names the field)."""


class InvalidArgument(ChuangzhengError):
    """Code 5: an argument out of its range (the message names it)."""


class NoRecord(ChuangzhengError):
    """Code 6: the campaign holds nothing to answer with yet (no record, no organization)."""


class InvalidValue(ChuangzhengError):
    """Codes 1001-1999: a value refused by the model."""


class RulesError(ChuangzhengError):
    """Codes 2001-2999: a rule set refused."""


class Refused(ChuangzhengError):
    """Codes 3001-3999: a command refused by the rules; nothing was recorded."""


class ImportRefused(Refused):
    """An all-or-nothing import refused some lines, so nothing was recorded.

    ``result`` is the :class:`~chuangzheng.ImportResult` listing every refused line (a
    :class:`~chuangzheng.WorkbookResult`, by sheet and row, for a workbook).
    """

    def __init__(self, result: ImportResult):
        first = result.refused[0]
        more = len(result.refused) - 1
        tail_zh = f"（另有 {more} 行被拒绝）" if more else ""
        tail = f" (+{more} more)" if more else ""
        # A workbook's refusal names its sheet too.
        sheet = getattr(first, "sheet", None)
        where_zh = f"「{sheet}」" if sheet else ""
        where = f"sheet {sheet} " if sheet else ""
        super().__init__(
            3000,
            f"导入被拒绝：{where_zh}第 {first.line} 行 [{first.code}]{tail_zh}，未记录任何命令\n"
            f"import refused: {where}line {first.line} [{first.code}] "
            f"{first.message_en}{tail}; nothing was recorded",
        )
        self.result = result


class JournalError(ChuangzhengError):
    """Codes 4001-4999: the journal or a snapshot (I/O, exists, locked, corrupt, ...)."""


class AuditError(ChuangzhengError):
    """Codes 5001-5999: a report or an audit failed (claims that cannot be read, 5001; a
    workbook past the format's limits, 5003; figures, 5004-5007: :class:`FiguresError`)."""


class FiguresError(AuditError):
    """Codes 5004-5007: figures documents (docs/report.md, "Figures alone"). 5004: one cannot
    be read (the message names the document and the field); 5005: computed under different
    terms (names what differs and both values); 5006: scopes that overlap (names both); 5007:
    the report of a merge of scopes without a common parent, given no title."""


class CampaignClosed(ValueError):
    """The campaign was closed; it cannot be used any more."""

    def __init__(self) -> None:
        super().__init__("活动已关闭 / operation on a closed campaign")


@dataclass(frozen=True)
class Attempt:
    """A place the loader tried: ``where`` the choice came from (``"load(path)"``,
    ``"CHUANGZHENG_LIB"``, ``"CZ_LIB_DIR"``, ``"bundled"``, ``"system"``, ``"find_library"``),
    the ``path`` handed to the dynamic loader, and why it failed (empty before it is tried)."""

    where: str
    path: str
    reason_zh: str = ""
    reason_en: str = ""

    @property
    def explicit(self) -> bool:
        """Chosen by the caller or the environment: no other place is tried after it."""
        return self.where in ("load(path)", "CHUANGZHENG_LIB", "CZ_LIB_DIR")


#: The places the loader tries, as the Chinese half names them.
WHERE_ZH = {
    "load(path)": "load(path) 给出的文件",
    "CHUANGZHENG_LIB": "环境变量 CHUANGZHENG_LIB",
    "CZ_LIB_DIR": "环境变量 CZ_LIB_DIR 给出的目录",
    "bundled": "包内附带的库",
    "system": "系统的库路径",
    "find_library": "ctypes.util.find_library",
}


class LibraryNotFound(ImportError):
    """``libchuangzheng.so`` could not be loaded from any place tried: ``attempts`` lists each
    (an :class:`Attempt`, in order) with its reason; ``message`` is Chinese, a newline, English
    (also ``message_zh`` and ``message_en``), each naming every place."""

    def __init__(self, attempts: tuple[Attempt, ...]):
        assert attempts, "the loader always tries at least one place"
        zh = ["无法加载 libchuangzheng.so，已尝试："]
        en = ["cannot load libchuangzheng.so; tried:"]
        for a in attempts:
            zh.append(f"  {WHERE_ZH.get(a.where, a.where)}（{a.path}）：{a.reason_zh}")
            en.append(f"  {a.where} ({a.path}): {a.reason_en}")
        if attempts[-1].explicit:
            zh.append(f"  {WHERE_ZH.get(attempts[-1].where)} 是明确指定的，因此未尝试其他位置")
            en.append(f"  {attempts[-1].where} was chosen explicitly, so no other place was tried")
        else:
            zh.append("  安装 wheel（见 bindings/python/README.md）或设置 CHUANGZHENG_LIB / CZ_LIB_DIR")
            en.append("  install the wheel (see bindings/python/README.md) or set CHUANGZHENG_LIB / CZ_LIB_DIR")
        self.message_zh = "\n".join(zh)
        self.message_en = "\n".join(en)
        self.message = f"{self.message_zh}\n{self.message_en}"
        super().__init__(self.message, name="chuangzheng", path=attempts[0].path)
        self.attempts = attempts


def split_message(message: str) -> tuple[str, str]:
    """The Chinese and English parts of a library message: ``"中文\nEnglish"``."""
    zh, found, en = message.partition("\n")
    if found:
        return zh, en
    return message, message


_ABI = {
    1: NullArgument,
    2: InvalidUtf8,
    3: Panic,
    4: InvalidJson,
    5: InvalidArgument,
    6: NoRecord,
}
_FAMILIES = {1: InvalidValue, 2: RulesError, 3: Refused, 4: JournalError, 5: AuditError}


_FIGURES = range(5004, 5008)


def error_for(code: int, message: str) -> ChuangzhengError:
    """The exception for a code and message from the library."""
    if code in _FIGURES:
        return FiguresError(code, message)
    cls = _ABI.get(code) or _FAMILIES.get(code // 1000) or ChuangzhengError
    return cls(code, message)
