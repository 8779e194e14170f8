"""Guide data (catalog_cli/guides/model.py) and its renderers (guides/render.py), on workbooks
written in the test and read with the real reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import IMPL_1, IMPL_2, IMPL_3, write_rows

from catalog_cli.analyses.reduce import bundle_result
from catalog_cli.guides.model import MISSING, build_guides, safe_name
from catalog_cli.guides.render import RENDERERS, Templates, md_text
from catalog_cli.read import read_catalog


def _catalog(rows, tmp_path: Path):
    return read_catalog([write_rows(tmp_path / "目录.xlsx", rows)]).catalog


def _bundle_rows(rows):
    rows["申请材料"].append(
        {"实施编码": IMPL_3, "序号": 4, "材料名称": "居民户口簿", "是否必需": "必要"}
    )
    rows["申请材料"].append(
        {"实施编码": IMPL_1, "序号": 4, "材料名称": "营业执照", "来源渠道": "政府部门核发"}
    )
    rows["申请材料"].append(
        {"实施编码": IMPL_3, "序号": 5, "材料名称": "营业执照", "来源渠道": "政府部门核发"}
    )
    rows["一件事"] = [
        {
            "一件事名称": "我要开食品店",
            "成员实施编码": f"{IMPL_1}；{IMPL_3}",
            "申请材料数": 3,
            "办理环节数": 2,
            "承诺办结时限": "3个工作日",
            "到办事现场次数": 0,
        }
    ]
    return rows


def test_merged_materials_name_each_material_once_with_the_members_reusing_it(rows, tmp_path):
    catalog = _catalog(_bundle_rows(rows), tmp_path)
    (guide,) = build_guides(catalog, catalog.bundles).bundles
    by_name = {m.name: m for m in guide.materials}
    assert list(by_name) == ["申请书", "身份证明", "授权委托书", "营业执照", "居民户口簿"]
    assert by_name["申请书"].members == (IMPL_1, IMPL_3)
    assert by_name["申请书"].reused and by_name["营业执照"].reused
    assert not by_name["居民户口簿"].reused
    assert by_name["居民户口簿"].members == (IMPL_3,)
    assert by_name["营业执照"].exempt
    assert not by_name["授权委托书"].required  # 非必要 for every member


def test_bundle_totals_are_those_of_bundle_result(rows, tmp_path):
    catalog = _catalog(_bundle_rows(rows), tmp_path)
    (bundle,) = catalog.bundles
    (guide,) = build_guides(catalog, catalog.bundles).bundles
    leaves = {leaf.impl_code: leaf for leaf in catalog.iter_leaves()}
    expected = bundle_result(bundle, leaves)
    assert guide.result == expected
    totals = {t.measure: t for t in guide.totals}
    assert (totals["申请材料"].before, totals["申请材料"].after) == (
        str(expected.materials_sum),
        str(expected.materials_after),
    )
    assert totals["办理环节"].before == str(expected.steps_sum) == "6"
    assert totals["办理环节"].rate == "66.67%"
    assert totals["承诺办结时限"].before == "10"  # 5 + 5 工作日
    assert [m.name for m in guide.members] == ["食品经营许可（新办）", "居民身份证换领"]
    assert guide.departments == ("江淮市市场监督管理局", "江淮市公安局")


def test_empty_mandatory_element_is_shown_as_not_filled_in(rows, tmp_path):
    rows["子项"][1]["办理地点"] = None
    rows["子项"][1]["联办机构"] = None  # optional: left out, not flagged
    catalog = _catalog(rows, tmp_path)
    guides = build_guides(catalog, [], items=[IMPL_2])
    (guide,) = guides.items
    rows_by_key = {r.key: r for r in guide.rows}
    assert rows_by_key["address"].missing and rows_by_key["address"].value == MISSING
    assert rows_by_key["address"].title == "办理地点"
    assert "co_agencies" not in rows_by_key
    assert guide.missing == ("办理地点",)
    ((_, page),) = RENDERERS["html"].item(guide, guides, Templates())
    html = page.decode("utf-8")
    assert '<tr data-key="address"><th>办理地点</th><td><span class="missing">未填写</span>' in html


def test_information_table_follows_the_guide_order_with_the_saving(rows, tmp_path):
    catalog = _catalog(rows, tmp_path)
    (guide,) = build_guides(catalog, [], items=[IMPL_1]).items
    titles = [r.title for r in guide.rows]
    assert titles[:4] == ["事项名称", "实施编码", "基本编码", "事项类型"]
    assert titles.index("实施主体") < titles.index("服务对象") < titles.index("法定办结时限")
    assert titles.index("承诺办结时限") < titles.index("到办事现场次数") < titles.index("是否收费")
    promised = next(r for r in guide.rows if r.key == "promised_limit")
    assert promised.note == "较法定时限减少 15 个工作日（75.00%）"
    assert [s.name for s in guide.situations] == ["本人办理", "委托代理人办理"]
    assert [m.name for m in guide.situations[1].materials] == ["申请书", "身份证明", "授权委托书"]
    assert len(guide.chart.nodes) > len(guide.steps)  # start, steps, decisions, end


def test_per_situation_gives_one_guide_per_situation(rows, tmp_path):
    rows["办理情形"][1]["承诺办结时限"] = "3个工作日"
    catalog = _catalog(rows, tmp_path)
    guides = build_guides(catalog, [], per_situation=True)
    titles = [g.title for g in guides.items]
    assert titles == [
        "食品经营许可（新办）（本人办理）",
        "食品经营许可（新办）（委托代理人办理）",
        "食品经营许可（变更）",
        "居民身份证换领",
    ]
    first, second = guides.items[:2]
    assert [m.name for m in first.materials] == ["申请书", "身份证明"]
    assert [m.name for m in second.materials] == ["申请书", "身份证明", "授权委托书"]
    promised = next(r for r in second.rows if r.key == "promised_limit")
    assert promised.value == "3个工作日"
    assert first.stem != second.stem


def test_strict_refusals_leave_out_the_items_and_the_bundles_they_belong_to(rows, tmp_path):
    catalog = _catalog(_bundle_rows(rows), tmp_path)
    guides = build_guides(catalog, catalog.bundles, refused={IMPL_3: ["x"]})
    assert IMPL_3 not in [g.code for g in guides.items]
    assert guides.bundles == []
    assert set(guides.refused) == {IMPL_3, "我要开食品店"}


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "a/b\\c", "<script>alert(1)</script>", "长" * 300, "...", "", None],
)
def test_safe_names_stay_one_short_harmless_path_part(name):
    safe = safe_name(name)
    assert safe and len(safe) <= 40
    assert "/" not in safe and "\\" not in safe and "<" not in safe and ".." not in safe
    assert not safe.startswith(".")


def test_markdown_values_cannot_break_a_table_or_inject_html():
    text = str(md_text("a|b\n<script>*x*</script>[l](javascript:1)"))
    assert "\n" not in text and "<script>" not in text
    assert text == "a\\|b<br>&lt;script&gt;\\*x\\*&lt;/script&gt;\\[l\\](javascript:1)"
