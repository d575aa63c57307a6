#!/usr/bin/env python3
"""Whole builds side by side: kroniek against Hugo (when installed) on the same synthetic content.

For each size, generates a site with gen-events.py (--orgs 12), then builds it RUNS times with
each tool, interleaved (kroniek, hugo, floor, kroniek, hugo, floor, ...), each run into an empty
output folder. Prints the median wall time and peak memory (max RSS of the process) of each
tool, and the kroniek/Hugo ratios. "floor" is the I/O floor: `cp -r` of kroniek's output tree
to an empty folder (the same number of files and bytes written, without any rendering).

Hugo renders the content with the minimal equivalent layout in benches/hugo-site/: a home page
with every event in full grouped by day (kroniek gets `page_size` = the number of events, so
its timeline is one page too; `--page-size N` measures its split timeline instead), one page per event, one page per organisation with its
events in full, a feed with every event in full, a sitemap and a 404 page.

    benches/compare.py                       # 1,000 and 10,000 events, output on disk and /dev/shm
    benches/compare.py --events 1000 --runs 7 --where shm

Builds kroniek in release mode first. Needs python3; Hugo is optional (apt-get install hugo).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "benches" / "gen-events.py"
HUGO_SITE = ROOT / "benches" / "hugo-site"
KRONIEK = ROOT / "target" / "release" / "kroniek"


def run_measured(argv):
    """Runs argv to completion; returns (wall seconds, peak RSS in MiB). Fails loudly."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{argv[0]} failed with exit {code}:\n{stderr}")
    return wall, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def empty(path):
    shutil.rmtree(path, ignore_errors=True)


def tree_size(path):
    files = 0
    size = 0
    for dirpath, _, names in os.walk(path):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, name))
    return files, size


def generate(site, events, page_size):
    subprocess.run(
        [sys.executable, str(GENERATOR), "--events", str(events), "--orgs", "12", str(site / "content")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    # Hugo's layout puts every event on the home page; so does kroniek unless told otherwise
    # (its default splits the timeline above 1,000 events, which would be less work).
    index = site / "content" / "_index.md"
    text = index.read_text()
    index.write_text(text.replace("---\n", f"---\npage_size: {page_size or events}\n", 1))


def bench(events, runs, where, hugo, page_size):
    base = Path("/dev/shm") if where == "shm" else Path(tempfile.gettempdir())
    work = Path(tempfile.mkdtemp(prefix="kroniek-compare-", dir=base))
    try:
        site = work / "site"
        generate(site, events, page_size)
        out = {"kroniek": work / "out-kroniek", "hugo": work / "out-hugo", "floor": work / "out-floor"}
        commands = {
            "kroniek": [str(KRONIEK), "build", str(site), "-o", str(out["kroniek"])],
            "hugo": [
                "hugo", "--quiet", "-s", str(HUGO_SITE), "--contentDir", str(site / "content"),
                "-d", str(out["hugo"]), "--cacheDir", str(work / "hugo-cache"),
            ],
        }
        tools = ["kroniek"] + (["hugo"] if hugo else [])
        # One warm-up each: fills the page cache and gives the floor a tree to copy.
        for tool in tools:
            empty(out[tool])
            run_measured(commands[tool])
        reference = work / "reference"
        empty(reference)
        shutil.copytree(out["kroniek"], reference)
        commands["floor"] = ["cp", "-r", str(reference), str(out["floor"])]
        tools.append("floor")

        results = {tool: [] for tool in tools}
        for _ in range(runs):
            for tool in tools:
                empty(out[tool])
                results[tool].append(run_measured(commands[tool]))
        files, size = tree_size(out["kroniek"])
        report(events, where, files, size, results)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(events, where, files, size, results):
    print(f"\n{events:,} events, output on {'tmpfs (/dev/shm)' if where == 'shm' else 'disk'}: "
          f"kroniek writes {files:,} files, {size / 2**20:.0f} MiB")
    print(f"  {'tool':<8} {'median wall':>12} {'min–max':>16} {'median peak RSS':>16}")
    medians = {}
    for tool, samples in results.items():
        walls = [w for w, _ in samples]
        rss = [r for _, r in samples]
        medians[tool] = (statistics.median(walls), statistics.median(rss))
        print(f"  {tool:<8} {medians[tool][0]:>11.3f}s {min(walls):>7.3f}–{max(walls):.3f}s "
              f"{medians[tool][1]:>12.0f} MiB")
    k_wall, k_rss = medians["kroniek"]
    if "hugo" in medians:
        h_wall, h_rss = medians["hugo"]
        print(f"  kroniek/hugo: wall {k_wall / h_wall:.2f}x, peak memory {k_rss / h_rss:.2f}x")
    print(f"  kroniek/floor: wall {k_wall / medians['floor'][0]:.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", default="1000,10000", help="comma-separated sizes")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per tool (median)")
    parser.add_argument("--where", default="disk,shm", help="disk, shm or both (comma-separated)")
    parser.add_argument("--no-build", action="store_true", help="use target/release/kroniek as it is")
    parser.add_argument("--page-size", type=int, default=0,
                        help="kroniek's page_size (default: all events on one page, as Hugo does)")
    args = parser.parse_args()

    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    hugo = shutil.which("hugo") is not None
    if hugo:
        version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
        print(f"hugo: {version}")
    else:
        print("hugo: not installed (apt-get install hugo); measuring kroniek and the I/O floor only")
    print(f"machine: {os.cpu_count()} cores; {args.runs} runs per tool, interleaved")
    for events in [int(e) for e in args.events.split(",")]:
        for where in args.where.split(","):
            bench(events, args.runs, where, hugo, args.page_size)


if __name__ == "__main__":
    main()
