"""Safe inputs: zip bombs refused from the central directory, control characters in a CSV reported
and removed."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import REPO, SAMPLE_WORKBOOKS, SAMPLES
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import read_catalog
from catalog_cli.read.archive import (
    DEFAULT_MAX_UNCOMPRESSED,
    check_archive,
    set_max_uncompressed,
    settings,
)
from catalog_cli.read.tables import open_reader
from catalog_cli.read.workbook import open_workbook

runner = CliRunner()
MB = 1 << 20


@pytest.fixture(autouse=True)
def default_limit() -> Iterator[None]:
    """A lowered limit does not leak into other tests."""
    yield
    set_max_uncompressed(DEFAULT_MAX_UNCOMPRESSED)


def zeros_workbook(path: Path, megabytes: int) -> Path:
    """An "xlsx" whose one worksheet is ``megabytes`` MiB of zeros, deflated as it is streamed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = bytes(MB)
            for _ in range(megabytes):
                member.write(chunk)
    return path


def zip_bomb(path: Path, megabytes: int) -> Path:
    """A valid zip archive whose one member inflates to ``megabytes`` MiB of zeros.

    Deflating that much takes a while, so one MiB is deflated once, ended with a full flush (after
    which the stream does not refer back), and that block repeated; zipfile checks the result.
    """
    chunk = bytes(MB)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    assert deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH) == block
    data = first + block * (megabytes - 1) + deflate.flush()
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    name = b"xl/worksheets/sheet1.xml"
    size = megabytes * MB
    sizes = (crc, len(data), size, len(name), 0)
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, *sizes) + name
    central = (
        struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, *sizes, 0, 0, 0, 0, 0)
        + name
    )
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(data), 0
    )
    path.write_bytes(local + data + central + end)
    with zipfile.ZipFile(path) as archive:  # a well-formed archive (nothing inflated here)
        assert archive.getinfo(name.decode()).file_size == size
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1.5 GiB of zeros in about 1.5 MB."""
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "炸弹.xlsx", 1536)


def test_bomb_refused_by_every_reader_without_inflating(bomb: Path) -> None:
    assert bomb.stat().st_size < 3 * MB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for open_it in (check_archive, open_workbook, open_reader):
        with pytest.raises(CatalogInputError, match="压缩炸弹") as info:
            open_it(bomb)
        assert info.value.file == str(bomb)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert after - before < 200 * 1024  # KiB: nothing was inflated


@pytest.mark.parametrize("command", ["validate", "stats", "reduce"])
def test_bomb_exits_2_with_one_line(bomb: Path, command: str) -> None:
    result = runner.invoke(app, [command, str(bomb)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if "错误" in line]
    assert len(lines) == 1 and str(bomb) in lines[0] and "压缩炸弹" in lines[0]


def test_bomb_refused_by_ingest(bomb: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(bomb), "-o", str(tmp_path / "目录.json")])
    assert result.exit_code == 2 and "压缩炸弹" in result.stderr
    assert not (tmp_path / "目录.json").exists()


def test_ratio_bound_applies_to_large_members_only(tmp_path: Path) -> None:
    small = zeros_workbook(tmp_path / "小.xlsx", 8)  # 8 MiB of zeros: under the floor
    check_archive(small)
    large = zeros_workbook(tmp_path / "大.xlsx", 32)
    with pytest.raises(CatalogInputError, match="倍"):
        check_archive(large)


def test_total_limit_and_the_option(tmp_path: Path) -> None:
    sample = SAMPLES / "市级目录.xlsx"
    with pytest.raises(CatalogInputError, match="超过上限"):
        check_archive(sample, 10_000)
    result = runner.invoke(app, ["--max-uncompressed", "100KB", "validate", str(sample)])
    assert result.exit_code == 2 and "--max-uncompressed" in result.stderr
    assert settings["max_uncompressed"] == 100 * 1024
    assert runner.invoke(app, ["--max-uncompressed", "2GB", "validate", str(sample)]).exit_code == 0
    assert settings["max_uncompressed"] == 2 << 30
    assert runner.invoke(app, ["validate", str(sample)]).exit_code == 0  # back to the default
    assert settings["max_uncompressed"] == DEFAULT_MAX_UNCOMPRESSED
    assert (
        runner.invoke(app, ["--max-uncompressed", "很大", "validate", str(sample)]).exit_code == 2
    )


def test_samples_and_bench_workbooks_pass() -> None:
    workbooks = [SAMPLES / name for name in SAMPLE_WORKBOOKS]
    workbooks += [SAMPLES / "messy" / "市级目录-平铺.xlsx"]
    caches = [REPO / "bench" / ".cache", Path(os.environ.get("CATALOG_BENCH_CACHE", REPO))]
    bench = sorted({p for folder in caches for p in folder.glob("*.xlsx")})
    for path in workbooks + bench:
        check_archive(path)
    if not bench:
        pytest.skip("no bench workbooks cached (python bench/bench_validate.py)")


def test_not_a_zip_is_left_to_the_reader(tmp_path: Path) -> None:
    fake = tmp_path / "坏.xlsx"
    fake.write_bytes(b"not a zip")
    check_archive(fake)
    with pytest.raises(CatalogInputError, match="无法打开工作簿"):
        open_workbook(fake)


# ---- control characters in a CSV -------------------------------------------------------------


def csv_with_nul(path: Path) -> tuple[Path, int]:
    """The messy sample CSV (UTF-8) with a NUL and a U+0001 in one cell past the first 8 KiB;
    returns the file and the cell's Excel row."""
    text = (SAMPLES / "messy" / "市级目录-导出.csv").read_bytes().decode("gb18030")
    records = list(csv.reader(io.StringIO(text)))

    def dumped(rows: list[list[str]]) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue()

    index = next(i for i in range(len(records)) if len(dumped(records[:i]).encode()) > 8192)
    code = records[index][0]
    records[index][0] = code[0] + "\x00\x01" + code[1:]
    path.write_text(dumped(records), encoding="utf-8")
    assert path.read_bytes().index(b"\x00") > 8192
    return path, index + 1


def test_nul_after_8_kib_is_reported_and_removed(tmp_path: Path) -> None:
    src, row = csv_with_nul(tmp_path / "导出.csv")
    read = read_catalog([src])
    found = [f for f in read.findings if f.code == "control-characters"]
    assert [(f.file, f.sheet, f.row, f.column, f.severity) for f in found] == [
        (str(src), "导出", row, "A", "warning")
    ]
    assert "U+0000" in found[0].message and "U+0001" in found[0].message
    assert found[0].element and "\x00" not in (found[0].value or "")

    out = tmp_path / "目录.json"
    result = runner.invoke(app, ["ingest", str(src), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "\\u0000" not in text and "\x00" not in text
    assert json.loads(text)["main_items"]

    result = runner.invoke(app, ["validate", str(src), "-f", "json"])
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert "control-characters" in codes


def test_nul_at_the_start_still_means_binary(tmp_path: Path) -> None:
    src = tmp_path / "二进制.csv"
    src.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(CatalogInputError, match="二进制"):
        read_catalog([src])
