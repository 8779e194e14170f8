"""Benchmark: ``catalog guide`` (HTML guides for every leaf) against ``catalog ingest`` of the same
standard workbook to JSON, in the same run.

Run ``python bench/bench_guide.py`` (10,000 leaves, 3 rounds). The workbook is the one
``bench_validate.py`` generates and caches (``--leaves N``, same seed and generator). Each round
runs ``ingest, guide, ingest``; the ratio is the guide's wall time over the mean of the two ingest
runs around it, so a machine that speeds up or slows down moves both alike. The guide command runs
with its progress bar on (stderr, into the log: ``TTY_COMPATIBLE=1`` makes rich draw it as on a
terminal, for both commands). The target (≤ 5×) is judged on the median of the rounds; the script
also prints guides per second and the machine's load average before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_validate as bv

DEFAULT_LEAVES = 10_000
TARGET = 5.0  # catalog guide ≤ 5 × catalog ingest of the same workbook
INGEST = "ingest"
GUIDE = "guide-html"


def _guide_command(ctx: bv.Context) -> list[str]:
    """``catalog guide WORKBOOK -o DIR -f html`` into a new, empty folder (the last removed)."""
    out = ctx.scratch / "guides"
    shutil.rmtree(out, ignore_errors=True)
    return bv.catalog_command("guide", str(ctx.workbook), "-o", str(out), "-f", "html")


def _guide_summary(ctx: bv.Context) -> dict[str, Any]:
    """How many guides the run wrote, and whether its progress bar was drawn."""
    out = ctx.scratch / "guides"
    log = (ctx.scratch / f"{GUIDE}.log").read_text(encoding="utf-8", errors="replace")
    items = sum(1 for _ in (out / "items").glob("*.html"))
    if items != ctx.leaves or not (out / "index.html").is_file():
        raise SystemExit(f"catalog guide wrote {items} item guides, expected {ctx.leaves}")
    return {"item_guides": items, "progress_bar": "生成指南" in log}


STEPS = [
    bv.BenchStep(
        INGEST,
        "catalog ingest of the standard workbook to the catalog JSON (reference)",
        lambda ctx: bv.catalog_command(
            "ingest", str(ctx.workbook), "-o", str(ctx.scratch / "catalog.json")
        ),
    ),
    bv.BenchStep(
        GUIDE,
        "catalog guide -f html: a guide per leaf and the index, progress bar on stderr",
        _guide_command,
        inspect=_guide_summary,
        reference=INGEST,
        target_vs_ref=TARGET,
    ),
]


def load() -> str:
    """The 1, 5 and 15 minute load averages (other people's tests share this machine)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="catalog guide 性能基准 / guide benchmark")
    parser.add_argument("--leaves", type=int, default=DEFAULT_LEAVES, help="叶子事项数 / leaves")
    parser.add_argument("--seed", type=int, default=bv.DEFAULT_SEED)
    parser.add_argument("--rounds", type=int, default=3, help="轮数 / rounds")
    parser.add_argument("--rebuild", action="store_true", help="重新生成工作簿 / rebuild workbook")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.rounds < 1:
        raise SystemExit("--rounds must be ≥ 1")
    os.environ["TTY_COMPATIBLE"] = "1"  # rich draws the progress bar although stderr is a file
    by_name = {s.name: s for s in STEPS}
    runs = bv.schedule([by_name[GUIDE]], by_name)
    workbook = bv.ensure_workbook(args.leaves, args.seed, args.rebuild)
    print(f"负载 / load average before: {load()} ({os.cpu_count()} CPUs)")
    results: list[bv.Result] = []
    with tempfile.TemporaryDirectory(prefix="catalog-bench-guide-") as scratch:
        ctx = bv.Context(workbook, args.leaves, Path(scratch))
        for number in range(1, args.rounds + 1):
            results += bv.run_round(runs, ctx, 1, number, args.rounds)
            print(f"  load average: {load()}")
    print(f"负载 / load average after: {load()}")
    print("\n每轮 / rounds:")
    for r in results:
        if r.step == GUIDE:
            bar = "progress bar drawn" if r.notes.get("progress_bar") else "NO progress bar"
            print(
                f"  round {r.round}: guide {r.seconds:.2f} s, ingest (mean around) "
                f"{r.reference_seconds:.2f} s, ratio {r.ratio:.2f}, "
                f"{args.leaves / r.seconds:,.0f} guides/s, {bar}"
            )
    rows = bv.summarize(results)
    bv.print_table(rows, args.leaves, Counter(r.step for r in results))
    bv.print_ratios(results, by_name)
    ratios = [r.ratio for r in results if r.step == GUIDE and r.ratio is not None]
    low, mid, high = bv.spread(ratios)
    met = mid <= TARGET
    print(
        f"\n目标 / target: {GUIDE} ≤ {TARGET}× {INGEST} — {mid:.2f}× (median of {len(ratios)}; "
        f"min {low:.2f}, max {high:.2f}; met in {sum(v <= TARGET for v in ratios)}/{len(ratios)})"
        f": {'达标 met' if met else '未达标 NOT met'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
