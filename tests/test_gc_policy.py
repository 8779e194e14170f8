"""The process policies (catalog_cli.ingest.policy) are set by entry points only: the command
(gc and memory) and the pipeline's worker processes (gc); library calls leave the collector and
the allocator as the caller has them."""

from __future__ import annotations

import gc
from pathlib import Path

import pyarrow as pa
import pytest

import catalog_cli.cli
from catalog_cli.ingest import set_gc_policy, set_memory_policy, shards
from catalog_cli.read import read_catalog
from catalog_cli.write.json import write_catalog_json

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FLAT = SAMPLES / "messy" / "市级目录-平铺.xlsx"
CSV = SAMPLES / "messy" / "市级目录-导出.csv"


@pytest.fixture
def restore_gc():
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_set_gc_policy_switches_the_cyclic_collector_off(restore_gc):
    gc.enable()
    set_gc_policy()
    assert not gc.isenabled()


@pytest.fixture
def restore_pool():
    pool = pa.default_memory_pool()
    yield
    pa.set_memory_pool(pool)


def _arrow_own_pool() -> pa.MemoryPool:
    """Arrow's own allocator (what a process starts with), to see the policy change it."""
    for make in (pa.mimalloc_memory_pool, pa.jemalloc_memory_pool):
        try:
            return make()
        except NotImplementedError:
            continue
    pytest.skip("this pyarrow has no allocator of its own")


def test_set_memory_policy_puts_arrow_on_the_c_heap(restore_pool):
    pa.set_memory_pool(_arrow_own_pool())
    set_memory_policy()
    assert pa.default_memory_pool().backend_name == "system"


def test_the_command_entry_point_sets_the_policies_before_the_command(
    restore_gc, restore_pool, monkeypatch
):
    seen = []
    monkeypatch.setattr(
        catalog_cli.cli,
        "app",
        lambda: seen.append((gc.isenabled(), pa.default_memory_pool().backend_name)),
    )
    gc.enable()
    pa.set_memory_pool(_arrow_own_pool())
    catalog_cli.cli.main()
    assert seen == [(False, "system")]


@pytest.mark.parametrize("enabled", [True, False])
def test_library_calls_leave_the_collector_as_the_caller_has_it(restore_gc, tmp_path, enabled):
    gc.enable() if enabled else gc.disable()
    write_catalog_json(read_catalog([FLAT, CSV]).catalog, tmp_path / "out.json")
    assert gc.isenabled() is enabled


def test_worker_processes_get_the_policy(tmp_path, monkeypatch):
    seen = {}
    real = shards.ProcessPoolExecutor

    def pool(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(shards, "ProcessPoolExecutor", pool)
    assert shards.stream_json([FLAT, CSV], tmp_path / "out.json", jobs=2, min_bytes=0) is not None
    assert seen["initializer"] is set_gc_policy
