"""The HTML guides in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``) driven by selenium opens guides that ``catalog guide`` wrote for the samples
from disk (``file://``) and the test reads the page as the browser built it: one box per step and
one lane per member in the chart's SVG, the elements in the information table, the index's search
box filtering the entries as one types, and a screenshot.

Without Chromium the module is skipped locally; ``.ci/run`` installs it and sets
``CI_REQUIRE_BROWSER=1``, which turns the skip into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.guides.model import table_rows
from catalog_cli.model import Catalog, Leaf
from catalog_cli.read import read_catalog
from catalog_cli.schema import load_schema

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CITY = SAMPLES / "市级目录.xlsx"
BUNDLE = "企业开办一件事"
ITEM_SETUP = "1134190009001101XP300013420100101"  # 有限责任公司设立登记: 4 steps, refusals
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# the flags this machine needs (docs of the machine): no sandbox as root, no network chatter
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1000,1400",
)
PNG = b"\x89PNG\r\n\x1a\n"


def _missing_browser() -> str | None:
    """Why the browser test cannot run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (path.is_file() and os.access(path, os.X_OK)):
            return f"{path} 不存在（apt-get install chromium chromium-driver）"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "没有安装 selenium（pip install -e '.[test]'）"
    return None


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the whole module, with a new empty profile."""
    reason = _missing_browser()
    if reason is not None:
        if os.environ.get("CI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CI_REQUIRE_BROWSER=1 但浏览器不可用：{reason}", pytrace=False)
        pytest.skip(f"浏览器测试跳过：{reason}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return read_catalog([CITY]).catalog


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML guides of every bundle and leaf of the samples, written by the command."""
    folder = tmp_path_factory.mktemp("guides")
    result = CliRunner().invoke(app, ["guide", str(CITY), "-o", str(folder), "-f", "html"])
    assert result.exit_code == 0, result.output
    return folder


def _leaf(catalog: Catalog, code: str) -> Leaf:
    return next(leaf for leaf in catalog.iter_leaves() if leaf.impl_code == code)


def _open(driver: Any, page: Path) -> None:
    driver.get(page.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"


def _css(driver: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def _rect(element: Any) -> dict[str, float]:
    """The element's box as the browser laid it out (px on the page)."""
    return element.parent.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return {x: r.left, y: r.top, w: r.width, h: r.height};",
        element,
    )


def _texts(group: Any) -> list[str]:
    """The SVG text lines of a node group, as the DOM holds them."""
    return [t.get_attribute("textContent") for t in group.find_elements("css selector", "text")]


def _screenshot(driver: Any, path: Path) -> None:
    assert driver.save_screenshot(str(path))
    data = path.read_bytes()
    assert data.startswith(PNG) and len(data) > 1000


def test_item_guide_chart_has_a_box_per_step_top_to_bottom(driver, out, catalog, tmp_path):
    leaf = _leaf(catalog, ITEM_SETUP)
    _open(driver, next((out / "items").glob(f"{ITEM_SETUP}-*.html")))
    steps = _css(driver, "div.chart svg g.node.step")
    names = [s.name for s in sorted(leaf.steps, key=lambda s: s.seq or 0)]
    assert len(steps) == len(leaf.steps) == 4
    assert [_texts(g)[0] for g in steps] == names
    boxes = [_rect(g) for g in steps]
    assert all(b["w"] > 50 and b["h"] > 20 for b in boxes)  # drawn, not collapsed
    assert all(a["y"] + a["h"] <= b["y"] for a, b in pairwise(boxes))
    assert len(_css(driver, "div.chart svg g.node.start")) == 1
    assert len(_css(driver, "div.chart svg g.node.end")) == 1
    assert _css(driver, "div.chart svg g.node.decision")  # 受理 can refuse
    _screenshot(driver, tmp_path / "item.png")


def test_item_guide_table_lists_the_elements(driver, out, catalog):
    leaf = _leaf(catalog, ITEM_SETUP)
    _open(driver, next((out / "items").glob(f"{ITEM_SETUP}-*.html")))
    shown = {
        tr.get_attribute("data-key"): (
            tr.find_element("css selector", "th").text,
            tr.find_element("css selector", "td").text,
        )
        for tr in _css(driver, "table.info tr[data-key]")
    }
    rows = table_rows(leaf)
    assert list(shown) == [r.key for r in rows]
    fields = load_schema().records["leaf"].fields
    for key in ("name", "impl_code", "item_type", "agency", "promised_limit", "address"):
        assert shown[key][0] == fields[key].title
    assert shown["name"][1] == leaf.name
    assert shown["impl_code"][1] == ITEM_SETUP
    for row in rows:
        assert shown[row.key][0] == row.title
        assert shown[row.key][1].startswith(row.value.split("\n")[0].strip()), row.key


def test_bundle_guide_chart_has_a_lane_per_member_with_its_steps(driver, out, catalog, tmp_path):
    bundle = next(b for b in catalog.bundles if b.name == BUNDLE)
    _open(driver, next((out / "bundles").glob(f"*-{BUNDLE}.html")))
    lanes = _css(driver, "div.chart svg g.node.lane")
    assert [g.get_attribute("data-lane") for g in lanes] == bundle.members
    rects = [_rect(g) for g in lanes]
    for i, a in enumerate(rects):  # lanes side by side or in rows, never on top of each other
        for b in rects[i + 1 :]:
            apart = a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
            assert apart or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"]
    for code in bundle.members:
        member = _leaf(catalog, code)
        header = _css(driver, f'g.node.header[data-lane="{code}"]')
        assert len(header) == 1 and _texts(header[0])[0] == member.name
        steps = _css(driver, f'g.node.step[data-lane="{code}"]')
        assert [_texts(g)[0] for g in steps] == [
            s.name for s in sorted(member.steps, key=lambda s: s.seq or 0)
        ]
    joint = [g for g in _css(driver, "g.node.step") if g.get_attribute("data-lane") is None]
    assert len(joint) == 4  # 一次告知、一表申请、一窗受理, then 统一出件
    assert [_texts(g)[0] for g in joint][-1] == "统一出件"
    members = [tr.text for tr in _css(driver, "table.members tbody tr")]
    assert len(members) == len(bundle.members)
    _screenshot(driver, tmp_path / "bundle.png")


VISIBLE = """return Array.from(document.querySelectorAll(arguments[0]))
    .filter(function (e) { return e.getClientRects().length > 0; })
    .map(function (e) { return e.getAttribute("data-search"); });"""


def _visible(driver: Any, selector: str = "li[data-search]") -> list[str]:
    """The entries the browser lays out (a hidden one has no boxes), in one round trip."""
    return driver.execute_script(VISIBLE, selector)


def test_index_search_box_filters_the_entries(driver, out, catalog, tmp_path):
    _open(driver, out / "index.html")
    entries = [li.get_attribute("data-search") for li in _css(driver, "li[data-search]")]
    assert len(entries) == catalog.count_leaves() + len(catalog.bundles)
    assert _visible(driver) == entries
    box = _css(driver, "#search")[0]
    for query in ("企业开办", ITEM_SETUP[:20], "公安"):
        box.clear()
        box.send_keys(query)
        expected = [e for e in entries if query.lower() in e.lower()]
        assert 0 < len(expected) < len(entries), query
        assert _visible(driver) == expected, query
        assert not _css(driver, "#none")[0].is_displayed()
    box.clear()
    box.send_keys("没有这样的事项")
    assert _visible(driver) == []
    assert _css(driver, "#none")[0].is_displayed()
    assert _visible(driver, "section.group") == []
    box.clear()
    box.send_keys(" ")  # clear() sends no input event; an empty query shows everything again
    assert _visible(driver) == entries
    _screenshot(driver, tmp_path / "index.png")
