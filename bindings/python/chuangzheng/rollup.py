"""Figures across machines: the merge of figures documents and their report.

A figures document (JSON text of format ``chuangzheng.stage_figures``, docs/report.md "Figures
alone") is what :meth:`Campaign.figures <chuangzheng.Campaign.figures>` writes for one scope:
the mergeable counts, with what they were computed under. :func:`merge_figures` adds any
number of them (or earlier merges) into one; :func:`figures_report` and
:func:`figures_report_xlsx` write the report of a document, every rate and 万元 amount
computed from its merged counts. None of them needs a campaign: they run anywhere the library
loads (a Spark driver or executor, say).
"""

from __future__ import annotations

import ctypes
import json
from collections.abc import Iterable, Mapping
from typing import Union

from . import _ffi
from .campaign import Text, _format_code, _json, _strings, _text

__all__ = ["merge_figures", "figures_report", "figures_report_xlsx"]

FiguresJson = Union[Mapping, Text]
"""A figures document: its JSON text (``str`` or ``bytes``), or the dict it reads as."""


def merge_figures(docs: Iterable[FiguresJson], title: Text | None = None) -> str:
    """The merge of figures documents (``cz_figures_merge``), as JSON text: their scopes side
    by side, their counts added. ``docs`` are documents from
    :meth:`Campaign.figures <chuangzheng.Campaign.figures>` or earlier merges (JSON text or
    dicts; a single string is refused with :class:`TypeError`). ``title`` names the whole for
    its report (a merge of cities that each are their own journal's root has no common parent
    to be reported under: :func:`figures_report` then needs it); the title of a document
    merged again is not kept.

    Raises :class:`~chuangzheng.FiguresError`: 5004 for a document that cannot be read (the
    message names ``docs[i]`` and the field), 5005 for documents computed under different
    terms (naming what differs: ``as_of``, ``rules.hash``, ...), 5006 for scopes that overlap
    (the same organizations counted twice).

    >>> both = merge_figures([t01, t02])  # doctest: +SKIP
    """
    if isinstance(docs, (str, bytes, bytearray, memoryview, Mapping)):
        raise TypeError("docs: expected an iterable of figures documents, not one document")
    texts = [_json(d, f"docs[{i}]") for i, d in enumerate(docs)]
    array, count = _strings(texts, "docs")
    return _ffi.call_string(_ffi.lib().cz_figures_merge, array, count, _text(title, "title"))


def figures_report(figures_json: FiguresJson, format: str | int = "json") -> dict | str:
    """The report of a figures document, one scope or a merge (``cz_figures_report``), as
    :meth:`Campaign.report <chuangzheng.Campaign.report>` gives it: ``"json"`` a dict,
    ``"text"`` the Chinese text, ``"html"`` the page (or a raw ``CZ_FORMAT_*`` number). Each
    scope of a merge is a row of 附表一; the 123 method's grid of villages is each scope's own
    report's, not this one's.

    Raises :class:`~chuangzheng.FiguresError` 5004 for a document that cannot be read, 5007 for
    a merge of scopes without a common parent that was given no title.
    """
    code = _format_code(format)
    text = _ffi.call_string(
        _ffi.lib().cz_figures_report, _json(figures_json, "figures_json"), code
    )
    return json.loads(text) if code == _ffi.CZ_FORMAT_JSON else text


def figures_report_xlsx(figures_json: FiguresJson) -> bytes:
    """The report of a figures document (as :func:`figures_report`) as an Excel workbook: the
    .xlsx file's bytes (``cz_figures_report_xlsx``; docs/report.md, "The workbook")."""
    out, length = ctypes.c_void_p(), ctypes.c_size_t()
    _ffi.check(
        _ffi.lib().cz_figures_report_xlsx(
            _json(figures_json, "figures_json"), ctypes.byref(out), ctypes.byref(length)
        )
    )
    return _ffi.take_bytes(out, length)
