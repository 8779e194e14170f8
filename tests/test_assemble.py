"""catalog_cli/read/assemble.py: building one tree from the flat records of one or more inputs."""

from __future__ import annotations

import json

from conftest import IMPL_1, IMPL_2, IMPL_3, MAIN_ONE, MAIN_SUBS, SUB_1, USCC_C

from catalog_cli.model import Catalog, Fee, Leaf, MainItem, Material, Situation, Step
from catalog_cli.read import read_catalog
from catalog_cli.read.assemble import FlatRecords, assemble, flatten
from catalog_cli.write.json import catalog_to_json


def test_leaf_attaches_by_main_code(rows, write):
    catalog = read_catalog([write(rows)]).catalog
    assert [leaf.impl_code for leaf in catalog.main_items[0].leaves] == [IMPL_1, IMPL_2]
    assert all(leaf.main_code == MAIN_SUBS for leaf in catalog.main_items[0].leaves)


def test_leaf_without_main_code_attaches_by_basic_code(rows, write):
    rows["子项"][2]["主项编码"] = None  # basic code MAIN_ONE equals the main item's
    result = read_catalog([write(rows)])
    catalog = result.catalog
    assert [leaf.impl_code for leaf in catalog.main_items[1].leaves] == [IMPL_3]
    assert catalog.main_items[1].leaves[0].main_code == MAIN_ONE  # filled in from the main item
    assert not catalog.orphans


def test_leaf_without_main_code_and_sub_basic_code_is_orphan(rows, write):
    rows["子项"][0]["主项编码"] = None  # basic code SUB_1 is no main item's
    catalog = read_catalog([write(rows)]).catalog
    assert [leaf.impl_code for leaf in catalog.orphans.leaves] == [IMPL_1]
    assert catalog.orphans.leaves[0].main_code is None
    assert [leaf.impl_code for leaf in catalog.main_items[0].leaves] == [IMPL_2]
    # its children still attach to it
    assert len(catalog.orphans.leaves[0].materials) == 3
    assert len(catalog.orphans.leaves[0].situations) == 2
    assert not catalog.orphans.materials


def test_leaf_whose_main_is_missing_is_orphan(rows, write):
    del rows["主项"][0]
    catalog = read_catalog([write(rows)]).catalog
    assert [m.basic_code for m in catalog.main_items] == [MAIN_ONE]
    assert [leaf.impl_code for leaf in catalog.orphans.leaves] == [IMPL_1, IMPL_2]
    assert [leaf.impl_code for leaf in catalog.iter_leaves()] == [IMPL_3, IMPL_1, IMPL_2]
    assert catalog.orphans.leaves[0].main_code == MAIN_SUBS
    assert [s.name for s in catalog.orphans.leaves[1].steps] == ["受理", "审查", "决定"]


def test_main_code_wins_over_basic_code(rows, write):
    rows["子项"][2]["主项编码"] = (
        "34099900100Y"  # names a missing main, although the basic code matches one
    )
    catalog = read_catalog([write(rows)]).catalog
    assert catalog.main_items[1].leaves == []
    assert [leaf.impl_code for leaf in catalog.orphans.leaves] == [IMPL_3]


def test_children_naming_no_leaf_are_orphans(rows, write):
    ghost = USCC_C + "3" + "340999001000"
    rows["申请材料"].append(
        {"实施编码": ghost, "序号": 1, "材料名称": "孤儿材料", "是否必需": "必要"}
    )
    rows["申请材料"].append(
        {"实施编码": None, "序号": 2, "材料名称": "无编码材料", "是否必需": "必要"}
    )
    rows["办理流程"].append({"实施编码": ghost, "序号": 1, "环节名称": "受理"})
    rows["办理情形"].append({"实施编码": ghost, "情形名称": "孤儿情形"})
    rows["收费"] = [{"实施编码": ghost, "收费项目": "工本费", "收费标准": "10元"}]
    catalog = read_catalog([write(rows)]).catalog
    assert [(code, m.name) for code, m in catalog.orphans.materials] == [
        (ghost, "孤儿材料"),
        ("", "无编码材料"),
    ]
    assert isinstance(catalog.orphans.materials[0][1], Material)
    assert catalog.orphans.materials[0][1].source.row == 11
    assert [(code, s.name) for code, s in catalog.orphans.steps] == [(ghost, "受理")]
    assert [(code, s.name) for code, s in catalog.orphans.situations] == [(ghost, "孤儿情形")]
    assert [(code, f.item) for code, f in catalog.orphans.fees] == [(ghost, "工本费")]
    assert catalog.orphans.leaves == []
    assert [len(leaf.materials) for leaf in catalog.iter_leaves()] == [3, 3, 3]


def test_children_attach_to_the_first_leaf_with_a_code(rows, write):
    duplicate = dict(rows["子项"][0], 事项名称="重复的子项")
    rows["子项"].append(duplicate)
    catalog = read_catalog([write(rows)]).catalog
    first, _second, duplicate_leaf = catalog.main_items[0].leaves
    assert (
        duplicate_leaf.name == "重复的子项"
        and duplicate_leaf.impl_code == first.impl_code == IMPL_1
    )
    assert len(first.materials) == 3 and duplicate_leaf.materials == []
    assert catalog.count_leaves() == 4


def test_two_workbooks_merge_into_one_tree(rows, write):
    single = read_catalog([write(rows, name="全部.xlsx")]).catalog
    mains = write({"主项": rows["主项"]}, name="主项.xlsx")
    leaves = write({k: v for k, v in rows.items() if k != "主项"}, name="子项.xlsx")
    result = read_catalog([mains, leaves])
    assert result.catalog == single
    assert not result.catalog.orphans
    assert [len(m.leaves) for m in result.catalog.main_items] == [2, 1]
    # order of inputs does not matter for the tree
    assert read_catalog([leaves, mains]).catalog == single
    leaf = result.catalog.main_items[0].leaves[0]
    assert leaf.source.file == str(leaves)
    assert result.catalog.main_items[0].source.file == str(mains)


def test_children_in_another_workbook_attach(rows, write):
    single = read_catalog([write(rows, name="全部.xlsx")]).catalog
    tree = write({"主项": rows["主项"], "子项": rows["子项"]}, name="树.xlsx")
    # a workbook needs a 主项 or 子项 sheet to count as a catalog; an empty one will do
    children = write(
        {"子项": [], **{k: rows[k] for k in ("办理情形", "申请材料", "办理流程")}}, name="子表.xlsx"
    )
    result = read_catalog([tree, children])
    assert result.catalog == single


def test_json_plus_workbook_merge(rows, write, tmp_path):
    single = read_catalog([write(rows, name="全部.xlsx")]).catalog
    mains_only = Catalog(
        main_items=[
            MainItem(
                **{
                    k: getattr(m, k)
                    for k in (
                        "basic_code",
                        "name",
                        "item_type",
                        "legal_basis",
                        "exercise_level",
                        "department",
                    )
                }
            )
            for m in single.main_items
        ]
    )
    json_path = tmp_path / "主项.json"
    json_path.write_text(
        json.dumps(catalog_to_json(mains_only), ensure_ascii=False), encoding="utf-8"
    )
    leaves = write({k: v for k, v in rows.items() if k != "主项"}, name="子项.xlsx")
    result = read_catalog([json_path, leaves])
    assert result.catalog == single
    assert result.catalog.main_items[0].source.file == str(json_path)
    assert result.catalog.main_items[0].source.sheet == "/main_items/0"


def test_json_leaves_plus_workbook_materials(rows, write, tmp_path):
    """A leaf from JSON takes children from a workbook, and vice versa."""
    single = read_catalog([write(rows, name="全部.xlsx")]).catalog
    data = catalog_to_json(single)
    for main in data["main_items"]:
        for leaf in main["leaves"]:
            del leaf["materials"]
    json_path = tmp_path / "无材料.json"
    json_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    materials = write({"申请材料": rows["申请材料"], "子项": []}, name="材料.xlsx")
    result = read_catalog([json_path, materials])
    assert result.catalog == single


# --- assemble / flatten on records ------------------------------------------------------------


def test_assemble_flat_records_directly():
    main = MainItem(basic_code="M1")
    a = Leaf(impl_code="A", basic_code="M1")
    b = Leaf(impl_code="B", main_code="M2")
    flat1 = FlatRecords(mains=[main], name="第一")
    flat2 = FlatRecords(leaves=[("M1", a), ("M2", b)], name="第二")
    flat2.children["fees"].append(("A", Fee(item="x")))
    flat2.children["steps"].append(("B", Step(seq=1)))
    flat2.children["situations"].append(("Z", Situation(name="s")))
    catalog = assemble([flat1, flat2])
    assert catalog.name == "第一"
    assert catalog.main_items[0].leaves == [a]
    assert a.main_code == "M1"
    assert a.fees == [Fee(item="x")]
    assert catalog.orphans.leaves == [b]
    assert b.steps == [Step(seq=1)]
    assert catalog.orphans.situations == [("Z", Situation(name="s"))]


def test_flatten_then_assemble_is_identity(rows, write):
    rows["子项"][0]["主项编码"] = "34099900100Y"  # one orphan leaf too
    rows["收费"] = [{"实施编码": "GHOST", "收费项目": "工本费", "收费标准": "10元"}]
    catalog = read_catalog([write(rows)]).catalog
    again = read_catalog([write(rows, name="again.xlsx")]).catalog
    rebuilt = assemble([flatten(catalog)])
    assert rebuilt == again
    assert [leaf.impl_code for leaf in rebuilt.orphans.leaves] == [IMPL_1]
    assert len(rebuilt.orphans.leaves[0].materials) == 3
    assert rebuilt.orphans.fees[0][0] == "GHOST"
    assert rebuilt.orphans.leaves[0].basic_code == SUB_1
    assert [leaf.impl_code for leaf in rebuilt.main_items[1].leaves] == [IMPL_3]


def test_json_orphan_leaf_attaches_by_basic_code_when_main_arrives(rows, write, tmp_path):
    """A leaf without 主项编码 attaches by basic code, whether it comes from a workbook or from
    JSON.
    """
    rows["子项"][2]["主项编码"] = None
    mains = write({"主项": rows["主项"]}, name="主项.xlsx")
    leaves = write({k: v for k, v in rows.items() if k != "主项"}, name="子项.xlsx")
    from_workbooks = read_catalog([mains, leaves]).catalog
    assert [leaf.impl_code for leaf in from_workbooks.main_items[1].leaves] == [IMPL_3]
    alone = read_catalog([leaves]).catalog  # no main items: every leaf is an orphan
    assert alone.orphans.leaves[2].main_code is None
    json_path = tmp_path / "子项.json"
    json_path.write_text(json.dumps(catalog_to_json(alone), ensure_ascii=False), encoding="utf-8")
    from_json = read_catalog([mains, json_path]).catalog
    assert [leaf.impl_code for leaf in from_json.main_items[1].leaves] == [IMPL_3]
    assert from_json == from_workbooks
