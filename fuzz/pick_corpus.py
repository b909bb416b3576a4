#!/usr/bin/env python3
"""Refreshes a kept seed corpus (fuzz/corpus/TARGET) from a run's corpus.

1. libFuzzer merges the kept corpus and the run's corpus into a fresh directory, writing its
   merge control file. With -set_cover_merge=1 the file lists, for every input, all the
   features it covers (a plain -merge=1 lists only those no smaller input had shown first,
   which undercounts larger files and makes the pick's counts lower bounds).
2. A greedy pick, by those features, of at most MAX files under 4 KB: each step takes the
   file adding the most features not yet covered (the smaller file on a tie).
3. The pick replaces the kept corpus only if it covers more features than the kept corpus
   does (both counted from the same control file); a kept file that is picked keeps its name,
   a new one is named fuzz-<first 16 hex digits of its SHA-1>.

    fuzz/pick_corpus.py TARGET RUN_CORPUS [--max 30] [--dry-run]

Prints the features of the merged corpus, of the kept corpus and of the pick.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "target", "x86_64-unknown-linux-gnu", "release")
MAX_BYTES = 4096


def features(control):
    """{path: set of features} from a merge control file."""
    with open(control) as f:
        lines = f.read().splitlines()
    n = int(lines[0])
    files = lines[2 : 2 + n]
    ft = {}
    for line in lines[2 + n :]:
        parts = line.split()
        if parts and parts[0] == "FT":
            ft[files[int(parts[1])]] = set(map(int, parts[2:]))
    return ft


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("target")
    ap.add_argument("run_corpus")
    ap.add_argument("--max", type=int, default=30)
    ap.add_argument("--dry-run", action="store_true")
    args = ap.parse_args()
    kept = os.path.join(HERE, "corpus", args.target)
    work = tempfile.mkdtemp(prefix=f"pick-{args.target}-")
    merged = os.path.join(work, "merged")
    os.makedirs(merged)
    control = os.path.join(work, "control")
    subprocess.run(
        [os.path.join(BIN, args.target), "-set_cover_merge=1", f"-merge_control_file={control}",
         "-rss_limit_mb=2048", "-detect_leaks=0", merged, kept, args.run_corpus],
        cwd=work, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    ft = features(control)
    merged_names = set(os.listdir(merged))
    # Every input's full features: their union is the merged corpus's.
    merged_ft = set().union(*ft.values())
    kept_ft = set().union(*(f for p, f in ft.items() if os.path.dirname(p) == kept))
    size = {p: os.path.getsize(p) for p in ft}
    candidates = {p: f for p, f in ft.items() if size[p] < MAX_BYTES}
    covered, pick = set(), []
    while len(pick) < args.max and candidates:
        best = max(candidates, key=lambda p: (len(candidates[p] - covered), -size[p], p))
        if not candidates[best] - covered:
            break
        covered |= candidates.pop(best)
        pick.append(best)
    print(f"{args.target}: merged corpus {len(merged_names)} files, {len(merged_ft)} features; "
          f"kept {len([p for p in ft if os.path.dirname(p) == kept])} files, {len(kept_ft)} features; "
          f"pick {len(pick)} files, {len(covered)} features "
          f"({100 * len(covered) / max(1, len(merged_ft)):.0f} % of the merged corpus's)")
    if len(covered) <= len(kept_ft):
        print(f"{args.target}: the kept corpus stays (the pick covers no more)")
    elif args.dry_run:
        print(f"{args.target}: would replace the kept corpus")
    else:
        out = os.path.join(work, "pick")
        os.makedirs(out)
        for p in pick:
            data = open(p, "rb").read()
            name = os.path.basename(p) if os.path.dirname(p) == kept else \
                "fuzz-" + hashlib.sha1(data).hexdigest()[:16]
            with open(os.path.join(out, name), "wb") as f:
                f.write(data)
        shutil.rmtree(kept)
        shutil.copytree(out, kept)
        print(f"{args.target}: kept corpus replaced")
    shutil.rmtree(work)


if __name__ == "__main__":
    sys.exit(main())
