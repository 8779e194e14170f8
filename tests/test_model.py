"""catalog_cli/model.py: record_to_dict / record_from_dict, Catalog.iter_leaves, equality."""

from __future__ import annotations

import copy

import pytest
from conftest import IMPL_1, IMPL_2, IMPL_3, MAIN_ONE, MAIN_SUBS, SUB_1, USCC_A

from catalog_cli.model import (
    Bundle,
    Catalog,
    Fee,
    Leaf,
    MainItem,
    Material,
    Orphans,
    Situation,
    Source,
    Step,
    TimeLimit,
    data_fields,
    record_from_dict,
    record_to_dict,
    time_limit_to_dict,
)


def material(seq=1, name="申请书"):
    return Material(
        seq=seq,
        name=name,
        material_type="原件",
        material_form="纸质",
        copies="1",
        necessity="必要",
        source_channel="申请人自备",
        blank_form="空表.docx",
        sample_form="样表.pdf",
        note="A4 纸",
        extra={"电子证照": "是"},
    )


def step(seq=1, name="受理"):
    return Step(
        seq=seq,
        name=name,
        post="窗口",
        standard="材料齐全",
        result="受理",
        time_limit=TimeLimit(1, "工作日", "1个工作日"),
        extra={"x": "y"},
    )


def fee():
    return Fee(
        item="工本费", standard="10元/件", basis="某收费文件", reducible=False, extra={"备注": "无"}
    )


def situation(materials=("申请书", "身份证明")):
    return Situation(
        name="本人办理",
        description="申请人本人到场",
        materials=list(materials),
        promised_limit=TimeLimit(3, "工作日", "3个工作日"),
        extra={"情形编码": "S1"},
    )


def leaf(impl=IMPL_1, *, situations=True):
    return Leaf(
        impl_code=impl,
        basic_code=SUB_1,
        main_code=MAIN_SUBS,
        handling_code="34016421300101",
        name="食品经营许可（新办）",
        item_type="01",
        legal_basis="《中华人民共和国行政许可法》",
        exercise_level=["3", "4"],
        power_source="1",
        agency="江淮市市场监督管理局",
        agency_code=USCC_A,
        agency_nature="1",
        entrusting_dept="省局",
        co_agencies="消防",
        service_object=["1", "2"],
        case_type="2",
        conditions="材料齐全",
        handling_form=["1", "2"],
        legal_limit=TimeLimit(20, "工作日", "20个工作日"),
        legal_limit_note="不含听证",
        promised_limit=TimeLimit(5, "工作日"),
        promised_limit_note="自受理起",
        visits=0,
        onsite_reason=None,
        fee_charged=True,
        fee_standard="见收费表",
        result_name="许可证",
        result_type="证照",
        result_sample="样本.pdf",
        special_procedures="专家评审",
        intermediary="无",
        quantity_limit="无",
        address="政务中心",
        office_hours="9:00-17:00",
        consult="0551-12345678",
        complaint="12345",
        online=True,
        online_depth="4",
        online_url="https://example.gov.cn",
        situations=[situation()] if situations else [],
        materials=[material(1), material(2, "身份证明")],
        steps=[step(1), step(2, "决定")],
        fees=[fee()],
        extra={"通办范围": "全市"},
    )


def main_item(*, situations=True):
    return MainItem(
        basic_code=MAIN_SUBS,
        name="食品经营许可",
        item_type="01",
        legal_basis="《食品安全法》",
        exercise_level=["3"],
        department="市场监管局",
        leaves=[leaf(IMPL_1, situations=situations), leaf(IMPL_2, situations=situations)],
        extra={"备注": "x"},
    )


def bundle():
    return Bundle(
        name="开饭店",
        members=[IMPL_1, IMPL_3],
        material_count=4,
        step_count=3,
        promised_limit=TimeLimit(10, "工作日", "10个工作日"),
        visits=1,
        extra={"牵头部门": "市场监管局"},
    )


ROUND_TRIP = [
    pytest.param(material, id="material"),
    pytest.param(step, id="step"),
    pytest.param(fee, id="fee"),
    pytest.param(bundle, id="bundle"),
    pytest.param(
        lambda: Situation(name="补领", promised_limit=TimeLimit(0, "即办", "即办")),
        id="situation-without-materials",
    ),
    pytest.param(situation, id="situation"),  # materials are names, not Material records
    pytest.param(lambda: leaf(situations=False), id="leaf-without-situations"),
    pytest.param(leaf, id="leaf"),
    pytest.param(lambda: main_item(situations=False), id="main-without-situations"),
    pytest.param(main_item, id="main"),
]


@pytest.mark.parametrize("make", ROUND_TRIP)
def test_record_dict_round_trip(make):
    record = make()
    data = record_to_dict(record)
    back = record_from_dict(type(record), copy.deepcopy(data))
    assert back == record
    assert type(back) is type(record)
    assert record_to_dict(back) == data


def test_record_to_dict_nests_children_and_time_limits():
    data = record_to_dict(main_item())
    first = data["leaves"][0]
    assert first["impl_code"] == IMPL_1
    assert first["legal_limit"] == {"value": 20, "unit": "工作日", "text": "20个工作日"}
    assert first["promised_limit"] == {"value": 5, "unit": "工作日"}  # empty text left out
    assert first["materials"][1]["name"] == "身份证明"
    assert first["steps"][0]["time_limit"]["unit"] == "工作日"
    assert first["situations"][0]["materials"] == ["申请书", "身份证明"]
    assert first["fees"][0] == {
        "item": "工本费",
        "standard": "10元/件",
        "basis": "某收费文件",
        "reducible": False,
        "extra": {"备注": "无"},
    }
    assert first["exercise_level"] == ["3", "4"]
    assert "source" not in data and "source" not in first


def test_record_from_dict_rebuilds_time_limit_and_children():
    data = {
        "name": "x",
        "legal_limit": {"value": None, "unit": "无"},
        "materials": [{"seq": 1, "name": "申请书"}],
        "steps": [
            {"seq": 1, "name": "受理", "time_limit": {"value": 0, "unit": "即办", "text": "即办"}}
        ],
        "extra": {"a": "b"},
    }
    record = record_from_dict(Leaf, data, Source("f.json", "/main_items/0"))
    assert record.legal_limit == TimeLimit(None, "无", "")
    assert record.materials == [Material(seq=1, name="申请书")]
    assert record.steps[0].time_limit == TimeLimit(0, "即办", "即办")
    assert record.extra == {"a": "b"}
    assert record.source == Source("f.json", "/main_items/0")


def test_time_limit_to_dict():
    assert time_limit_to_dict(TimeLimit(20, "工作日", "二十个工作日")) == {
        "value": 20,
        "unit": "工作日",
        "text": "二十个工作日",
    }
    assert time_limit_to_dict(TimeLimit(None, None, "")) == {"value": None, "unit": None}


def test_empty_values_are_omitted_but_false_and_zero_kept():
    record = Leaf(
        impl_code="A1",
        handling_code="",
        name=None,
        exercise_level=[],
        extra={},
        visits=0,
        fee_charged=False,
        online=False,
        materials=[],
    )
    assert record_to_dict(record) == {
        "impl_code": "A1",
        "visits": 0,
        "fee_charged": False,
        "online": False,
    }
    assert record_to_dict(Material()) == {}
    assert record_to_dict(Situation(name="本人", materials=[])) == {"name": "本人"}


def test_record_to_dict_skip():
    assert "leaves" not in record_to_dict(main_item(situations=False), skip=("leaves",))
    assert record_to_dict(Fee(item="a", standard="b"), skip=("item",)) == {"standard": "b"}


def test_record_to_dict_copies_lists():
    record = Leaf(exercise_level=["3"], extra={"k": "v"})
    data = record_to_dict(record)
    data["exercise_level"].append("4")
    data["extra"]["k"] = "changed"
    assert record.exercise_level == ["3"]
    assert record.extra == {"k": "v"}


def test_record_from_dict_rejects_unknown_field():
    with pytest.raises(ValueError, match="未知字段 colour"):
        record_from_dict(Material, {"name": "x", "colour": "red"})
    with pytest.raises(ValueError):
        record_from_dict(Leaf, {"source": {"file": "x"}})


def test_data_fields_leave_out_source():
    assert "source" not in data_fields(Leaf)
    assert data_fields(Fee) == ("item", "standard", "basis", "reducible", "extra")


def test_iter_leaves_order_mains_then_orphans():
    a, b, c, d = (Leaf(impl_code=x) for x in ("A", "B", "C", "D"))
    catalog = Catalog(
        main_items=[
            MainItem(basic_code="M1", leaves=[a, b]),
            MainItem(basic_code="M2"),
            MainItem(basic_code="M3", leaves=[c]),
        ],
        orphans=Orphans(leaves=[d]),
    )
    assert [leaf.impl_code for leaf in catalog.iter_leaves()] == ["A", "B", "C", "D"]
    assert catalog.count_leaves() == 4
    assert list(Catalog().iter_leaves()) == []
    assert Catalog().count_leaves() == 0


def test_orphans_truthiness():
    assert not Orphans()
    assert Orphans(fees=[("X", Fee(item="a"))])
    assert Orphans(leaves=[Leaf()])


def test_equality_ignores_source():
    one = leaf(situations=False)
    two = leaf(situations=False)
    one.source = Source("a.xlsx", "子项", 2, {"impl_code": "A"})
    two.source = Source("b.json", "/main_items/0/leaves/0")
    two.materials[0].source = Source("elsewhere", "申请材料", 99)
    assert one == two
    assert Catalog(main_items=[MainItem(basic_code=MAIN_ONE, source=Source("x"))]) == Catalog(
        main_items=[MainItem(basic_code=MAIN_ONE)]
    )


def test_equality_sees_data():
    one = leaf(situations=False)
    two = leaf(situations=False)
    two.materials[1].copies = "2"
    assert one != two
    assert TimeLimit(20, "工作日", "20个工作日") != TimeLimit(20, "工作日", "二十个工作日")
    assert Catalog(name="a") != Catalog(name="b")


def test_labels():
    assert Leaf(impl_code="I", name="N").label == "I"
    assert Leaf(name="N").label == "N"
    assert Leaf().label == ""
    assert MainItem(basic_code="B", name="N").label == "B"
    assert MainItem(name="N").label == "N"


def test_bundle_depends_reads_both_arrows_and_skips_halves():
    bundle = Bundle(name="企业开办", members=["A", "B", "C"], sequence=["A>B", "A→C", ">C", "B>"])
    assert bundle.depends() == [("A", "B"), ("A", "C")]
