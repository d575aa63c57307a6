#!/usr/bin/env python3
"""kroniek's cost model: build time, peak memory and time per stage against the number of events.

For each size, generates a site with gen-events.py (--orgs 12, the site's default page_size, so
the timeline is split above 1,000 events), builds it RUNS times into an empty folder on tmpfs
(/dev/shm, so that the figures are CPU and memory, not the disk) and prints the medians: wall
time, peak memory (max RSS), and each stage's time from KRONIEK_TIMINGS=1.

    benches/cost.py                              # 100, 1,000, 10,000 and 100,000 events
    benches/cost.py --events 100,1000 --runs 5

Builds kroniek in release mode first. 100,000 events need ~270 MB of input, ~3 GB of tmpfs for
the output and ~2 GB of memory; generating them takes about a minute.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "benches" / "gen-events.py"
KRONIEK = ROOT / "target" / "release" / "kroniek"
STAGE = re.compile(r"^timing: (.+?): ([\d.]+) ms")


def build(site, out):
    """One build; returns (wall s, peak RSS MiB, {stage: ms})."""
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, KRONIEK_TIMINGS="1")
    started = time.perf_counter()
    proc = subprocess.Popen([str(KRONIEK), "build", str(site), "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stderr = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"kroniek build failed:\n{stderr}")
    stages = {m.group(1): float(m.group(2)) for m in map(STAGE.match, stderr.splitlines()) if m}
    return wall, usage.ru_maxrss / 1024, stages


def size_of(path):
    files = total = 0
    for dirpath, _, names in os.walk(path):
        for name in names:
            files += 1
            total += os.path.getsize(os.path.join(dirpath, name))
    return files, total


def measure(events, runs):
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
    work = Path(tempfile.mkdtemp(prefix="kroniek-cost-", dir=base))
    try:
        site = work / "site"
        subprocess.run([sys.executable, str(GENERATOR), "--events", str(events), "--orgs", "12",
                        str(site / "content")], check=True, stdout=subprocess.DEVNULL)
        _, input_bytes = size_of(site / "content")
        out = work / "out"
        build(site, out)  # warm-up: page cache, allocator
        samples = [build(site, out) for _ in range(runs)]
        files, output_bytes = size_of(out)
        shutil.rmtree(out, ignore_errors=True)
        stages = {name: statistics.median(s[2].get(name, 0.0) for s in samples)
                  for name in samples[0][2]}
        return {
            "events": events,
            "input": input_bytes,
            "files": files,
            "output": output_bytes,
            "wall": statistics.median(s[0] for s in samples),
            "rss": statistics.median(s[1] for s in samples),
            "stages": stages,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", default="100,1000,10000,100000", help="comma-separated sizes")
    parser.add_argument("--runs", type=int, default=3, help="builds per size (median)")
    parser.add_argument("--no-build", action="store_true", help="use target/release/kroniek as it is")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    print(f"machine: {os.cpu_count()} cores; median of {args.runs} builds per size, output on tmpfs")
    rows = [measure(int(n), args.runs) for n in args.events.split(",")]
    print("\n| events | input | output | wall | peak memory | memory per 1,000 events |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['events']:,} | {r['input'] / 1e6:.1f} MB | {r['files']:,} files, "
              f"{r['output'] / 2**20:,.0f} MiB | {r['wall']:.2f} s | {r['rss']:,.0f} MiB | "
              f"{r['rss'] / r['events'] * 1000:,.0f} MiB |")
    print("\nTime per stage (ms, median; stages overlap where the build runs them side by side):")
    names = list(rows[-1]["stages"])
    print("| stage | " + " | ".join(f"{r['events']:,}" for r in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{r['stages'].get(name, 0):,.0f}" for r in rows) + " |")


if __name__ == "__main__":
    main()
