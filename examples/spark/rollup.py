"""The national rollup on Apache Spark: every journal's figures, merged, and their report.

    spark-submit [--master URL] [--py-files chuangzheng-*.whl] examples/spark/rollup.py \\
        --out OUTDIR [--title NAME] [--as-of D] [--from D] [--attribution as_of|historical] \\
        JOURNAL...

JOURNAL is a journal file (one a city or a province shard), a directory (its ``*.jsonl``
files) or ``@LIST`` (a text file naming one path a line; blank and ``#`` lines skipped,
relative paths taken from the list's directory). Each path must be readable at the same place
from every executor (a shared file system): a journal is streamed from its file, never shipped.

One task a journal opens it read-only through the Python binding (every record verified, the
file never written, a torn last line reported and left alone) and computes its root's figures
(``Campaign.figures``: a few kilobytes); the figures are added up with ``treeReduce``
(``merge_figures``), and the driver writes into OUTDIR:

    figures.json   the merged figures (``chuangzheng report --figures`` reads it)
    report.json, report.txt, report.html, report.xlsx   their report
    shards.json    each journal: records read, torn tail, its scope and as-of day

Without --as-of each journal is counted to its own latest day first; journals that end earlier
are counted again to the latest of all, so that every shard's figures share one as-of day (the
merge refuses figures of different days, 5005). A shard that fails does not stop the others:
the driver prints every failed shard, with the library's code and message in Chinese and
English, and exits 1 without writing the report. See examples/spark/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import importlib.resources
import json
import os
import socket
import sys
import tempfile
import time
from collections.abc import Iterable
from types import ModuleType

LIBRARY = "libchuangzheng.so"
EXIT_FAILED = 1


# --- on the executors (and the driver) ---------------------------------------------------------


def binding() -> ModuleType:
    """The ``chuangzheng`` module, its library loaded or loadable.

    Imported from a directory (an installed wheel, or the source tree with ``CZ_LIB_DIR``) the
    binding finds its library itself. Imported from a zip (the wheel given to ``--py-files``),
    the wheel's ``chuangzheng/libchuangzheng.so`` cannot be mapped from inside the archive: it
    is copied out to a private temporary directory, loaded, and deleted (the mapping stays), and
    ``CHUANGZHENG_LIB`` set to its path for the rest of this Python process (a Spark worker runs
    many tasks; the binding, loaded once, does not open the file again). A library that does not
    load raises :class:`chuangzheng.LibraryNotFound`, naming why (an older glibc, say).
    """
    import chuangzheng

    if os.environ.get("CHUANGZHENG_LIB") or os.environ.get("CZ_LIB_DIR"):
        return chuangzheng
    inside = importlib.resources.files(chuangzheng) / LIBRARY
    beside = os.path.join(os.path.dirname(chuangzheng.__file__), LIBRARY)
    if os.path.isfile(beside) or not inside.is_file():
        return chuangzheng  # installed, or from the source tree: the binding's own search
    folder = tempfile.mkdtemp(prefix="chuangzheng-")
    path = os.path.join(folder, LIBRARY)
    try:
        with open(path, "wb") as f:
            f.write(inside.read_bytes())
        chuangzheng.load(path)
    finally:
        if os.path.exists(path):
            os.unlink(path)
        os.rmdir(folder)
    os.environ["CHUANGZHENG_LIB"] = path
    return chuangzheng


def failure(path: str, code: int | None, zh: str, en: str) -> dict:
    """A failure as plain data (results travel pickled, so no class of this script): where,
    on which host, the library's code (``None``: the binding could not be loaded there) and its
    message in Chinese and English."""
    host = socket.gethostname()
    return {"path": path, "host": host, "code": code, "message_zh": zh, "message_en": en}


def not_loaded(where: str, e: ImportError) -> dict:
    """The failure of a binding that is not there (no package on the path) or whose library
    did not load (:class:`chuangzheng.LibraryNotFound` names every place tried and why)."""
    zh = getattr(e, "message_zh", f"无法导入 chuangzheng：{e}")
    en = getattr(e, "message_en", f"cannot import chuangzheng: {e}")
    return failure(where, None, zh, en)


def read_shard(path: str, as_of: str | None, from_: str | None, attribution: str) -> dict:
    """One journal's figures: ``{"path", "records", "torn_tail", "scope", "as_of",
    "figures"}``, or ``{"path", "failed": failure}`` when the library refuses it."""
    try:
        cz = binding()
    except ImportError as e:
        return {"path": path, "failed": not_loaded(path, e)}
    try:
        with cz.Campaign.open_read_only(path) as campaign:
            figures = campaign.figures(from_=from_, as_of=as_of, attribution=attribution)
            report = campaign.replay_report
    except cz.LibraryNotFound as e:  # the library found no place to load from, here
        return {"path": path, "failed": not_loaded(path, e)}
    except cz.ChuangzhengError as e:
        return {"path": path, "failed": failure(path, e.code, e.message_zh, e.message_en)}
    doc = json.loads(figures)
    (scope,) = doc["scopes"]
    tail = report.torn_tail
    return {
        "path": path,
        "records": report.records,
        "torn_tail": None if tail is None else {"offset": tail.offset, "len": tail.length},
        "scope": {"org": scope["org"], "name": scope["name"]},
        "as_of": doc["as_of"],
        "figures": figures,
    }


def part(shard: dict) -> dict:
    """A shard as a value of the reduction: its figures and the journals they come from."""
    if "failed" in shard:
        return {"failed": [shard["failed"]]}
    return {"paths": [shard["path"]], "figures": shard["figures"]}


def merge_parts(a: dict, b: dict) -> dict:
    """The reduction: two merged parts' figures added up (``merge_figures``), or the failures
    of either. A merge the library refuses (5005 other terms, 5006 overlapping scopes) is a
    failure naming the journals on each side."""
    if "failed" in a or "failed" in b:
        return {"failed": a.get("failed", []) + b.get("failed", [])}
    cz = binding()
    try:
        merged = cz.merge_figures([a["figures"], b["figures"]])
    except cz.ChuangzhengError as e:
        where = f"{named(a['paths'])} + {named(b['paths'])}"
        return {"failed": [failure(where, e.code, e.message_zh, e.message_en)]}
    return {"paths": a["paths"] + b["paths"], "figures": merged}


def named(paths: list[str]) -> str:
    """Journals, named briefly (a merge of hundreds names the first three)."""
    shown = ", ".join(paths[:3])
    return shown if len(paths) <= 3 else f"{shown} (+{len(paths) - 3})"


# --- on the driver ---------------------------------------------------------------------------


def journals(args: Iterable[str]) -> list[str]:
    """The journal paths the arguments name, absolute (every executor opens the same path),
    each once, in the order given."""
    found: list[str] = []
    for arg in args:
        if arg.startswith("@"):
            listing = arg[1:]
            base = os.path.dirname(os.path.abspath(listing))
            with open(listing, encoding="utf-8") as f:
                lines = [ln.strip() for ln in f]
            found += [os.path.join(base, ln) for ln in lines if ln and not ln.startswith("#")]
        elif os.path.isdir(arg):
            inside = sorted(glob.glob(os.path.join(arg, "*.jsonl")))
            if not inside:
                raise SystemExit(f"{arg}: 目录中没有 .jsonl 日志 / no .jsonl journal in the directory")
            found += inside
        else:
            found.append(arg)
    unique = list(dict.fromkeys(os.path.abspath(p) for p in found))
    if not unique:
        raise SystemExit("没有给出日志 / no journal given")
    return unique


def show(f: dict) -> str:
    """A failure as the driver prints it: where, the code, Chinese, English (each line of a
    message indented)."""
    code = "binding not loaded" if f["code"] is None else f"[{f['code']}]"
    lines = [f"{f['path']} (on {f['host']}): {code}"]
    lines += ["  " + line for line in f"{f['message_zh']}\n{f['message_en']}".splitlines()]
    return "\n".join(lines)


def date_arg(text: str) -> str:
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} 不是 YYYY-MM-DD 日期 / is not a YYYY-MM-DD date")


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} 不是正整数 / is not a positive integer")
    return int(text)


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="rollup.py",
        description="各地日志的统计数据在 Spark 上汇总 / every journal's figures merged on Spark",
    )
    p.add_argument("journals", nargs="+", metavar="JOURNAL", help="a journal, a directory of them, or @LIST")
    p.add_argument("--out", required=True, help="the directory to write figures.json and the report into")
    p.add_argument("--title", help="the name the report goes under (needed for journals without a common parent)")
    p.add_argument("--as-of", type=date_arg, help="the last day counted [default: the latest day of any journal]")
    p.add_argument("--from", dest="from_", type=date_arg, help="the first day counted [default: the start]")
    p.add_argument("--attribution", choices=["as_of", "historical"], default="as_of",
                   help="how records are placed in the tree (统计口径) [default: as_of]")
    p.add_argument("--depth", type=positive, default=2, help="treeReduce's depth [default: 2]")
    return p.parse_args(argv)


def write(folder: str, name: str, data: str | bytes) -> None:
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


def main(argv: list[str]) -> int:
    args = parse(argv)
    paths = journals(args.journals)
    started = time.monotonic()

    from pyspark import SparkConf, SparkContext

    conf = SparkConf().setAppName("chuangzheng rollup").setIfMissing("spark.master", "local[*]")
    sc = SparkContext(conf=conf)
    sc.setLogLevel("WARN")
    try:
        # The driver merges last and writes the report: its binding is loaded now, while the
        # copy of a --py-files archive is there (sc.stop() removes it).
        try:
            cz = binding()
            cz.version()
        except ImportError as e:
            print(show(not_loaded("driver", e)), file=sys.stderr)
            return EXIT_FAILED
        terms = (args.as_of, args.from_, args.attribution)
        shards = sc.parallelize(paths, len(paths)).map(lambda p: read_shard(p, *terms)).cache()
        summary = shards.map(lambda s: {k: v for k, v in s.items() if k != "figures"}).collect()
        failed = [s["failed"] for s in summary if "failed" in s]
        if failed:
            print(f"汇总失败：{len(failed)} 个日志无法读取 / rollup failed: "
                  f"{len(failed)} of {len(paths)} journals could not be read", file=sys.stderr)
            for f in failed:
                print(show(f), file=sys.stderr)
            return EXIT_FAILED
        as_of = args.as_of or max(s["as_of"] for s in summary)
        behind = [s for s in summary if s["as_of"] != as_of]
        if behind:
            print(f"{len(behind)} 个日志截至更早的日期，按 {as_of} 重新统计 / counting {len(behind)} "
                  f"journals that end earlier again to {as_of}, the latest day of all", file=sys.stderr)
        for s in behind:
            s["latest"], s["as_of"] = s["as_of"], as_of
        again = (as_of, args.from_, args.attribution)
        parts = shards.map(lambda s: part(s if s["as_of"] == as_of else read_shard(s["path"], *again)))
        merged = parts.treeReduce(merge_parts, depth=args.depth)
    finally:
        sc.stop()

    if "failed" in merged:
        print("汇总失败 / rollup failed:", file=sys.stderr)
        for f in merged["failed"]:
            print(show(f), file=sys.stderr)
        return EXIT_FAILED

    figures = merged["figures"]
    if args.title:
        figures = cz.merge_figures([figures], title=args.title)
    os.makedirs(args.out, exist_ok=True)
    write(args.out, "figures.json", figures + "\n")
    write(args.out, "shards.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    try:
        report = cz.figures_report(figures)
        text = cz.figures_report(figures, format="text")
        html = cz.figures_report(figures, format="html")
        book = cz.figures_report_xlsx(figures)
    except cz.FiguresError as e:  # 5007: journals without a common parent, and no --title
        where = os.path.join(args.out, "figures.json")
        print(show(failure(where, e.code, e.message_zh, e.message_en)), file=sys.stderr)
        return EXIT_FAILED
    write(args.out, "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    write(args.out, "report.txt", text)
    write(args.out, "report.html", html)
    write(args.out, "report.xlsx", book)

    torn = [s for s in summary if s["torn_tail"]]
    for s in torn:
        t = s["torn_tail"]
        print(f"{s['path']}: 末尾 {t['len']} 字节不属于任何记录，未计入 / "
              f"the last {t['len']} bytes (from byte {t['offset']}) belong to no record: not counted",
              file=sys.stderr)
    records = sum(s["records"] for s in summary)
    seconds = time.monotonic() - started
    print(f"已汇总 {len(paths)} 个日志（{records} 条记录），截至 {as_of}，写入 {args.out} / "
          f"merged {len(paths)} journals ({records} records) as of {as_of} into {args.out} "
          f"in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
