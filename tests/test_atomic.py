"""Atomic output files (catalog_cli/write/atomic.py)."""

from __future__ import annotations

import os
import stat

import pytest

from catalog_cli.write.atomic import atomic_file, atomic_path, write_text_atomic


def test_written_file_has_ordinary_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "out.json"
        write_text_atomic(target, "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert target.read_text(encoding="utf-8") == "{}"


def test_failure_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "目录.xlsx"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["目录.xlsx"]


def test_atomic_file_replaces_a_longer_file_whole(tmp_path):
    target = tmp_path / "目录.json"
    target.write_bytes(b"x" * 100)
    with atomic_file(target) as fh:
        fh.write(b"{}")
    assert target.read_bytes() == b"{}"
    assert [p.name for p in tmp_path.iterdir()] == ["目录.json"]


def test_atomic_file_failure_keeps_the_old_file(tmp_path):
    target = tmp_path / "目录.json"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_file(target) as fh:
        fh.write(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["目录.json"]
