#!/usr/bin/env python3
"""Benchmark `flask2django` on synthetic Flask monorepos of growing size.

    python3 scripts/bench/run.py [--sizes 10000,100000,1000000] [--runs 5] [--threads 2]
                                 [--bin PATH] [--markdown FILE] [--commands inventory,convert]

1. Builds the release binary (`cargo build --release`; `--bin` skips this).
2. Writes one tree per size with `gen_monorepo.py` into `target/bench/monorepo-<lines>/`, reused
   by later runs (a stamp file holds the generator's hash and arguments; a change regenerates).
3. For each size, each command of `COMMANDS` that the binary's `--help` lists and `baseline.py`
   (Python's `ast`, one process): one warm-up run each, then `--runs` timed runs of each command
   and `--baseline-runs` of the baseline, taken in turn (command, command, baseline, command,
   ...) so that a busy spell of a shared host weighs on both sides of the ratio. Each run is a
   fresh process; wall time and CPU time (user + system) are medians, peak RSS the largest
   `ru_maxrss` reported by `wait4` for that process alone.
4. The baseline once more with `--jobs` = threads.
5. Prints a Markdown report: the table, the scaling from size to size, and `--threads 1` against
   the chosen thread count on the largest tree; `--markdown FILE` writes it to FILE too.

A new command is one entry in `COMMANDS`: its name as `--help` lists it and its arguments, where
`{tree}`, `{threads}` and `{scratch}` (an empty folder per run) are substituted.
Python 3.11 stdlib only.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
GENERATOR = HERE / "gen_monorepo.py"
BASELINE = HERE / "baseline.py"

# Commands to time, in order: (name in `flask2django --help`, arguments).
COMMANDS: list[tuple[str, list[str]]] = [
    ("inventory", ["inventory", "{tree}", "--format", "json", "-o", os.devnull, "--threads", "{threads}"]),
    ("convert", ["convert", "{tree}", "--out", "{scratch}/out", "--threads", "{threads}"]),
]

DEFAULT_SIZES = [10_000, 100_000, 1_000_000]

# Targets, checked in the report.
TARGET_SECONDS_1M = 2.0
TARGET_RATIO = 20.0
TARGET_RSS_MB = 300.0


@dataclass
class Measure:
    wall: float  # median seconds
    walls: list[float]
    rss_mb: float  # peak over the runs
    cpu: float  # median user + system seconds


@dataclass
class Tree:
    lines: int  # requested size
    path: Path
    py_files: int
    templates: int
    py_lines: int
    bytes: int


def label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


def run_once(argv: list[str], cwd: Path | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of one fresh process; output
    discarded; fails loudly."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited with {proc.returncode}:\n{stderr[-2000:]}")
    # Linux reports ru_maxrss in KiB.
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def measure_in_turn(jobs: dict[str, tuple[list[str], int]], scratch: Path | None = None) -> dict[str, Measure]:
    """Times each job (`name: (argv, runs)`) after one warm-up run each (warm page cache), its
    runs taken in turn with the other jobs' ones."""

    def fresh(args: list[str]) -> list[str]:
        if scratch is None:
            return args
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        return [a.replace("{scratch}", str(scratch)) for a in args]

    for argv, _ in jobs.values():
        run_once(fresh(argv))
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in jobs}
    for i in range(max(runs for _, runs in jobs.values())):
        for name, (argv, runs) in jobs.items():
            if i < runs:
                samples[name].append(run_once(fresh(argv)))
    return {
        name: Measure(
            wall=statistics.median(s[0] for s in got),
            walls=[s[0] for s in got],
            rss_mb=max(s[1] for s in got),
            cpu=statistics.median(s[2] for s in got),
        )
        for name, got in samples.items()
    }


def measure(argv: list[str], runs: int, scratch: Path | None = None) -> Measure:
    return measure_in_turn({"": (argv, runs)}, scratch)[""]


def build(target_dir: Path) -> Path:
    env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir))
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, env=env, check=True)
    return target_dir / "release" / "flask2django"


def listed_commands(binary: Path) -> set[str]:
    """Subcommand names from the `Commands:` section of `--help`."""
    text = subprocess.run([binary, "--help"], capture_output=True, text=True, check=True).stdout
    section = text.split("Commands:", 1)[-1].split("\n\n", 1)[0]
    return {m.group(1) for m in re.finditer(r"^\s{2}(\S+)", section, re.M)}


def tree_for(lines: int, cache: Path) -> Tree:
    digest = hashlib.sha256(GENERATOR.read_bytes()).hexdigest()[:16]
    stamp_text = f"gen_monorepo.py {digest} --lines {lines}\n"
    path = cache / f"monorepo-{label(lines)}"
    stamp = cache / f"monorepo-{label(lines)}.stamp"
    if not (path.is_dir() and stamp.is_file() and stamp.read_text() == stamp_text):
        shutil.rmtree(path, ignore_errors=True)
        cache.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=path.name + ".", dir=cache))
        subprocess.run([sys.executable, GENERATOR, "--lines", str(lines), tmp / "tree"], check=True)
        (tmp / "tree").rename(path)
        tmp.rmdir()
        stamp.write_text(stamp_text)
    py_files = templates = py_lines = size = 0
    for dirpath, _, filenames in os.walk(path):
        for name in filenames:
            data = Path(dirpath, name).read_bytes()
            size += len(data)
            if name.endswith(".py"):
                py_files += 1
                py_lines += data.count(b"\n")
            elif name.endswith(".html"):
                templates += 1
    return Tree(lines, path, py_files, templates, py_lines, size)


def inventory_counts(binary: Path, tree: Path, threads: int) -> dict:
    """What the tool found, for a sanity check against the baseline (one untimed run)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [binary, "inventory", tree, "--format", "json", "-o", out.name, "--threads", str(threads)], check=True
        )
        data = json.loads(Path(out.name).read_text())
    return {
        "routes": len(data.get("routes", [])),
        "models": len(data.get("models", [])),
        "templates": len(data.get("templates", [])),
        "diagnostics": len(data.get("diagnostics", [])),
    }


def machine() -> list[str]:
    def out(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = out("git", "-C", str(REPO), "describe", "--always", "--dirty")
    return [
        f"- Date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: `nproc` = {out('nproc')}, {cpu}, {platform.system()} {platform.release()}",
        f"- `{out('rustc', '--version')}`, Python {platform.python_version()}",
        f"- Source: `{commit}`",
    ]


def fmt_rate(x: float) -> str:
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e3:
        return f"{x / 1e3:.1f} k"
    return f"{x:.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="lines of Python per tree")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command and size (median)")
    parser.add_argument("--baseline-runs", type=int, default=3, help="timed runs of the Python baseline")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--bin", type=Path, help="use this binary instead of building one")
    parser.add_argument("--cache", type=Path, default=REPO / "target" / "bench", help="where trees are kept")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--commands", help="comma-separated names from COMMANDS to time (default: all the binary lists)"
    )
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]

    target_dir = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    binary = args.bin or build(target_dir)
    available = listed_commands(binary)
    wanted = set(args.commands.split(",")) if args.commands else None
    commands = [(name, cmd) for name, cmd in COMMANDS if name in available and (wanted is None or name in wanted)]
    skipped = [name for name, _ in COMMANDS if name not in available]

    trees = [tree_for(n, args.cache) for n in sizes]
    results: dict[tuple[str, int], Measure] = {}
    baseline: dict[int, Measure] = {}
    baseline_jobs: dict[int, Measure] = {}
    counts: dict[int, tuple[dict, dict]] = {}
    scratch = args.cache / "scratch"
    for tree in trees:
        jobs: dict[str, tuple[list[str], int]] = {}
        for name, cmd in commands:
            argv_ = [str(binary)] + [a.format(tree=tree.path, threads=args.threads, scratch="{scratch}") for a in cmd]
            jobs[name] = (argv_, args.runs)
        base_argv = [sys.executable, str(BASELINE), str(tree.path)]
        jobs[" baseline"] = (base_argv, args.baseline_runs)
        print(f"{label(tree.lines)} {', '.join(n.strip() for n in jobs)} ...", file=sys.stderr, flush=True)
        measured = measure_in_turn(jobs, scratch)
        baseline[tree.lines] = measured.pop(" baseline")
        for name, m in measured.items():
            results[(name, tree.lines)] = m
        baseline_jobs[tree.lines] = measure(base_argv + ["--jobs", str(args.threads)], 1)
        found = subprocess.run(base_argv + ["--json"], capture_output=True, text=True, check=True).stdout
        counts[tree.lines] = (inventory_counts(binary, tree.path, args.threads), json.loads(found))

    largest = trees[-1]
    one_thread = None
    if ("inventory", largest.lines) in results:
        print(f"{label(largest.lines)} inventory --threads 1 ...", file=sys.stderr, flush=True)
        argv_ = [str(binary)] + [
            a.format(tree=largest.path, threads=1, scratch="{scratch}") for a in dict(commands)["inventory"]
        ]
        one_thread = measure(argv_, args.runs)

    lines = ["## Results", ""]
    lines += machine()
    if args.bin:
        lines.append(f"- Binary: `{args.bin}` (given with `--bin`; it may predate the source above)")
    lines += [
        f"- Each figure: median of {args.runs} runs after one warm-up run (warm page cache), "
        f"`--threads {args.threads}`; peak RSS is the largest of the runs; cpu = user + system time. "
        f"Python baseline: median of {args.baseline_runs} runs, one process, taken in turn with the "
        "commands' runs.",
    ]
    if skipped:
        lines.append(f"- Not timed (not in `flask2django --help`): {', '.join(f'`{s}`' for s in skipped)}.")
    lines.append("")
    header = (
        "| size | command | files | lines | MB | wall s | cpu s | files/s | MB/s | lines/s | peak RSS MB "
        "| python s | ratio |"
    )
    lines += [header, "|" + "---|" * (header.count("|") - 1)]
    for tree in trees:
        files = tree.py_files + tree.templates
        mb = tree.bytes / 1e6
        base = baseline[tree.lines]
        for name, _ in commands:
            m = results[(name, tree.lines)]
            lines.append(
                f"| {label(tree.lines)} | {name} | {files} | {tree.py_lines} | {mb:.1f} | {m.wall:.3f} "
                f"| {m.cpu:.2f} | {fmt_rate(files / m.wall)} | {mb / m.wall:.1f} | {fmt_rate(tree.py_lines / m.wall)} "
                f"| {m.rss_mb:.0f} | {base.wall:.2f} | {base.wall / m.wall:.1f}x |"
            )
    lines += [
        "",
        "files = Python files + templates; lines = lines of Python; MB = all bytes of the tree. "
        "ratio = Python baseline wall time / flask2django wall time.",
        "",
        "### Scaling (time per line, size to size)",
        "",
    ]
    for name, _ in commands:
        for a, b in zip(trees, trees[1:]):
            ma, mb_ = results[(name, a.lines)], results[(name, b.lines)]
            per_a = ma.wall / a.py_lines * 1e6
            per_b = mb_.wall / b.py_lines * 1e6
            lines.append(
                f"- `{name}` {label(a.lines)} → {label(b.lines)}: ×{b.py_lines / a.py_lines:.1f} lines, "
                f"×{mb_.wall / ma.wall:.1f} time; {per_a:.2f} → {per_b:.2f} µs per line "
                f"(×{per_b / per_a:.2f})"
            )
    lines += ["", "### Python baseline", ""]
    lines.append("| size | 1 process s | peak RSS MB | " + f"{args.threads} processes s | routes | models |")
    lines.append("|---|---|---|---|---|---|")
    for tree in trees:
        b, bj = baseline[tree.lines], baseline_jobs[tree.lines]
        found = counts[tree.lines][1]
        lines.append(
            f"| {label(tree.lines)} | {b.wall:.2f} | {b.rss_mb:.0f} | {bj.wall:.2f} | {found['routes']} "
            f"| {found['models']} |"
        )
    lines += ["", "### What each found", ""]
    lines.append("| size | flask2django routes | baseline routes | flask2django models | baseline models "
                 "| templates | diagnostics |")
    lines.append("|---|---|---|---|---|---|---|")
    for tree in trees:
        ours, theirs = counts[tree.lines]
        lines.append(
            f"| {label(tree.lines)} | {ours['routes']} | {theirs['routes']} | {ours['models']} | {theirs['models']} "
            f"| {ours['templates']} | {ours['diagnostics']} |"
        )
    if one_thread is not None:
        m2 = results[("inventory", largest.lines)]
        lines += [
            "",
            f"### Threads ({label(largest.lines)})",
            "",
            f"- `--threads 1`: {one_thread.wall:.3f} s, peak RSS {one_thread.rss_mb:.0f} MB",
            f"- `--threads {args.threads}`: {m2.wall:.3f} s, peak RSS {m2.rss_mb:.0f} MB "
            f"(speed-up ×{one_thread.wall / m2.wall:.2f})",
        ]
    if ("inventory", 1_000_000) in results:
        m = results[("inventory", 1_000_000)]
        ratio = baseline[1_000_000].wall / m.wall
        lines += [
            "",
            "### Targets (1M lines, inventory)",
            "",
            f"- under {TARGET_SECONDS_1M:g} s: {m.wall:.2f} s — {'met' if m.wall < TARGET_SECONDS_1M else 'NOT met'}",
            f"- ≥{TARGET_RATIO:g}x the Python baseline: {ratio:.1f}x — "
            f"{'met' if ratio >= TARGET_RATIO else 'NOT met'}",
            f"- peak RSS under {TARGET_RSS_MB:g} MB: {m.rss_mb:.0f} MB — "
            f"{'met' if m.rss_mb < TARGET_RSS_MB else 'NOT met'}",
        ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.markdown:
        args.markdown.write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
