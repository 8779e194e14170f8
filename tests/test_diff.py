"""catalog diff (analyses/diff.py): the samples' documented drift, matching, each element's rule,
normalization decoys, synonyms, align, the version diff, repeated keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SAMPLES

from catalog_cli.analyses.diff import align_catalog, diff_catalogs, diff_reference
from catalog_cli.analyses.diff_compare import word_diff
from catalog_cli.analyses.diff_rules import DiffOptions, choose_elements, load_synonyms
from catalog_cli.model import Catalog, Leaf, MainItem
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.records import Material, Step, TimeLimit
from catalog_cli.read import read_catalog
from catalog_cli.schema import load_synonym_groups
from catalog_cli.write.workbook import write_workbook

REALDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"

CITY = SAMPLES / "市级目录.xlsx"
DONGHU = SAMPLES / "县级目录-东湖县.xlsx"
XISHAN = SAMPLES / "县级目录-西山县.xlsx"

# the oracle, from samples/README.md: (city item, kind, city value, county value)
DRIFT = {
    DONGHU: {
        ("食品经营许可（新办）", "renamed", "食品经营许可（新办）", "食品经营许可证核发（新办）"),
        ("特种设备使用登记", "renamed", "特种设备使用登记", "特种设备使用登记证核发"),
        ("高龄津贴给付", "renamed", "高龄津贴给付", "八十周岁以上老年人高龄津贴发放"),
        ("公共场所卫生许可", "material-added", None, "从业人员健康合格证明"),
        ("义务教育阶段学生转学", "material-added", None, "学生学籍信息表"),
        ("旅馆业特种行业许可证核发", "material-removed", "旅馆安全防范设施设备清单", None),
        ("建筑工程施工许可证核发（新办）", "material-removed", "建设资金已经落实承诺书", None),
        ("食品经营许可（变更）", "promise-longer", "3个工作日", "5个工作日"),
        ("医疗机构执业登记", "promise-longer", "20日", "30日"),
        ("建设工程规划许可证核发", "promise-longer", "7个工作日", "10个工作日"),
        # the documented error promise-exceeds-legal (子项 row 52) is a lengthened promise too
        ("建设工程竣工验收备案", "promise-longer", "3个工作日", "7个工作日"),
    },
    XISHAN: {
        ("无犯罪记录证明出具", "renamed", "无犯罪记录证明出具", "无犯罪记录证明开具"),
        (
            "城乡居民基本医疗保险参保登记",
            "renamed",
            "城乡居民基本医疗保险参保登记",
            "城乡居民医保参保登记",
        ),
        (
            "建筑工程施工许可证核发（延期）",
            "renamed",
            "建筑工程施工许可证核发（延期）",
            "建筑工程施工许可证延期",
        ),
        ("旅馆业特种行业许可证核发", "material-added", None, "旅馆平面布局图"),
        ("初级中学教师资格认定", "material-removed", "普通话水平测试等级证书", None),
        ("特殊建设工程消防设计审查", "material-removed", "特殊消防设计技术资料", None),
        ("基本养老金申领", "promise-longer", "5个工作日", "10个工作日"),
        ("建设用地规划许可证核发（划拨方式）", "promise-longer", "5个工作日", "10个工作日"),
        ("环境影响报告表审批", "promise-longer", "10日", "20日"),
        # the documented error basic-code-main-mismatch (子项 row 32): matched by name
        ("出生医学证明补发", "code-changed", "000728510002", "000728511002"),
    },
}
# 未认领 as documented, plus the items "只在市级行使" the README names by example
CITY_ONLY = {
    "高级中学教师资格认定",
    "环境影响报告书审批",
    "排污许可证核发",
    "专利侵权纠纷行政裁决",
    "道路危险货物运输许可",
    "购房提取住房公积金",
    "退休提取住房公积金",
    "租房提取住房公积金",
    "住房公积金单位缴存登记",
}
UNCLAIMED = {
    DONGHU: {
        "公路超限运输许可",
        "道路旅客运输经营许可",
        "药品零售企业许可（换发）",
        "个人独资企业变更登记",
    },
    XISHAN: {
        "住房租赁合同登记备案",
        "土地权属争议行政裁决",
        "民办学校设立",
        "民办学校变更",
        "民办学校终止",
        "社会团体注销登记",
        "丧葬补助金、抚恤金申领",
    },
}
COUNTY_ONLY = {
    DONGHU: {"乡村建设规划许可证核发", "水产苗种生产经营许可"},
    XISHAN: {"商品林采伐许可", "公益林更新采伐许可", "森林防火期内在森林防火区野外用火审批"},
}


def load(path: Path) -> Catalog:
    return read_catalog([path]).catalog


def options(elements: list[str] | None = None) -> DiffOptions:
    return DiffOptions(choose_elements(elements, None), load_synonyms(load_synonym_groups()))


@pytest.fixture(scope="module")
def city() -> Catalog:
    return load(CITY)


@pytest.mark.parametrize("county", [DONGHU, XISHAN], ids=["东湖县", "西山县"])
def test_sample_drift_found_exactly(city: Catalog, county: Path) -> None:
    result = diff_catalogs(city, load(county), options())
    found = {
        (d.pair.city.name, d.deviation.kind, d.deviation.city, d.deviation.county)
        for d in result.deviations
    }
    assert found == DRIFT[county]
    assert len(result.deviations) == len(DRIFT[county])
    assert {r.name for r in result.unclaimed} == UNCLAIMED[county] | CITY_ONLY
    assert {r.name for r in result.county_only} == COUNTY_ONLY[county]
    assert not result.findings and not result.suggestions


@pytest.mark.parametrize("county", [DONGHU, XISHAN], ids=["东湖县", "西山县"])
def test_tables_path_equals_reference(city: Catalog, county: Path) -> None:
    catalog = load(county)
    fast, slow = diff_catalogs(city, catalog, options()), diff_reference(city, catalog, options())
    assert fast.deviations == slow.deviations
    assert fast.matched == slow.matched
    assert (fast.unclaimed, fast.county_only) == (slow.unclaimed, slow.county_only)


def test_compact_keeps_what_the_report_needs(city: Catalog) -> None:
    result = diff_catalogs(city, load(XISHAN), options())
    small = result.compact()
    assert small.matched == [] and small.matched_count == len(result.matched) > 0
    assert small.matched_counts() == {
        by: sum(m.by == by for m in result.matched) for by in ("code", "name")
    }
    assert small.matched_counts()["name"] >= 1  # 出生医学证明补发 matched by name
    assert (small.rates(), small.rate()) == (result.rates(), result.rate())
    assert small.deviations == result.deviations and small.unclaimed == result.unclaimed


def test_rates_defined_on_matched_items(city: Catalog) -> None:
    result = diff_catalogs(city, load(DONGHU), options())
    assert len(result.matched) == 74
    assert result.rates()["name"] == pytest.approx(71 / 74)
    assert result.rates()["conditions"] == 1.0
    assert result.rate() == pytest.approx(63 / 74)  # 11 deviations on 11 items


def test_version_diff_all_elements() -> None:
    old, new = load(SAMPLES / "市级目录-2021版.xlsx"), load(CITY)
    result = diff_catalogs(old, new, options(["all"]))
    assert (len(result.matched), len(result.unclaimed), len(result.county_only)) == (85, 4, 2)
    removed = [d for d in result.deviations if d.deviation.kind == "material-removed"]
    assert len(removed) == 452 - 322  # samples/README.md: required materials 452 → 322
    by_name = {m.county.name: m.by for m in result.matched}
    assert by_name["公章刻制备案"] == "name"
    assert any(d.deviation.element == "visits" for d in result.deviations)


# --- built catalogs -------------------------------------------------------------------------


def leaf(**kw: object) -> Leaf:
    base: dict[str, object] = {
        "impl_code": "11341900MB0000000X3340164213001",
        "basic_code": "340164213001",
        "main_code": "34016421300Y",
        "name": "测试事项许可",
        "item_type": "01",
        "agency": "市测试局",
        "conditions": "申请人应当具备下列条件：（一）有固定场所；（二）有专业人员。",
        "legal_limit": TimeLimit(20, "工作日", "20个工作日"),
        "promised_limit": TimeLimit(10, "工作日", "10个工作日"),
        "address": "市政务服务中心",
        "materials": [
            Material(name="居民身份证", material_type="原件", copies="1份", necessity="必要"),
            Material(name="申请表", material_type="原件", copies="1份", necessity="必要"),
        ],
        "steps": [Step(name="受理"), Step(name="审查"), Step(name="决定")],
    }
    base.update(kw)
    return Leaf(**base)  # type: ignore[arg-type]


def catalog(*leaves: Leaf) -> Catalog:
    return Catalog(
        main_items=[MainItem(basic_code="34016421300Y", name="测试", leaves=list(leaves))]
    )


def round_trip(tmp_path: Path, name: str, cat: Catalog) -> Catalog:
    path = tmp_path / f"{name}.xlsx"
    write_workbook(cat, path)
    return load(path)


def kinds(result: object) -> set[tuple[str, str]]:
    return {(d.deviation.element, d.deviation.kind) for d in result.deviations}  # type: ignore[attr-defined]


def test_decoys_are_not_deviations(tmp_path: Path) -> None:
    city = round_trip(tmp_path, "city", catalog(leaf()))
    county = round_trip(
        tmp_path,
        "county",
        catalog(
            leaf(
                impl_code="11341921MB0000000X4340164213001",
                name="测试事项许可（县级）",
                conditions="申请人应当具备下列条件:(一)有固定场所; (二)有专业人员.",
                agency="县测试局",
                address="县政务服务中心",
                materials=[
                    Material(name="身份证", material_type="原件", copies="1份", necessity="必要"),
                    Material(name="申请表 ", material_type="原件", copies="1份", necessity="必要"),
                ],
            )
        ),
    )
    result = diff_catalogs(city, county, options())
    assert result.deviations == [] and len(result.matched) == 1


def test_each_element(tmp_path: Path) -> None:
    city = round_trip(tmp_path, "city", catalog(leaf()))
    county = round_trip(
        tmp_path,
        "county",
        catalog(
            leaf(
                name="测试事项审批",
                conditions="申请人应当具备下列条件：（一）有固定经营场所；（二）有专业人员。",
                promised_limit=TimeLimit(5, "工作日", "5个工作日"),
                legal_limit=TimeLimit(30, "工作日", "30个工作日"),
                materials=[
                    Material(
                        name="居民身份证", material_type="复印件", copies="2份", necessity="必要"
                    ),
                    Material(name="营业执照", material_type="原件", copies="1份", necessity="必要"),
                ],
                steps=[Step(name="审查"), Step(name="受理"), Step(name="办结")],
            )
        ),
    )
    result = diff_catalogs(city, county, options())
    assert kinds(result) == {
        ("name", "renamed"),
        ("conditions", "conditions-changed"),
        ("limits", "legal-changed"),
        ("limits", "promise-shorter"),
        ("materials", "material-removed"),
        ("materials", "material-added"),
        ("materials", "material-changed"),
        ("steps", "step-removed"),
        ("steps", "step-added"),
        ("steps", "step-reordered"),
    }
    severities = {d.deviation.kind: d.deviation.severity for d in result.deviations}
    assert severities["promise-shorter"] == "info"
    changed = {
        d.deviation.subject for d in result.deviations if d.deviation.kind == "material-changed"
    }
    assert changed == {"居民身份证：材料类型", "居民身份证：份数"}
    runs = next(d.deviation.runs for d in result.deviations if d.deviation.element == "conditions")
    assert ("insert", "", "经营") in runs
    assert result.rate() == 0.0


def test_promise_longer_is_an_error_and_units_differ(tmp_path: Path) -> None:
    city = catalog(leaf(), leaf(basic_code="340164213002", name="另一事项"))
    county = catalog(
        leaf(promised_limit=TimeLimit(15, "工作日", "15个工作日")),
        leaf(
            basic_code="340164213002",
            name="另一事项",
            promised_limit=TimeLimit(10, "自然日", "10日"),
        ),
    )
    result = diff_catalogs(city, county, options(["办理时限"]))
    assert [(d.deviation.kind, d.deviation.severity) for d in result.deviations] == [
        ("promise-longer", "error"),
        ("promise-changed", "warning"),
    ]


def test_matching_by_name_and_suggestions_never_matched() -> None:
    city = catalog(
        leaf(),
        leaf(basic_code="340164213002", name="医疗器械经营许可证核发"),
    )
    county = catalog(
        leaf(basic_code="340164299001", name="测试事项许可"),  # other code, same name
        leaf(basic_code="340164299002", name="医疗器械经营许可证核准"),
    )
    result = diff_catalogs(city, county, options())
    assert [(m.city.name, m.by) for m in result.matched] == [("测试事项许可", "name")]
    assert [(s.city.name, s.county.name) for s in result.suggestions] == [
        ("医疗器械经营许可证核发", "医疗器械经营许可证核准")
    ]
    assert result.suggestions[0].score >= 60
    assert {r.name for r in result.unclaimed} == {"医疗器械经营许可证核发"}


def test_handling_code_is_part_of_the_key() -> None:
    city = catalog(
        leaf(handling_code="34016421300101", name="甲（新办）"),
        leaf(handling_code="34016421300102", name="甲（变更）"),
    )
    county = catalog(
        leaf(handling_code="34016421300102", name="甲（变更）"),
        leaf(handling_code="34016421300101", name="甲（新办）"),
    )
    result = diff_catalogs(city, county, options())
    assert result.deviations == [] and all(m.by == "code" for m in result.matched)


def test_a_handling_code_in_the_implementation_code_form_is_the_same_code() -> None:
    """Some exports write 业务办理项编码 as 实施编码 + two digits; a county's 实施编码 holds its own
    agency code, so only 基本编码 + those two digits is shared with the city."""
    impl_city, impl_county = "11341900MB0000000X3340164213001", "11341921MB1234567Y4340164213001"
    city = catalog(
        leaf(impl_code=impl_city, handling_code=impl_city + "01", name="甲（新办）"),
        leaf(impl_code=impl_city, handling_code=impl_city + "02", name="甲（变更）"),
    )
    county = catalog(
        leaf(impl_code=impl_county, handling_code="34016421300102", name="甲（变更）"),
        leaf(impl_code=impl_county, handling_code=impl_county + "01", name="甲（新办）"),
    )
    result = diff_catalogs(city, county, options())
    assert [(m.city.name, m.county.name, m.by) for m in result.matched] == [
        ("甲（新办）", "甲（新办）", "code"),
        ("甲（变更）", "甲（变更）", "code"),
    ]
    assert result.deviations == [] and result.findings == []
    assert diff_reference(city, county, options()).matched == result.matched
    other = catalog(
        leaf(impl_code=impl_county, handling_code=impl_county + "03", name="甲（新办）")
    )
    changed = diff_catalogs(city, other, options())
    assert [
        (d.deviation.kind, d.deviation.city, d.deviation.county) for d in changed.deviations
    ] == [("code-changed", "340164213001/34016421300101", "340164213001/34016421300103")]


def test_repeated_key_is_an_error_naming_file_and_rows(tmp_path: Path) -> None:
    city = round_trip(tmp_path, "city", catalog(leaf()))
    county = round_trip(tmp_path, "county", catalog(leaf(), leaf(name="测试事项许可（重复）")))
    result = diff_catalogs(city, county, options())
    assert [(f.code, f.severity, f.row) for f in result.findings] == [
        ("diff-key-repeated", "error", 2)
    ]
    assert "第 2、3 行" in result.findings[0].message
    assert "改按事项名称匹配" in result.findings[0].message
    assert result.findings[0].file.endswith("county.xlsx")
    # the code cannot tell the two apart, their names can: the city's item is matched by name
    assert [(m.county.row, m.by) for m in result.matched] == [(2, "name")]
    assert [r.name for r in result.county_only] == ["测试事项许可（重复）"]
    assert diff_reference(city, county, options()).matched == result.matched


def test_a_repeated_code_and_name_leaves_the_items_out(tmp_path: Path) -> None:
    city = round_trip(tmp_path, "city", catalog(leaf()))
    county = round_trip(tmp_path, "county", catalog(leaf(), leaf(name="测试事项许可（县级）")))
    result = diff_catalogs(city, county, options())
    assert [(f.element, f.severity) for f in result.findings] == [
        ("基本编码", "error"),
        ("事项名称", "error"),
    ]
    assert "这些子项不参加比对" in result.findings[1].message
    assert result.matched == [] and len(result.unclaimed) == 1
    assert diff_reference(city, county, options()).matched == []


def test_variants_sharing_a_code_are_told_apart_by_name_on_real_data() -> None:
    """Guangxi's 在宗教活动场所内改建或者新建建筑物 has three variants under one 基本编码
    (their 业务办理项编码 is kept as an extra attribute): diffed with itself, all match."""
    items = REALDATA / "guangxi_lingshan_audit_items" / "items.json"
    if not items.exists():
        pytest.skip("../shared/realdata is not beside the repository")
    read = read_catalog([items], strict=False).catalog
    result = diff_catalogs(read, read, options())
    assert result.matched_counts() == {"code": 4, "name": 3}
    assert result.deviations == [] and result.unclaimed == [] and result.county_only == []
    assert {f.severity for f in result.findings} == {"error"}
    assert diff_reference(read, read, options()).matched == result.matched


def test_synonyms_from_a_user_file(tmp_path: Path) -> None:
    user = tmp_path / "syn.json"
    user.write_text('{"groups": [["申请表", "申请书"]]}', encoding="utf-8")
    city = catalog(leaf())
    county = catalog(
        leaf(
            materials=[
                Material(name="居民身份证", material_type="原件", copies="1份", necessity="必要"),
                Material(name="申请书", material_type="原件", copies="1份", necessity="必要"),
            ]
        )
    )
    assert kinds(diff_catalogs(city, county, options())) == {
        ("materials", "material-removed"),
        ("materials", "material-added"),
    }
    synonyms = load_synonyms(load_synonym_groups(user))
    with_user = DiffOptions(choose_elements(None, None), synonyms)
    assert diff_catalogs(city, county, with_user).deviations == []


def test_elements_and_ignore() -> None:
    assert choose_elements(["事项名称,申请材料"], None) == ("name", "materials")
    assert "address" in choose_elements(["all"], None)
    assert "conditions" not in choose_elements(None, ["受理条件"])
    with pytest.raises(CatalogInputError):
        choose_elements(["办理地点x"], None)


def test_align_then_diff_gives_no_deviation(tmp_path: Path, city: Catalog) -> None:
    county = load(XISHAN)
    result = diff_catalogs(city, county, options())
    aligned, changes = align_catalog(city, county, result, options())
    again = diff_catalogs(city, round_trip(tmp_path, "aligned", aligned), options())
    assert again.deviations == []
    assert county == load(XISHAN)  # the county itself is left as it was read
    assert diff_catalogs(city, county, options()).deviations == result.deviations
    # one change per planted drift, plus the 实施编码 that follows the aligned 基本编码
    assert len(changes) == len(DRIFT[XISHAN]) + 1
    for x, y in zip(aligned.iter_leaves(), county.iter_leaves(), strict=True):  # own elements
        assert (x.agency, x.agency_code, x.address, x.consult) == (
            y.agency,
            y.agency_code,
            y.address,
            y.consult,
        )


def test_align_keeps_the_situations_material_lists_valid(tmp_path: Path, city: Catalog) -> None:
    """东湖县 added 从业人员健康合格证明 to 公共场所卫生许可 and listed it in two situations: the
    aligned materials drop it, and so do the situations (logged), so validate finds no
    situation-material-unknown the county did not have."""
    from catalog_cli.analyses.validate import validate

    county = load(DONGHU)
    aligned, changes = align_catalog(
        city, county, diff_catalogs(city, county, options()), options()
    )
    logged = [c for c in changes if c.element.startswith("办理情形")]
    assert len(logged) == 2 and all("从业人员健康合格证明" in c.old for c in logged)
    assert not any("从业人员健康合格证明" in c.new for c in logged)
    book = tmp_path / "aligned.xlsx"
    write_workbook(aligned, book)
    codes = {f.code for f in validate(load(book), files=[str(book)]).findings}
    assert "situation-material-unknown" not in codes
    before = {x.impl_code: x for x in load(DONGHU).iter_leaves()}
    assert all(x.situations == before[x.impl_code].situations for x in county.iter_leaves())


@pytest.mark.parametrize("county_file", [DONGHU, XISHAN], ids=["东湖县", "西山县"])
def test_an_aligned_workbook_has_no_finding_the_county_had_not(
    tmp_path: Path, city: Catalog, county_file: Path
) -> None:
    """Aligning fixes deviations and introduces no new problem: the situations follow the new
    materials, a 实施编码 follows a new 基本编码 (西山县's 出生医学证明补发)."""
    from catalog_cli.analyses.validate import validate

    county = load(county_file)
    result = diff_catalogs(city, county, options())
    aligned, changes = align_catalog(city, county, result, options())
    book = tmp_path / "aligned.xlsx"
    write_workbook(aligned, book)
    before = {f.code for f in validate(county, files=[str(county_file)]).findings}
    after = {f.code for f in validate(load(book), files=[str(book)]).findings}
    assert after <= before, after - before
    if county_file == XISHAN:  # its 出生医学证明补发 had 基本编码 000728511002, the city's …510002
        (impl,) = [(c.old, c.new) for c in changes if c.element == "实施编码"]
        assert impl == ("1134192209221105884000728511002", "1134192209221105884000728510002")
        # every change names the item as the county had it, before and after the code changed
        items = {c.item for c in changes if c.name == "出生医学证明补发"}
        assert items == {"1134192209221105884000728511002"}


def test_word_diff_groups_runs() -> None:
    assert word_diff("有固定场所", "有固定经营场所") == (
        ("equal", "有固定", "有固定"),
        ("insert", "", "经营"),
        ("equal", "场所", "场所"),
    )
