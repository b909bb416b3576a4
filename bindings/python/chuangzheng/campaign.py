"""The :class:`Campaign` handle and the values its methods take and return."""

from __future__ import annotations

import ctypes
import datetime
import decimal
import json
import os
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union

from . import _ffi
from .errors import (
    CampaignClosed,
    ChuangzhengError,
    ImportRefused,
    NoRecord,
    error_for,
    split_message,
)

__all__ = ["Campaign", "ImportResult", "Refusal", "ReplayReport", "TornTail"]

Text = Union[str, bytes]
DateLike = Union[datetime.date, str]
DecimalLike = Union[decimal.Decimal, str, int]

_FORMATS = {"json": _ffi.CZ_FORMAT_JSON, "text": _ffi.CZ_FORMAT_TEXT, "html": _ffi.CZ_FORMAT_HTML}
_ATTRIBUTIONS = {
    "as_of": _ffi.CZ_ATTRIBUTION_AS_OF,
    "as-of": _ffi.CZ_ATTRIBUTION_AS_OF,
    "historical": _ffi.CZ_ATTRIBUTION_HISTORICAL,
}
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UTC8 = datetime.timezone(datetime.timedelta(hours=8))


def _format_code(format: str | int) -> int:
    """The ``CZ_FORMAT_*`` a ``format`` argument names: ``"json"``, ``"text"``, ``"html"``, or
    a raw number passed as it is (the library refuses an unknown one)."""
    if isinstance(format, str):
        if format not in _FORMATS:
            raise ValueError(f"format: {format!r} is not one of {sorted(_FORMATS)}")
        return _FORMATS[format]
    return _int(format, "format", 0, 2**32 - 1)


# --- arguments -------------------------------------------------------------------------------


def _text(value: object, name: str) -> bytes | None:
    """A string argument: ``str`` is encoded as UTF-8, ``bytes`` passed as they are (the library
    checks them: not UTF-8 is :class:`~chuangzheng.InvalidUtf8`), ``None`` is NULL. Typed
    ``object``: any other type is refused here, at run time."""
    if value is None:
        return None
    if isinstance(value, str):
        data = value.encode("utf-8")
    elif isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
    else:
        raise TypeError(f"{name}: expected str or bytes, not {type(value).__name__}")
    if b"\0" in data:
        raise ValueError(f"{name}: embedded NUL character")
    return data


def _jsonable(value: Any, where: str) -> Any:
    """``value`` with decimals and dates as the strings the library reads; floats refused."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        raise TypeError(f"{where}: float {value!r} refused; write decimals as Decimal or str")
    if isinstance(value, decimal.Decimal):
        text = _decimal(value, where)
        assert text is not None, "a Decimal is never NULL"
        return text.decode()
    if isinstance(value, datetime.datetime):  # civil time in UTC+8, as the library reads it
        if value.tzinfo is not None:
            value = value.astimezone(_UTC8).replace(tzinfo=None)
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise TypeError(f"{where}: {type(value).__name__} is not JSON")


def _json(value: Mapping | Sequence | Text | None, name: str) -> bytes | None:
    """A JSON argument: a dict (or list) is serialized, a str or bytes passed as written."""
    if value is None or isinstance(value, (str, bytes, bytearray, memoryview)):
        return _text(value, name)
    if isinstance(value, (Mapping, list, tuple)):
        text = json.dumps(_jsonable(value, name), ensure_ascii=False, separators=(",", ":"))
        return _text(text, name)
    raise TypeError(f"{name}: expected dict, str or bytes, not {type(value).__name__}")


def _path(value: str | bytes | os.PathLike | None) -> bytes | None:
    if value is None:
        return None
    data = os.fsencode(value)
    if b"\0" in data:
        raise ValueError("path: embedded NUL character")
    return data


def _date(value: DateLike, name: str) -> _ffi.cz_date:
    """A ``cz_date``. The library checks that the date exists (2010-02-30:
    :class:`~chuangzheng.InvalidArgument`)."""
    if isinstance(value, datetime.datetime):
        raise TypeError(f"{name}: a datetime; give a date")
    if isinstance(value, datetime.date):
        return _ffi.cz_date(value.year, value.month, value.day)
    if isinstance(value, str):
        m = _DATE.fullmatch(value)
        if not m:
            raise ValueError(f"{name}: {value!r} is not YYYY-MM-DD")
        return _ffi.cz_date(*(int(g) for g in m.groups()))
    raise TypeError(f"{name}: expected datetime.date or 'YYYY-MM-DD', not {type(value).__name__}")


def _date_text(value: DateLike | None, name: str) -> bytes | None:
    """A date as the report functions take it: ``"YYYY-MM-DD"`` (the library reads it)."""
    if isinstance(value, datetime.datetime):
        raise TypeError(f"{name}: a datetime; give a date")
    if isinstance(value, datetime.date):
        return value.isoformat().encode()
    return _text(value, name)


def _decimal(value: DecimalLike | bytes | None, name: str) -> bytes | None:
    """A decimal string. Floats are refused: they are not exact."""
    if value is None or isinstance(value, (str, bytes)):
        return _text(value, name)
    if isinstance(value, (bool, float)):
        raise TypeError(f"{name}: {type(value).__name__} refused; give a Decimal or a str")
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValueError(f"{name}: {value} is not a finite decimal")
        return format(value, "f").encode()
    if isinstance(value, int):
        return str(value).encode()
    raise TypeError(f"{name}: expected Decimal or str, not {type(value).__name__}")


def _int(value: int, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}: expected int, not {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"{name}: {value} is outside {low}..{high}")
    return value


def _strings(
    items: Sequence[Text | None] | None, name: str
) -> tuple[ctypes.Array[ctypes.c_char_p] | None, int]:
    """A ``const char *const *`` array and its length (``None``: NULL, 0)."""
    if items is None:
        return None, 0
    if isinstance(items, (str, bytes)):
        raise TypeError(f"{name}: expected a list of strings, not one string")
    values = [_text(v, f"{name}[{i}]") for i, v in enumerate(items)]
    return (ctypes.c_char_p * len(values))(*values), len(values)


KeyBytes = Union[bytes, bytearray, memoryview]
Signing = tuple[Text, KeyBytes, Text]  # (alg, key, key_id), as Campaign.checkpoint takes them


def _key(
    key: KeyBytes | None, name: str = "key"
) -> tuple[bytes | ctypes.Array[ctypes.c_char] | None, int]:
    """A key argument and its length, without copying it: ``bytes`` are passed as they are,
    a writable buffer (``bytearray``) through a ctypes array over it, so that a caller who
    zeroes the buffer afterwards leaves no copy behind. ``str`` is refused: a PEM text is
    given encoded (``pem.encode()``), an HMAC key as its bytes."""
    if key is None:
        return None, 0
    if isinstance(key, bytes):
        return key, len(key)
    if isinstance(key, (bytearray, memoryview)):
        view = memoryview(key).cast("B")
        if view.readonly:
            return bytes(view), view.nbytes
        return (ctypes.c_char * view.nbytes).from_buffer(view), view.nbytes
    raise TypeError(f"{name}: expected bytes or bytearray, not {type(key).__name__}")


def _signing(sign: Signing) -> tuple[Any, ...]:
    """``(alg, key, key_id)`` as the C arguments ``alg, key, key_len, key_id``."""
    if not isinstance(sign, tuple) or len(sign) != 3:
        raise TypeError("sign: expected a tuple (alg, key, key_id)")
    alg, key, key_id = sign
    data, length = _key(key)
    return _text(alg, "alg"), data, length, _text(key_id, "key_id")


# --- results ---------------------------------------------------------------------------------


class _Refused:
    """What every refusal offers: its ``code`` and ``message`` as an exception and in each
    language."""

    code: int
    message: str

    @property
    def error(self) -> ChuangzhengError:
        """The refusal as an exception (not raised)."""
        return error_for(self.code, self.message)

    @property
    def message_zh(self) -> str:
        return split_message(self.message)[0]

    @property
    def message_en(self) -> str:
        return split_message(self.message)[1]


@dataclass(frozen=True)
class Refusal(_Refused):
    """A line an import refused: its 1-based ``line``, ``code`` and ``message``."""

    line: int
    code: int
    message: str


@dataclass(frozen=True)
class ImportResult:
    """What :meth:`Campaign.import_commands` did: the lines ``recorded``, the campaign's ``seq``
    after it, and the ``refused`` lines (empty when every line passed)."""

    recorded: int
    seq: int
    refused: tuple[Refusal, ...]
    checkpoints: int = 0
    """Checkpoint records written among the lines (a signed import)."""

    @property
    def ok(self) -> bool:
        return not self.refused

    @classmethod
    def _from_json(cls, text: str) -> ImportResult:
        doc = json.loads(text)
        return cls(
            recorded=doc["recorded"],
            seq=doc["seq"],
            refused=tuple(Refusal(r["line"], r["code"], r["message"]) for r in doc["refused"]),
            checkpoints=doc.get("checkpoints", 0),
        )


@dataclass(frozen=True)
class RowRefusal(_Refused):
    """A row a workbook's import refused: its ``sheet``, 1-based ``row``, the ``column`` at
    fault (its header, or ``None``), ``code`` and ``message`` (Chinese, a newline, English)."""

    sheet: str
    row: int
    column: str | None
    code: int
    message: str

    @property
    def line(self) -> int:
        """The row, for code written for :class:`Refusal`."""
        return self.row


@dataclass(frozen=True)
class WorkbookResult:
    """What :meth:`Campaign.import_xlsx` did: the rows ``recorded``, the campaign's ``seq``
    after it, the ``refused`` rows by sheet, row and column, the ``sheets`` read (name, kind,
    rows) and the visible sheets ``skipped`` (of no known kind)."""

    recorded: int
    seq: int
    refused: tuple[RowRefusal, ...]
    sheets: tuple[tuple[str, str, int], ...]
    skipped: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.refused

    @classmethod
    def _from_json(cls, text: str) -> WorkbookResult:
        doc = json.loads(text)
        return cls(
            recorded=doc["recorded"],
            seq=doc["seq"],
            refused=tuple(
                RowRefusal(r["sheet"], r["row"], r["column"], r["code"], r["message"])
                for r in doc["refused"]
            ),
            sheets=tuple((s["name"], s["kind"], s["rows"]) for s in doc["sheets"]),
            skipped=tuple(doc["skipped"]),
        )


@dataclass(frozen=True)
class TornTail:
    """A journal's last line without its newline (a write cut short): its first byte's
    ``offset`` in the file and its ``length`` in bytes (``"len"`` in the library's JSON)."""

    offset: int
    length: int


@dataclass(frozen=True)
class ReplayReport:
    """What :meth:`Campaign.open_read_only` read: the ``records`` verified and replayed, and
    the ``torn_tail`` it left alone (``None`` when the file ends with a whole line).

    When a binary snapshot lies beside the journal (:meth:`Campaign.save_snapshot`),
    ``snapshot`` is the number of records it held when the campaign was loaded from it (only
    the records after those were replayed; ``records`` counts them all), and ``snapshot_skipped`` is why it could not be
    used (English text, e.g. ``"... does not match its checksum"``; the journal was then
    replayed whole). Both are ``None`` when there is no snapshot there."""

    records: int
    torn_tail: TornTail | None
    snapshot: int | None = None
    """The records the snapshot held, when the campaign was loaded from it."""
    snapshot_skipped: str | None = None
    """Why the snapshot beside the journal was not used (the journal was replayed whole)."""

    @classmethod
    def _from_json(cls, text: str) -> ReplayReport:
        doc = json.loads(text)
        tail = doc["torn_tail"]
        torn = None if tail is None else TornTail(offset=tail["offset"], length=tail["len"])
        return cls(
            records=doc["records"],
            torn_tail=torn,
            snapshot=doc["snapshot"],
            snapshot_skipped=doc["snapshot_skipped"],
        )


# --- the handle ------------------------------------------------------------------------------


def _free(address: int) -> None:
    _ffi.lib().cz_campaign_free(address)


class Campaign:
    """A campaign: its rules, its state and, when opened or created on a file, its journal.

    Make one with :meth:`new`, :meth:`open`, :meth:`open_read_only`, :meth:`create`,
    :meth:`replay` or :meth:`from_snapshot`; release it with :meth:`close` or a ``with`` block
    (closing twice does nothing; a campaign never closed is freed when it is garbage-collected).
    After :meth:`close`, every method raises :class:`~chuangzheng.CampaignClosed`.

    Thread safety: one campaign may be shared by any number of threads. The library runs each
    call alone on the handle (its own lock) and ctypes releases the GIL during the call;
    :meth:`close` waits for calls in progress on other threads, and calls after it raise
    :class:`~chuangzheng.CampaignClosed`.

    Arguments: strings are ``str`` (sent as UTF-8) or ``bytes`` (sent as they are); ``None``
    where the C function takes NULL (an optional argument, or a required one: then the library
    raises :class:`~chuangzheng.NullArgument`). Dates are ``datetime.date`` or ``"YYYY-MM-DD"``.
    Decimals are ``decimal.Decimal``, ``str`` or ``int``; ``float`` raises :class:`TypeError`.
    """

    _address: int | None
    replay_report: ReplayReport | None
    """What :meth:`open_read_only` read (``None`` for a campaign made any other way)."""
    _users: int
    _idle: threading.Condition
    _finalizer: weakref.finalize

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("use Campaign.new, open, open_read_only, create, replay or from_snapshot")

    @classmethod
    def _adopt(cls, address: int) -> Campaign:
        self = cls.__new__(cls)
        self._address = address
        self.replay_report = None
        self._users = 0
        self._idle = threading.Condition()
        self._finalizer = weakref.finalize(self, _free, address)
        return self

    # -- construction --

    @classmethod
    def new(cls, info: Mapping | Text, rules: Mapping | Text | None = None) -> Campaign:
        """An in-memory campaign (no journal). ``info`` is ``{"id": ..., "name": ...}``;
        ``rules`` a rule set (docs/rules.md), ``None`` for the defaults."""
        lib = _ffi.lib()
        return cls._adopt(
            _ffi.call_handle(lib.cz_campaign_new, _json(info, "info"), _json(rules, "rules"))
        )

    @classmethod
    def open(cls, path: str | bytes | os.PathLike) -> Campaign:
        """Opens the journal at ``path``, verifying and replaying it; holds it locked. A valid
        snapshot beside it (:meth:`save_snapshot`) is loaded and only the records after it are
        replayed; one that cannot be used is passed over and the journal replayed whole."""
        lib = _ffi.lib()
        return cls._adopt(_ffi.call_handle(lib.cz_campaign_open, _path(path)))

    @classmethod
    def open_read_only(cls, path: str | bytes | os.PathLike) -> Campaign:
        """Opens the journal at ``path`` to read it only (``cz_campaign_open_read_only``):
        streamed from the file, never loaded whole, every record verified and replayed, nothing
        ever written. A torn last line (bytes without a newline, a write cut short) is reported
        in :attr:`replay_report`, not cut: the file stays byte for byte as it was. Every command
        and checkpoint is refused with :class:`~chuangzheng.JournalError` 4016; the reading
        methods (:meth:`report`, :meth:`figures`, ...) work as on any campaign. It takes a
        shared lock while it reads, so it opens a journal another process holds for writing,
        reading the records there when it opened. As :meth:`open`, it loads a valid snapshot
        beside the journal (:meth:`save_snapshot`) and replays only the records after it;
        :attr:`replay_report` says whether it did (``snapshot``) or why it could not
        (``snapshot_skipped``).

        >>> with Campaign.open_read_only("k000.jsonl") as c:  # doctest: +SKIP
        ...     print(c.replay_report.records, c.replay_report.torn_tail)
        ...     figures = c.figures(as_of="2010-10-31")
        """
        handle, out = ctypes.c_void_p(), ctypes.c_void_p()
        _ffi.check(
            _ffi.lib().cz_campaign_open_read_only(
                _path(path), ctypes.byref(handle), ctypes.byref(out)
            )
        )
        assert handle.value, "a constructor that succeeds gives a handle"
        campaign = cls._adopt(handle.value)  # freed by its finalizer if the report fails
        campaign.replay_report = ReplayReport._from_json(_ffi.take_string(out))
        return campaign

    @classmethod
    def create(
        cls,
        path: str | bytes | os.PathLike,
        info: Mapping | Text,
        rules: Mapping | Text | None = None,
    ) -> Campaign:
        """Creates a journal at ``path`` (never overwriting: an existing file is 4002)."""
        lib = _ffi.lib()
        return cls._adopt(
            _ffi.call_handle(
                lib.cz_campaign_create, _path(path), _json(info, "info"), _json(rules, "rules")
            )
        )

    @classmethod
    def replay(cls, journal_text: Text) -> Campaign:
        """Replays a journal held as text (header line and records), verifying every hash,
        into a new in-memory campaign."""
        lib = _ffi.lib()
        return cls._adopt(
            _ffi.call_handle(lib.cz_campaign_replay, _text(journal_text, "journal_text"))
        )

    @classmethod
    def from_snapshot(cls, snapshot_json: Text) -> Campaign:
        """Loads a snapshot (from :meth:`snapshot`) into a new in-memory campaign."""
        lib = _ffi.lib()
        return cls._adopt(
            _ffi.call_handle(
                lib.cz_campaign_from_snapshot, _text(snapshot_json, "snapshot_json")
            )
        )

    # -- life cycle --

    def _enter(self) -> int:
        """Counts a call in progress and returns the handle; refused once closed."""
        with self._idle:
            if self._address is None:
                raise CampaignClosed()
            self._users += 1
            return self._address

    def _leave(self) -> None:
        with self._idle:
            self._users -= 1
            if not self._users:
                self._idle.notify_all()

    def _call(self, fn: Callable[..., int], *args: Any) -> None:
        """``fn(handle, *args)``, raising the library's error for a failure code."""
        address = self._enter()
        try:
            _ffi.check(fn(address, *args))
        finally:
            self._leave()

    def _string(self, fn: Callable[..., int], *args: Any) -> str:
        out = ctypes.c_void_p()
        self._call(fn, *args, ctypes.byref(out))
        return _ffi.take_string(out)

    def close(self) -> None:
        """Frees the handle (closing and unlocking the journal). Idempotent; waits for calls
        in progress on other threads."""
        with self._idle:
            if self._address is None:
                return
            self._address = None
            while self._users:
                self._idle.wait()
        self._finalizer()

    @property
    def closed(self) -> bool:
        return self._address is None

    def __enter__(self) -> Campaign:
        if self._address is None:
            raise CampaignClosed()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._address is None:
            return "<chuangzheng.Campaign closed>"
        return f"<chuangzheng.Campaign seq={self.seq}>"

    # -- recording --

    def execute(self, command: Mapping | Text) -> int:
        """Checks and records one command (docs/events.md); returns its sequence number. A
        refused command records nothing and raises (:class:`~chuangzheng.Refused`, ...)."""
        seq = ctypes.c_uint64()
        self._call(_ffi.lib().cz_campaign_execute, _json(command, "command"), ctypes.byref(seq))
        return seq.value

    def import_commands(
        self,
        jsonl: Text | Iterable[Mapping | str],
        keep_going: bool = False,
        sign: Signing | None = None,
        every: int = 0,
    ) -> ImportResult:
        """Records JSON Lines of commands with one journal sync (blank and ``#`` lines skipped).

        ``jsonl`` is the text, or an iterable of commands (dicts or JSON strings, one a line).
        All or nothing by default: if any line is refused, nothing is recorded and
        :class:`~chuangzheng.ImportRefused` is raised, its ``result`` listing the refused lines.
        With ``keep_going=True`` the lines that pass are recorded and the result lists the
        others.

        With ``sign=(alg, key, key_id)`` (as :meth:`checkpoint` takes them) checkpoints signed
        by the key are written among the records (``cz_campaign_import_signed``): one every
        ``every`` records, and one at the end of each chunk of 4096 commands (``every=0``: only
        those); the result counts them in ``checkpoints``.
        """
        if not isinstance(jsonl, (str, bytes, bytearray, memoryview)) and jsonl is not None:
            lines = []
            for i, c in enumerate(jsonl):
                if isinstance(c, str):
                    line = c
                else:
                    encoded = _json(c, f"jsonl[{i}]")
                    assert encoded is not None, "a command is never NULL"
                    line = encoded.decode()
                lines.append(line)
            jsonl = "\n".join(lines)
        flags = _ffi.CZ_IMPORT_KEEP_GOING if keep_going else 0
        text = _text(jsonl, "jsonl")
        if sign is not None:
            signing = (*_signing(sign), _int(every, "every", 0, 2**64 - 1))
            fn, args = _ffi.lib().cz_campaign_import_signed, (text, flags, *signing)
        elif every:
            raise ValueError("every: needs sign=(alg, key, key_id)")
        else:
            fn, args = _ffi.lib().cz_campaign_import, (text, flags)
        out = ctypes.c_void_p()
        address = self._enter()
        try:
            code = fn(address, *args, ctypes.byref(out))
        finally:
            self._leave()
        # CZ_REFUSED_LINES comes with the result written: the refused lines are in it.
        if code != _ffi.CZ_REFUSED_LINES:
            _ffi.check(code)
        result = ImportResult._from_json(_ffi.take_string(out))
        if not keep_going and result.refused:
            raise ImportRefused(result)
        return result

    def import_xlsx(
        self,
        workbook: bytes | bytearray | memoryview,
        actor: Text | None = None,
        keep_going: bool = False,
    ) -> WorkbookResult:
        """Imports a filled template (.xlsx bytes; docs/sheets.md, ``cz_campaign_import_xlsx``):
        each row of each sheet of a known kind becomes a command; rows leaving 填报单位编号
        blank act as ``actor``. All or nothing by default: if any row is refused, nothing is
        recorded and :class:`~chuangzheng.ImportRefused` is raised, its ``result`` a
        :class:`WorkbookResult` listing every refused row by sheet, row and column. With
        ``keep_going=True`` the rows that pass are recorded. A workbook that cannot be read
        raises the library's error (6001–6003, 6005) and changes nothing.

        >>> campaign.import_xlsx(Path("走访登记.xlsx").read_bytes(), actor="t-01")  # doctest: +SKIP
        """
        if not isinstance(workbook, (bytes, bytearray, memoryview)):
            raise TypeError("workbook: expected the .xlsx file's bytes")
        data = bytes(workbook)
        flags = _ffi.CZ_IMPORT_KEEP_GOING if keep_going else 0
        out = ctypes.c_void_p()
        address = self._enter()
        try:
            code = _ffi.lib().cz_campaign_import_xlsx(
                address, data, len(data), _text(actor, "actor"), flags, ctypes.byref(out)
            )
        finally:
            self._leave()
        if code != _ffi.CZ_REFUSED_LINES:
            _ffi.check(code)
        result = WorkbookResult._from_json(_ffi.take_string(out))
        if not keep_going and result.refused:
            raise ImportRefused(result)  # type: ignore[arg-type]
        return result

    def checkpoint(self, alg: Text, key: KeyBytes, key_id: Text) -> int:
        """Writes a checkpoint record: the chain through the last record signed with ``key``
        (``cz_campaign_checkpoint``); returns its seq. ``alg`` is ``"sm2"`` (``key``: an SM2
        private key, PKCS#8 PEM or DER bytes, as ``openssl genpkey -algorithm SM2`` writes it)
        or ``"hmac-sm3"`` (``key``: the HMAC key's bytes, 16 to 1024). ``key_id`` names the key
        in the checkpoint. The key is used for this call only; the binding keeps no copy (pass a
        ``bytearray`` to zero it yourself afterwards).

        Raises :class:`~chuangzheng.InvalidArgument` for an unknown ``alg``,
        :class:`~chuangzheng.JournalError` 4012 for a key or key id that cannot be used, 4015
        before any record."""
        seq = ctypes.c_uint64()
        self._call(_ffi.lib().cz_campaign_checkpoint, *_signing((alg, key, key_id)), ctypes.byref(seq))
        return seq.value

    def save_snapshot(self) -> int:
        """Writes the campaign's whole state to a binary snapshot beside its journal
        (``<journal>.snapshot``, replacing the one there; ``cz_campaign_save_snapshot``), so
        that the next :meth:`open` or :meth:`open_read_only` loads it and replays only the
        records after it. The journal is synced first; the snapshot is written beside it and
        renamed into place. Returns the number of records it holds (the campaign's seq).

        Raises :class:`~chuangzheng.JournalError` 4017 for a campaign without a journal file
        (made with :meth:`new`, :meth:`from_snapshot` or :meth:`replay`: take :meth:`snapshot`),
        4016 for one opened read-only, 4007 for one an earlier write failure left unusable,
        4001 when the snapshot cannot be written (the old one, if any, is left in place).

        >>> with Campaign.open("city.jsonl") as c:  # doctest: +SKIP
        ...     c.save_snapshot()                     # city.jsonl.snapshot
        """
        seq = ctypes.c_uint64()
        self._call(_ffi.lib().cz_campaign_save_snapshot, ctypes.byref(seq))
        return seq.value

    def set_snapshot_every(self, every: int | None) -> None:
        """From now on writes a snapshot beside the journal by itself (as :meth:`save_snapshot`
        does) after every ``every`` records (``cz_campaign_set_snapshot_every``), counted from
        the snapshot the campaign was opened from (or the last one it wrote so), in the call
        that records the record that makes one due; that call then takes as long as a snapshot
        takes to write (seconds at province scale). ``None`` or ``0``: only when
        :meth:`save_snapshot` is called (the default).

        A snapshot that cannot be written does not fail that call, whose records are recorded:
        :meth:`take_snapshot_error` tells of it. Raises :class:`TypeError` for an ``every`` that
        is not an int, :class:`ValueError` for one outside ``0..2**64-1``.

        >>> with Campaign.open("city.jsonl") as c:  # doctest: +SKIP
        ...     c.set_snapshot_every(100_000)      # city.jsonl.snapshot every 100,000 records
        """
        n = 0 if every is None else _int(every, "every", 0, 2**64 - 1)
        self._call(_ffi.lib().cz_campaign_set_snapshot_every, n)

    def take_snapshot_error(self) -> ChuangzhengError | None:
        """Why the last snapshot written by itself (:meth:`set_snapshot_every`) failed, told
        once (``cz_campaign_take_snapshot_error``): the library's error as the exception
        :meth:`save_snapshot` would have raised (returned, not raised; e.g.
        :class:`~chuangzheng.JournalError` 4001 when the file cannot be written), or ``None``
        when none failed since the last call.

        >>> err = c.take_snapshot_error()  # doctest: +SKIP
        >>> if err is not None:            # doctest: +SKIP
        ...     log.warning("snapshot not written: %s", err.message_en)
        """
        address = self._enter()
        try:
            # The message is this thread's last error: read it right after the call.
            return _ffi.error(_ffi.lib().cz_campaign_take_snapshot_error(address))
        finally:
            self._leave()

    def record_reception(
        self,
        date: DateLike,
        actor_org: Text,
        village: Text,
        cadres: Sequence[Text],
        visitors: int,
        actor_by: Text | None = None,
    ) -> int:
        """Records a reception (接待来访) at ``village`` by ``cadres`` on duty; returns its seq."""
        array, count = _strings(cadres, "cadres")
        seq = ctypes.c_uint64()
        self._call(
            _ffi.lib().cz_campaign_record_reception,
            _date(date, "date"),
            _text(actor_org, "actor_org"),
            _text(actor_by, "actor_by"),
            _text(village, "village"),
            array,
            count,
            _int(visitors, "visitors", 0, 2**32 - 1),
            ctypes.byref(seq),
        )
        return seq.value

    def record_visit(
        self,
        date: DateLike,
        actor_org: Text,
        cadre: Text,
        household: Text,
        actor_by: Text | None = None,
    ) -> int:
        """Records a cadre's visit (走访) of a registered household; returns its seq."""
        seq = ctypes.c_uint64()
        self._call(
            _ffi.lib().cz_campaign_record_visit,
            _date(date, "date"),
            _text(actor_org, "actor_org"),
            _text(actor_by, "actor_by"),
            _text(cadre, "cadre"),
            _text(household, "household"),
            ctypes.byref(seq),
        )
        return seq.value

    def report_progress(
        self,
        date: DateLike,
        actor_org: Text,
        pledge: Text,
        year: int,
        month: int,
        achieved: Sequence[DecimalLike | None],
        correction: bool = False,
        actor_by: Text | None = None,
    ) -> int:
        """Reports a published pledge's progress (月报) for ``year``-``month``: ``achieved[i]``
        is target ``i``'s cumulative value, ``None`` for a target not reported. A second report
        for a month needs ``correction=True``. Returns the seq."""
        if achieved is None:
            values = None
        elif isinstance(achieved, (str, bytes)):
            raise TypeError("achieved: expected a list of decimals, not one string")
        else:
            values = [_decimal(v, f"achieved[{i}]") for i, v in enumerate(achieved)]
        array, count = _strings(values, "achieved")
        seq = ctypes.c_uint64()
        self._call(
            _ffi.lib().cz_campaign_report_progress,
            _date(date, "date"),
            _text(actor_org, "actor_org"),
            _text(actor_by, "actor_by"),
            _text(pledge, "pledge"),
            _int(year, "year", -(2**15), 2**15 - 1),
            _int(month, "month", 0, 255),
            array,
            count,
            _ffi.CZ_PROGRESS_CORRECTION if correction else 0,
            ctypes.byref(seq),
        )
        return seq.value

    # -- reading --

    @property
    def seq(self) -> int:
        """The sequence number of the last record (0 before any)."""
        seq = ctypes.c_uint64()
        self._call(_ffi.lib().cz_campaign_seq, ctypes.byref(seq))
        return seq.value

    @property
    def latest_date(self) -> datetime.date | None:
        """The latest effective date among the records, ``None`` when there is none."""
        out = _ffi.cz_date()
        try:
            self._call(_ffi.lib().cz_campaign_latest_date, ctypes.byref(out))
        except NoRecord:
            return None
        return datetime.date(out.year, out.month, out.day)

    def state(self) -> dict:
        """The state: the entity lists, as a dict."""
        return json.loads(self._string(_ffi.lib().cz_campaign_state_json))

    def pledge(self, pledge_id: Text) -> dict:
        """A pledge with its history (unknown ids: :class:`~chuangzheng.Refused`, 3002)."""
        return json.loads(self._string(_ffi.lib().cz_campaign_pledge_json, _text(pledge_id, "pledge")))

    def member_evaluation(self, member: Text, round: Text | int) -> dict:
        """A member's evaluation (一报告四评议) for ``round`` (``"2010"`` or ``2010``), every
        step with its rule. Unknown members, or no record for the round: 3002."""
        if isinstance(round, int) and not isinstance(round, bool):
            round = str(round)
        return json.loads(
            self._string(
                _ffi.lib().cz_campaign_member_evaluation_json,
                _text(member, "member"),
                _text(round, "round"),
            )
        )

    def report(
        self,
        scope: Text | None = None,
        from_: DateLike | None = None,
        as_of: DateLike | None = None,
        format: str | int = "json",
        attribution: str | int = "as_of",
    ) -> dict | str:
        """The stage report of ``scope``'s subtree (``None``: the root) over the records dated
        ``from_`` (``None``: the start) to ``as_of`` (``None``: the latest date recorded).
        ``format`` ``"json"`` gives a dict, ``"text"`` the Chinese text, ``"html"`` the page (or
        a raw ``CZ_FORMAT_*`` number).

        ``attribution`` is how records are placed in the organization tree (统计口径,
        ``cz_campaign_report_with``): ``"as_of"`` (or ``"as-of"``, the default) counts every
        record under its organization's place in the tree on ``as_of``, so a village that moved
        brings its past records to its new township; ``"historical"`` counts each record under
        the organization its author stood under on the record's own date (members, secretaries
        and other stocks stay where they stood on ``as_of``). At the root both readings give
        the same totals. A raw ``CZ_ATTRIBUTION_*`` number is passed as it is (an unknown one:
        :class:`~chuangzheng.InvalidArgument`). The JSON report names the reading in its
        ``"attribution"`` field.
        """
        code = _format_code(format)
        reading = self._reading(attribution)
        text = self._string(
            _ffi.lib().cz_campaign_report_with,
            _text(scope, "scope"),
            _date_text(from_, "from_"),
            _date_text(as_of, "as_of"),
            code,
            reading,
        )
        return json.loads(text) if code == _ffi.CZ_FORMAT_JSON else text

    def report_xlsx(
        self,
        scope: Text | None = None,
        from_: DateLike | None = None,
        as_of: DateLike | None = None,
        attribution: str | int = "as_of",
    ) -> bytes:
        """The stage report (as :meth:`report` chooses it) as an Excel workbook: the .xlsx
        file's bytes (docs/report.md, "The workbook"): every figure as a number under its
        Chinese label, the table of direct subordinates, figure 1 as a chart, the 123 grid.

        >>> open("report.xlsx", "wb").write(campaign.report_xlsx(scope="t-01"))  # doctest: +SKIP
        """
        reading = self._reading(attribution)
        out, length = ctypes.c_void_p(), ctypes.c_size_t()
        self._call(
            _ffi.lib().cz_campaign_report_xlsx,
            _text(scope, "scope"),
            _date_text(from_, "from_"),
            _date_text(as_of, "as_of"),
            reading,
            ctypes.byref(out),
            ctypes.byref(length),
        )
        return _ffi.take_bytes(out, length)

    def figures(
        self,
        scope: Text | None = None,
        from_: DateLike | None = None,
        as_of: DateLike | None = None,
        attribution: str | int = "as_of",
    ) -> str:
        """The figures of ``scope``'s subtree alone, chosen as :meth:`report` chooses its
        report (``cz_campaign_figures``): the mergeable counts and what they were computed under
        (campaign, span, reading, the 123 method's first day, the rule set and its SM3 hash), as
        JSON text of format ``chuangzheng.stage_figures`` (docs/report.md, "Figures alone"). A
        few kilobytes: what travels between machines, for :func:`~chuangzheng.merge_figures`
        and :func:`~chuangzheng.figures_report`.

        >>> t01 = campaign.figures(scope="t-01", as_of="2010-10-31")  # doctest: +SKIP
        """
        return self._string(
            _ffi.lib().cz_campaign_figures,
            _text(scope, "scope"),
            _date_text(from_, "from_"),
            _date_text(as_of, "as_of"),
            self._reading(attribution),
        )

    @staticmethod
    def _reading(attribution: str | int) -> int:
        """The ``CZ_ATTRIBUTION_*`` number ``attribution`` names (or is)."""
        if isinstance(attribution, str):
            if attribution not in _ATTRIBUTIONS:
                raise ValueError(
                    f"attribution: {attribution!r} is not one of {sorted(_ATTRIBUTIONS)}"
                )
            return _ATTRIBUTIONS[attribution]
        return _int(attribution, "attribution", 0, 2**32 - 1)

    def audit(
        self,
        claims: Mapping | Text,
        scope: Text | None = None,
        from_: DateLike | None = None,
        as_of: DateLike | None = None,
    ) -> dict:
        """Audits published claims (docs/report.md) against the stage report (as
        :meth:`report`): ``{"findings": [{"claim", "verdict", "computed", ...}]}``."""
        return json.loads(
            self._string(
                _ffi.lib().cz_campaign_audit_json,
                _json(claims, "claims"),
                _text(scope, "scope"),
                _date_text(from_, "from_"),
                _date_text(as_of, "as_of"),
            )
        )

    def snapshot(self) -> str:
        """The whole campaign as a snapshot (JSON text), for :meth:`from_snapshot`."""
        return self._string(_ffi.lib().cz_campaign_snapshot_json)

    @property
    def last_hash(self) -> str:
        """The hash of the last record (64 lowercase hex digits): the anchor to keep apart from
        the journal and give :func:`verify_journal` later."""
        return self._string(_ffi.lib().cz_campaign_last_hash)


def verify_journal(
    path: str | bytes | os.PathLike,
    expect_last_hash: Text | None = None,
    expect_seq: int | None = None,
    alg: Text | None = None,
    key: KeyBytes | None = None,
) -> dict:
    """Verifies the journal file at ``path``, reading only: every seal and record, every byte
    of the file, and its end against the anchors given (``cz_journal_verify``). Returns
    ``{"records", "last_seq", "last_hash", "latest_date"}``; raises
    :class:`~chuangzheng.JournalError` with code 4011 when an anchor differs, 4010 when bytes
    at its end belong to no record, 4004-4006 when a record fails.

    With ``alg`` and ``key`` (``"sm2"`` and the SM2 public key, SPKI PEM or DER bytes as
    ``openssl pkey -pubout`` writes it; or ``"hmac-sm3"`` and the HMAC key), every checkpoint of
    that algorithm is checked under the key and the last record must be one that verifies
    (``cz_journal_verify_signed``): the result adds ``"checkpoints"`` and ``"last_signed"``;
    4013 when a checkpoint's signature fails, 4014 when records follow the last one that
    verifies, 4012 when the key cannot be used."""
    seq = None
    if expect_seq is not None:
        seq = ctypes.byref(ctypes.c_uint64(_int(expect_seq, "expect_seq", 0, 2**64 - 1)))
    if (alg is None) != (key is None):
        raise ValueError("alg and key: give both or neither")
    args = (_path(path), _text(expect_last_hash, "expect_last_hash"), seq)
    if alg is None:
        text = _ffi.call_string(_ffi.lib().cz_journal_verify, *args)
    else:
        data, length = _key(key)
        text = _ffi.call_string(
            _ffi.lib().cz_journal_verify_signed, *args, _text(alg, "alg"), data, length
        )
    return json.loads(text)
