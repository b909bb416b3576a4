#!/usr/bin/env python3
"""Runs one fuzz target until its coverage plateaus, and reads the figures back from the logs.

A run has plateaued when libFuzzer's `cov` (edges) has not grown for the last QUIET seconds
(300 by default) of the run. `run` starts the built target (cargo fuzz build first) from the
kept corpus plus a fresh scratch corpus directory, copies libFuzzer's output into a log with
the seconds since the start in front of every line, and stops the fuzzer with SIGINT once the
condition holds or the budget is spent. `summary` prints, from such logs, one table row per
run: wall time, executions, exec/s, the last cov / ft, the time of the last new coverage,
whether it plateaued (and the growth over the last QUIET seconds), and what was found.

    fuzz/plateau.py run TARGET --budget 1200 [--quiet 300] [--fork] [--out /tmp/fuzzlogs]
    fuzz/plateau.py summary /tmp/fuzzlogs/*.tlog

Without --fork, libFuzzer runs with -jobs=1 -workers=1 (one job in a child process writing
fuzz-0.log, which this script follows); with --fork, -fork=1 -ignore_crashes=1. Always
-rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "target", "x86_64-unknown-linux-gnu", "release")

STATUS = re.compile(r"^#(\d+)\s*:?\s+(?:(\w+)\s+)?cov: (\d+) ft: (\d+) corp: (\d+)")
EXECS = re.compile(r"exec/s:? (\d+)")
FINAL = re.compile(r"^stat::(\w+):\s+(\d+)")
BAD = re.compile(r"==\d+==ERROR|deadly signal|panicked at|Test unit written to|SUMMARY: ")


def run(args):
    work = os.path.join(args.out, args.target)
    shutil.rmtree(work, ignore_errors=True)
    scratch = os.path.join(work, "corpus")
    os.makedirs(scratch)
    artifacts = os.path.join(work, "artifacts") + "/"
    os.makedirs(artifacts)
    cmd = [
        os.path.join(BIN, args.target),
        f"-artifact_prefix={artifacts}",
        f"-max_total_time={args.budget}",
        "-rss_limit_mb=2048",
        "-detect_leaks=0",
        "-print_final_stats=1",
    ]
    cmd += ["-fork=1", "-ignore_crashes=1"] if args.fork else ["-jobs=1", "-workers=1"]
    cmd += [scratch, os.path.join(HERE, "corpus", args.target)]
    raw = os.path.join(work, "fuzz-0.log") if not args.fork else os.path.join(work, "out.log")
    tlog_path = os.path.join(args.out, args.target + ".tlog")
    start = time.time()
    with open(os.path.join(work, "out.log"), "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=work, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    best, last_growth, pos, stopped = -1, start, 0, None
    with open(tlog_path, "w") as tlog:
        tlog.write(f"# {' '.join(cmd)}\n# budget {args.budget} quiet {args.quiet}\n")
        while True:
            done = proc.poll() is not None
            now = time.time()
            if os.path.exists(raw):
                with open(raw, "rb") as f:
                    f.seek(pos)
                    chunk = f.read()
                end = chunk.rfind(b"\n") + 1 if not done else len(chunk)
                pos += end
                for line in chunk[:end].decode("utf-8", "replace").splitlines():
                    tlog.write(f"{now - start:9.1f} {line}\n")
                    m = STATUS.match(line)
                    if m and int(m.group(3)) > best:
                        best, last_growth = int(m.group(3)), now
                tlog.flush()
            if done:
                break
            if stopped is None and now - last_growth >= args.quiet:
                stopped = now
                tlog.write(f"{now - start:9.1f} # plateau: no new cov for {args.quiet} s; SIGINT\n")
                os.killpg(proc.pid, signal.SIGINT)
            elif stopped is not None and now - stopped > 20:
                os.killpg(proc.pid, signal.SIGKILL)
            time.sleep(1)
        tlog.write(f"{time.time() - start:9.1f} # exit {proc.returncode}\n")
    print(tlog_path)


def summarize(path, quiet):
    rows, final, found = [], {}, []
    wall = None
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                m = re.match(r"# budget (\d+) quiet (\d+)", line)
                if m:
                    quiet = int(m.group(2))
                continue
            t, _, text = line.strip("\n").lstrip().partition(" ")
            t = float(t)
            text = text.lstrip()
            wall = t
            m = STATUS.match(text)
            if m:
                e = EXECS.search(text)
                rows.append((t, int(m.group(1)), int(m.group(3)), int(m.group(4)), int(m.group(5)),
                             int(e.group(1)) if e else None))
            m = FINAL.match(text)
            if m:
                final[m.group(1)] = int(m.group(2))
            if BAD.search(text):
                found.append(text.strip())
    if not rows:
        return None
    best, last_new = -1, 0.0
    for t, _, cov, *_ in rows:
        if cov > best:
            best, last_new = cov, t
    t_end = wall
    before = [r[2] for r in rows if r[0] <= t_end - quiet]
    growth = rows[-1][2] - (before[-1] if before else rows[0][2])
    execs = final.get("number_of_executed_units", rows[-1][1])
    return {
        "target": os.path.basename(path).rsplit(".", 1)[0],
        "wall_s": round(t_end),
        "execs": execs,
        "exec_s": round(execs / t_end) if t_end else 0,
        "cov": rows[-1][2],
        "ft": rows[-1][3],
        "corpus": rows[-1][4],
        "last_new_s": round(last_new),
        "plateau": t_end - last_new >= quiet,
        "growth_last_quiet": growth,
        "found": found,
    }


def summary(args):
    print("| target | wall s | executions | exec/s | cov / ft | corpus | last new cov at | "
          "plateaued | cov growth, last 5 min | found |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for p in args.logs:
        s = summarize(p, args.quiet)
        if s is None:
            print(f"| {p} | no status lines |")
            continue
        found = "; ".join(sorted(set(s["found"])))[:200] or "nothing"
        print(f"| `{s['target']}` | {s['wall_s']} | {s['execs']:,} | {s['exec_s']:,} | "
              f"{s['cov']:,} / {s['ft']:,} | {s['corpus']:,} | {s['last_new_s']} s | "
              f"{'yes' if s['plateau'] else 'no'} | +{s['growth_last_quiet']} | {found} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("target")
    r.add_argument("--budget", type=int, default=1200)
    r.add_argument("--quiet", type=int, default=300)
    r.add_argument("--fork", action="store_true")
    r.add_argument("--out", default="/tmp/fuzzlogs")
    s = sub.add_parser("summary")
    s.add_argument("logs", nargs="+")
    s.add_argument("--quiet", type=int, default=300)
    args = ap.parse_args()
    os.makedirs(getattr(args, "out", "/tmp"), exist_ok=True)
    run(args) if args.cmd == "run" else summary(args)


if __name__ == "__main__":
    sys.exit(main())
