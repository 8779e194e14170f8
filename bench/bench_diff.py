"""Benchmark: ``catalog diff`` of many county catalogs against the city's, against reading them.

Run ``python bench/bench_diff.py --leaves 10000 --counties 100``. The script

1. generates a city catalog with ``bench_validate``'s generator and ``--counties`` county catalogs
   derived from it with seeded random drift (unclaimed items, county-only items, renamed items, a
   changed 业务办理项编码, conditions extended, materials added / removed / with a changed 份数 or
   必要性, legal limits and promises changed, steps dropped / added / reordered) and
   the county's own elements changed on every item (实施主体 and its code, 实施编码, 办理地点,
   咨询电话), which must not count; all written as standard workbooks in ``bench/.cache/`` with
   the plan (what was planted in each county) beside them;
2. times, each in a fresh process through ``bench_validate``'s runner (wall, CPU of the whole
   tree, peak RSS of the tree), ``catalog diff city counties… -f json -o out.json`` between two
   runs of the reference: the same 101 catalogs read with the project's reader the way the command
   does (the city in the main process, the counties in as many worker processes as ``--jobs``);
   ``--rounds R`` runs that schedule R times, the ratio is judged on the median;
3. checks the diff against the plan (a self-check of the bench): per county, the deviations of
   each kind, the unclaimed items and the matched items are exactly what was planted.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import bench_validate as bv  # noqa: E402

from catalog_cli.analyses.diff_compare import material_key, plain_name  # noqa: E402
from catalog_cli.analyses.diff_rules import load_diff_rules, load_synonyms  # noqa: E402
from catalog_cli.checks.codes import make_uscc  # noqa: E402
from catalog_cli.model import Catalog, Leaf, Material  # noqa: E402
from catalog_cli.schema import load_synonym_groups  # noqa: E402

DRIFT_VERSION = 2  # bump when the derived counties change, so cached workbooks are rebuilt
CITY_VERSION = 2  # bump when the city workbook changes (its file name carries it)
DEFAULT_LEAVES = 10_000
DEFAULT_COUNTIES = 100
TARGET_RATIO = 1.5  # catalog diff ≤ 1.5 × reading the 101 catalogs
TARGET_PEAK_MB = 2048

# drift kind → (share of the county's leaves, the deviation kind the diff must report)
DRIFT: dict[str, tuple[float, str | None]] = {
    "unclaimed": (0.02, None),
    "county-only": (0.01, None),
    "renamed": (0.01, "renamed"),
    "code-changed": (0.005, "code-changed"),
    "conditions-changed": (0.01, "conditions-changed"),
    "material-added": (0.01, "material-added"),
    "material-removed": (0.01, "material-removed"),
    "material-copies": (0.01, "material-changed"),
    "material-necessity": (0.005, "material-changed"),
    "legal-changed": (0.005, "legal-changed"),
    "promise-longer": (0.01, "promise-longer"),
    "promise-shorter": (0.01, "promise-shorter"),
    "step-dropped": (0.005, "step-removed"),
    "step-added": (0.005, "step-added"),
    "step-reordered": (0.005, "step-reordered"),
}
EXTRA_CONDITION = "；在本县行政区域内有固定住所的，另需提供居住证明"
EXTRA_STEP = "县级复核"
EXTRA_MATERIALS = ("补充说明材料", "县级补充承诺书", "现场照片", "邻里意见书", "村（居）委会证明")


@dataclass
class County:
    """A derived county: its catalog and what was planted in it."""

    name: str
    catalog: Catalog
    planted: Counter = field(default_factory=Counter)  # deviation kind → count
    unclaimed: int = 0
    county_only: int = 0


# ---------------------------------------------------------------------------------------------
# Drift
# ---------------------------------------------------------------------------------------------


def _renumber(items: list[Any]) -> None:
    for seq, item in enumerate(items, start=1):
        item.seq = seq


def _rename(leaf: Leaf, rng: random.Random) -> bool:
    leaf.name = (leaf.name or "") + rng.choice(("服务", "办理", "申请"))
    return True


def _add_material(leaf: Leaf, rng: random.Random, synonyms: dict[str, str]) -> bool:
    have = {material_key(m, synonyms) for m in leaf.materials}
    free = [n for n in EXTRA_MATERIALS if material_key(Material(name=n), synonyms) not in have]
    name = free[0]
    extra = copy.copy(leaf.materials[0])
    extra.name = name
    leaf.materials.append(extra)
    _renumber(leaf.materials)
    return True


def _remove_material(leaf: Leaf, rng: random.Random) -> bool:
    if len(leaf.materials) < 2:
        return False
    del leaf.materials[rng.randrange(len(leaf.materials))]
    _renumber(leaf.materials)
    return True


def _change_copies(leaf: Leaf, rng: random.Random) -> bool:
    material = rng.choice(leaf.materials)
    material.copies = "3" if material.copies != "3" else "4"
    return True


def _change_necessity(leaf: Leaf, rng: random.Random) -> bool:
    material = rng.choice(leaf.materials)
    material.necessity = "非必要" if material.necessity == "必要" else "必要"
    return True


def _change_code(leaf: Leaf) -> bool:
    """Another 业务办理项编码 under the same 基本编码: the code pass cannot match the leaf, the
    name pass does (its name is the city's and held by no other leaf)."""
    if not leaf.handling_code or not leaf.basic_code:
        return False
    leaf.handling_code = leaf.basic_code + "02"
    return True


def _change_conditions(leaf: Leaf) -> bool:
    if not leaf.conditions:
        return False
    leaf.conditions += EXTRA_CONDITION
    return True


def _change_legal(leaf: Leaf) -> bool:
    limit = leaf.legal_limit
    if limit is None or limit.value is None or limit.unit not in ("工作日", "自然日"):
        return False
    leaf.legal_limit = bv.time_limit(int(limit.value) + 10, limit.unit)
    return True


def _add_step(leaf: Leaf) -> bool:
    if not leaf.steps or any(s.name == EXTRA_STEP for s in leaf.steps):
        return False
    extra = copy.copy(leaf.steps[-1])
    extra.name = EXTRA_STEP
    leaf.steps.insert(len(leaf.steps) - 1, extra)
    _renumber(leaf.steps)
    return True


def county_only_leaf(leaf: Leaf, number: int, k: int) -> Leaf:
    """The county's own item: a copy of a city leaf under a code and a name the city has not
    (``k`` < 100 numbers it in its main item's 9xx range)."""
    own = copy.deepcopy(leaf)
    own.basic_code = (leaf.basic_code or "")[:9] + f"9{k:02d}"
    own.handling_code = own.basic_code + "01"
    own.name = f"第{number}县自设{k:02d}号{leaf.name}"
    return own


def _promise(leaf: Leaf, longer: bool) -> bool:
    limit = leaf.promised_limit
    if limit is None or limit.unit not in ("工作日", "自然日") or limit.value is None:
        return False
    value = int(limit.value)
    if not longer and value < 2:
        return False
    leaf.promised_limit = bv.time_limit(value + 5 if longer else value - 1, limit.unit)
    return True


def _drop_step(leaf: Leaf, rng: random.Random) -> bool:
    if len(leaf.steps) < 2:
        return False
    del leaf.steps[rng.randrange(len(leaf.steps))]
    _renumber(leaf.steps)
    return True


def _reorder_steps(leaf: Leaf, rng: random.Random) -> bool:
    names = [s.name for s in leaf.steps]
    if len(set(names)) < 2:
        return False
    i = rng.randrange(len(leaf.steps) - 1)
    leaf.steps[i], leaf.steps[i + 1] = leaf.steps[i + 1], leaf.steps[i]
    _renumber(leaf.steps)
    return True


def apply_drift(kind: str, leaf: Leaf, rng: random.Random, synonyms: dict[str, str]) -> bool:
    """Plant one drift of ``kind`` in ``leaf``; False when the leaf cannot carry it."""
    if kind == "renamed":
        return _rename(leaf, rng)
    if kind == "material-added":
        return _add_material(leaf, rng, synonyms)
    if kind == "material-removed":
        return _remove_material(leaf, rng)
    if kind == "material-copies":
        return _change_copies(leaf, rng)
    if kind == "material-necessity":
        return _change_necessity(leaf, rng)
    if kind == "code-changed":
        return _change_code(leaf)
    if kind == "conditions-changed":
        return _change_conditions(leaf)
    if kind == "legal-changed":
        return _change_legal(leaf)
    if kind == "step-added":
        return _add_step(leaf)
    if kind in ("promise-longer", "promise-shorter"):
        return _promise(leaf, kind == "promise-longer")
    if kind == "step-dropped":
        return _drop_step(leaf, rng)
    if kind == "step-reordered":
        return _reorder_steps(leaf, rng)
    raise ValueError(kind)


def own_elements(catalog: Catalog, rng: random.Random, number: int) -> None:
    """The county's own elements on every leaf: its agency, USCC, 实施编码, address and phone
    (never compared: a diff that counts them is wrong)."""
    county = f"第{number}县"
    region = f"34{number % 100:02d}{21 + number // 100:02d}"
    usccs: dict[str, str] = {}
    for leaf in catalog.iter_leaves():
        dept = (leaf.agency or "").split("市", 1)[-1]
        if dept not in usccs:
            usccs[dept] = make_uscc("11", region, f"{rng.randrange(10**8):08d}")
        leaf.agency = county + dept
        leaf.agency_code = usccs[dept]
        leaf.impl_code = f"{usccs[dept]}4{leaf.basic_code}"
        leaf.address = f"{county}政务服务中心{rng.randint(1, 3)}楼{rng.randint(1, 40)}号窗口"
        leaf.consult = f"咨询电话：0550-{rng.randint(70000000, 79999999)}"


def unique_names(city: Catalog) -> set[str]:
    """Plain names held by a single city leaf (an unclaimed leaf must not repeat one: the
    name pass would report the repeat)."""
    tags = load_diff_rules().level_tags
    counts = Counter(plain_name(x.name, tags) for x in city.iter_leaves())
    return {n for n, c in counts.items() if c == 1}


def city_catalog(leaves: int, seed: int) -> Catalog:
    """``bench_validate``'s catalog with every 实施编码 unique again: its deliberate duplicate
    实施编码 makes the reader attach both leaves' materials and steps to one of them, drift the
    counties (whose 实施编码 are their own) would show on every county."""
    catalog = bv.generate_catalog(leaves, seed).catalog
    for leaf in catalog.iter_leaves():
        leaf.impl_code = f"{leaf.agency_code}3{leaf.basic_code}"
    return catalog


def derive_county(city: Catalog, number: int, seed: int) -> County:
    """A county catalog derived from ``city`` (changed in place: pass a fresh copy) with seeded
    drift, one drift per drifted leaf."""
    rng = random.Random(seed * 1000 + number)
    synonyms = load_synonyms(load_synonym_groups())
    tags = load_diff_rules().level_tags
    catalog = city
    single = unique_names(city)
    catalog.name = f"第{number}县实施清单"
    county = County(f"county-{number:03d}", catalog)
    leaves = list(catalog.iter_leaves())
    order = list(range(len(leaves)))
    rng.shuffle(order)
    taken: set[int] = set()
    own: list[tuple[Any, Leaf]] = []
    mains = {id(x): m for m in catalog.main_items for x in m.leaves}
    cursor = 0
    n = len(leaves)
    for kind, (share, deviation) in DRIFT.items():
        want = max(1, round(share * n))
        done = 0
        if kind == "county-only":  # copies of leaves taken from the far end of the order
            for k in range(min(want, 100)):
                source = leaves[order[-1 - k]]
                own.append((mains[id(source)], county_only_leaf(source, number, k)))
            continue
        while done < want and cursor < len(order):
            index = order[cursor]
            cursor += 1
            leaf = leaves[index]
            if kind == "unclaimed":
                if plain_name(leaf.name, tags) not in single:
                    continue
                taken.add(index)
                done += 1
                continue
            if kind == "code-changed" and plain_name(leaf.name, tags) not in single:
                continue
            if apply_drift(kind, leaf, rng, synonyms):
                county.planted[deviation] += 1
                done += 1
    county.unclaimed = len(taken)
    county.county_only = len(own)
    for main, leaf in own:
        main.leaves.append(leaf)
    gone = {id(leaves[i]) for i in taken}
    for main in catalog.main_items:
        main.leaves = [x for x in main.leaves if id(x) not in gone]
    catalog.main_items = [m for m in catalog.main_items if m.leaves]
    own_elements(catalog, rng, number)
    return county


# ---------------------------------------------------------------------------------------------
# Cache
# ---------------------------------------------------------------------------------------------


def cache_dir(leaves: int, seed: int) -> Path:
    """The cache of (N, seed): county NNN is the same whatever the number of counties asked for,
    so a larger run only adds the missing ones."""
    version = f"g{bv.GENERATOR_VERSION}d{DRIFT_VERSION}"
    return bv.CACHE_DIR / f"diff-n{leaves}-s{seed}-{version}"


def city_path(folder: Path) -> Path:
    return folder / f"city-v{CITY_VERSION}.xlsx"


def county_paths(folder: Path, number: int) -> tuple[Path, Path]:
    """(the county's workbook, its plan)."""
    stem = folder / "counties" / f"county-{number:03d}"
    return stem.with_suffix(".xlsx"), stem.with_suffix(".plan.json")


def write_county(folder: Path, leaves: int, seed: int, number: int) -> None:
    """Derive county ``number`` from a freshly generated city (faster than a deep copy), write
    its workbook (unless already there) and then its plan."""
    from catalog_cli.write.workbook import write_workbook

    book, plan = county_paths(folder, number)
    county = derive_county(city_catalog(leaves, seed), number, seed)
    if not book.exists():
        write_workbook(county.catalog, book, links=False)
    entry = {
        "deviations": dict(sorted(county.planted.items())),
        "unclaimed": county.unclaimed,
        "county_only": county.county_only,
        "matched": leaves - county.unclaimed,
    }
    plan.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")


def ensure_catalogs(
    leaves: int, counties: int, seed: int, rebuild: bool, jobs: int
) -> tuple[Path, dict]:
    """The cached folder (``city-vN.xlsx``, ``counties/county-NNN.xlsx`` and ``.plan.json``), the
    missing counties derived and written by ``jobs`` worker processes; the plan of the first
    ``counties``."""
    import shutil
    from concurrent.futures import ProcessPoolExecutor

    from catalog_cli.ingest.shards import process_context
    from catalog_cli.write.workbook import write_workbook

    folder = cache_dir(leaves, seed)
    if rebuild and folder.exists():
        shutil.rmtree(folder)
    t0 = time.perf_counter()
    (folder / "counties").mkdir(parents=True, exist_ok=True)
    if not city_path(folder).exists():
        write_workbook(city_catalog(leaves, seed), city_path(folder), links=False)
    numbers = range(1, counties + 1)
    missing = [n for n in numbers if not all(p.exists() for p in county_paths(folder, n))]
    print(f"目录 / catalogs: {folder.relative_to(bv.REPO)} ({len(missing)} counties to write)")
    if missing:
        k = len(missing)
        with ProcessPoolExecutor(jobs, mp_context=process_context()) as pool:
            done = pool.map(write_county, [folder] * k, [leaves] * k, [seed] * k, missing)
            for n, _ in enumerate(done, start=1):
                if n % 10 == 0 or n == k:
                    print(f"  生成 / derived {n}/{k} counties, {time.perf_counter() - t0:.0f} s")
    plan: dict[str, Any] = {"leaves": leaves, "counties": {}}
    for n in numbers:
        book, entry = county_paths(folder, n)
        plan["counties"][book.stem] = json.loads(entry.read_text(encoding="utf-8"))
    return folder, plan


# ---------------------------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------------------------

# the reference: the 101 catalogs read as catalog diff reads them (the city in this process,
# the counties in a pool of the same size, each worker with the command's policies)
READ_ALL = """
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from catalog_cli.cli.common import gather, units
from catalog_cli.cli.diff import read_one_catalog
from catalog_cli.ingest import set_gc_policy, set_memory_policy
from catalog_cli.ingest.shards import process_context

def policies():
    set_gc_policy()
    set_memory_policy()

def count(unit):
    catalog, errors, _ = read_one_catalog(unit)
    assert catalog is not None and not errors, errors
    return catalog.count_leaves()

if __name__ == "__main__":
    policies()
    jobs, city, counties = int(sys.argv[1]), Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]]
    leaves = count(units(gather([city]), True)[0])
    each = units(gather(counties), False)
    if jobs <= 1:
        total = sum(map(count, each))
    else:
        with ProcessPoolExecutor(jobs, mp_context=process_context(), initializer=policies) as pool:
            total = sum(pool.map(count, each))
    print(leaves, total)
"""

REFERENCE = "read-all"
MEASURED = "diff"
ALIGNED = "diff+align"  # with --align: the same diff writing every county's aligned workbook


@dataclass
class Run:
    step: str
    round: int
    seconds: float
    cpu: float
    peak_mb: float
    load: tuple[float, float]  # 1-minute load average before and after


def commands(folder: Path, n: int, jobs: int, out: Path) -> dict[str, list[str]]:
    city = str(city_path(folder))
    counties = [str(county_paths(folder, k)[0]) for k in range(1, n + 1)]
    aligned = out.parent / "aligned"
    return {
        ALIGNED: [
            *bv.catalog_command("diff", city, *counties, "-f", "json", "-o", str(out)),
            *("--jobs", str(jobs), "--align", str(aligned)),
        ],
        REFERENCE: [sys.executable, "-c", READ_ALL, str(jobs), city, *counties],
        MEASURED: [
            *bv.catalog_command("diff", city, *counties, "-f", "json", "-o", str(out)),
            "--jobs",
            str(jobs),
        ],
    }


def measure(step: str, argv: list[str], scratch: Path, number: int) -> Run:
    before = os.getloadavg()[0]
    seconds, cpu, peak, rc = bv.run_measured(argv, scratch / f"{step}.log")
    ok = (0,) if step == REFERENCE else (0, 1)
    if rc not in ok:
        tail = (scratch / f"{step}.log").read_text(encoding="utf-8", errors="replace")[-2000:]
        raise SystemExit(f"步骤 {step} 失败 / step failed (exit {rc}):\n{tail}")
    return Run(step, number, seconds, cpu, peak, (before, os.getloadavg()[0]))


def check_plan(report: dict[str, Any], plan: dict[str, Any]) -> list[str]:
    """Where the diff's JSON differs from the plan (empty: every planted drift found, nothing
    else)."""
    problems = []
    found = {Path(c["file"]).stem: c for c in report["counties"]}
    if set(found) != set(plan["counties"]):
        problems.append(f"counties: {sorted(found)[:3]}… vs plan {len(plan['counties'])}")
    for name, want in plan["counties"].items():
        got = found.get(name)
        if got is None:
            continue
        kinds = dict(sorted(Counter(d["kind"] for d in got["deviations"]).items()))
        if kinds != want["deviations"]:
            problems.append(f"{name}: deviations {kinds} != planted {want['deviations']}")
        for key, have in (
            ("unclaimed", len(got["unclaimed"])),
            ("matched", got["matched"]),
            ("county_only", len(got["county_only"])),
            ("findings", len(got["findings"])),
        ):
            if have != want.get(key, 0):
                problems.append(f"{name}: {key} {have} != {want.get(key, 0)}")
    return problems


def ratios(runs: list[Run], step: str = MEASURED) -> list[float]:
    """Each run of ``step`` over the mean of the nearest reference runs before and after it."""
    out = []
    for i, run in enumerate(runs):
        if run.step == step:
            before = next(r for r in reversed(runs[:i]) if r.step == REFERENCE)
            after = next(r for r in runs[i + 1 :] if r.step == REFERENCE)
            out.append(run.seconds / ((before.seconds + after.seconds) / 2))
    return out


def check_aligned(city: Path, aligned: Path) -> list[str]:
    """Diffing an aligned county again gives no deviation (the property --align promises)."""
    import subprocess

    argv = bv.catalog_command("diff", str(city), str(aligned), "-f", "json")
    done = subprocess.run(argv, capture_output=True, check=False)
    if done.returncode not in (0, 1):
        return [f"{aligned.name}: diff exit {done.returncode}"]
    left = json.loads(done.stdout)["summary"]["deviations"]
    return [f"{aligned.name}: {left} deviations after --align"] if left else []


def report(runs: list[Run], counties: int, jobs: int, leaves: int) -> bool:
    """Print every run, the ratios and the targets; True when both are met."""
    print(f"\n{leaves} 叶子 × {counties} 县, --jobs {jobs}, {os.cpu_count()} CPU")
    print(f"{'step':<10}{'round':>6}{'seconds':>10}{'CPU s':>10}{'peak MB':>10}"
          f"{'counties/s':>12}{'load':>13}")  # fmt: skip
    for r in runs:
        load = f"{r.load[0]:.1f}→{r.load[1]:.1f}"
        print(
            f"{r.step:<10}{r.round:>6}{r.seconds:>10.2f}{r.cpu:>10.2f}{r.peak_mb:>10.0f}"
            f"{counties / r.seconds:>12.2f}{load:>13}"
        )
    values = ratios(runs)
    low, mid, high = bv.spread(values)
    met = sum(v <= TARGET_RATIO for v in values)
    peak = max(r.peak_mb for r in runs if r.step == MEASURED)
    diff_s = statistics.median(r.seconds for r in runs if r.step == MEASURED)
    print(f"\n比值 / ratios diff / {REFERENCE}: " + " ".join(f"{v:.2f}" for v in values))
    print(f"  min / median / max {low:.2f} / {mid:.2f} / {high:.2f}")
    print(f"县/秒 / counties per second (diff, median): {counties / diff_s:.2f}")
    if any(r.step == ALIGNED for r in runs):
        align = ratios(runs, ALIGNED)
        a_low, a_mid, a_high = bv.spread(align)
        a_peak = max(r.peak_mb for r in runs if r.step == ALIGNED)
        print(
            f"比值 / ratios {ALIGNED} / {REFERENCE}: "
            + " ".join(f"{v:.2f}" for v in align)
            + f" (min / median / max {a_low:.2f} / {a_mid:.2f} / {a_high:.2f}; "
            f"peak {a_peak:.0f} MB; not a target)"
        )
    ok_ratio, ok_peak = mid <= TARGET_RATIO, peak <= TARGET_PEAK_MB
    print(f"目标 / targets (at 10000 leaves × 100 counties; this run {leaves} × {counties})")
    print(
        f"  diff ≤ {TARGET_RATIO}× {REFERENCE} — {mid:.2f}× (median; met in {met}/{len(values)}): "
        f"{'达标 met' if ok_ratio else '未达标 NOT met'}"
    )
    print(
        f"  diff peak RSS ≤ {TARGET_PEAK_MB} MB — {peak:.0f} MB (largest, whole process tree): "
        f"{'达标 met' if ok_peak else '未达标 NOT met'}"
    )
    return ok_ratio and ok_peak


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="catalog diff 性能基准 / batch-diff benchmark")
    parser.add_argument("--leaves", type=int, default=DEFAULT_LEAVES, help="市级目录的叶子事项数")
    parser.add_argument("--counties", type=int, default=DEFAULT_COUNTIES, help="县级目录数")
    parser.add_argument("--seed", type=int, default=bv.DEFAULT_SEED)
    parser.add_argument("--rounds", type=int, default=3, help="交替运行的轮数 / rounds")
    parser.add_argument(
        "--jobs", type=int, default=0, help="工作进程数（两边相同；默认按 CPU 核数）"
    )
    parser.add_argument("--rebuild", action="store_true", help="忽略缓存重新生成")
    parser.add_argument(
        "--align", action="store_true", help="每轮另计一次带 --align 的比对（写出对齐工作簿）"
    )
    parser.add_argument("--prepare", action="store_true", help="只生成（缓存）目录，不计时")
    parser.add_argument("--results", type=Path, help="把每次运行写成 JSON / runs as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    from catalog_cli.ingest.shards import default_jobs

    args = parse_args(argv)
    if args.rounds < 1 or args.counties < 1:
        raise SystemExit("--rounds and --counties must be ≥ 1")
    jobs = args.jobs or default_jobs()
    folder, plan = ensure_catalogs(args.leaves, args.counties, args.seed, args.rebuild, jobs)
    if args.prepare:
        return 0
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="catalog-bench-diff-") as tmp:
        scratch = Path(tmp)
        out = scratch / "out.json"
        argv_of = commands(folder, args.counties, jobs, out)
        problems: list[str] = []
        for number in range(1, args.rounds + 1):
            steps = (REFERENCE, MEASURED) + ((REFERENCE, ALIGNED) if args.align else ())
            for step in steps:
                print(f"运行 / running {step} [{number}/{args.rounds}] …", flush=True)
                runs.append(measure(step, argv_of[step], scratch, number))
                if step in (MEASURED, ALIGNED):
                    problems += check_plan(json.loads(out.read_bytes()), plan)
            if args.align and number == 1:
                first = sorted((scratch / "aligned").glob("*-对齐.xlsx"))[:1]
                problems += [p for book in first for p in check_aligned(city_path(folder), book)]
        print(f"运行 / running {REFERENCE} [last] …", flush=True)
        runs.append(measure(REFERENCE, argv_of[REFERENCE], scratch, args.rounds))
    met = report(runs, args.counties, jobs, args.leaves)
    if problems:
        print("\n自检失败 / self-check FAILED (diff vs planted drift):")
        for line in problems[:20]:
            print(f"  {line}")
    else:
        print("\n自检 / self-check: 各县差异按类型计数、未认领、匹配数与植入相同 (all counties)")
    if args.results:
        args.results.write_text(
            json.dumps([r.__dict__ for r in runs], ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 0 if met and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
