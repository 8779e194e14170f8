"""The one name folding (catalog_cli/model/text.py) and the checks and analyses that use it."""

from __future__ import annotations

import pytest

from catalog_cli.analyses.reduce import situation_range
from catalog_cli.checks.rules import check_leaf
from catalog_cli.model import Leaf, Material, Situation
from catalog_cli.model.text import fold_header_name, fold_name


def test_name_matching_ignores_width_brackets_and_spaces():
    assert (
        fold_name("食品经营许可（新办） ")
        == fold_name("食品经营许可(新办)")
        == fold_name("食品经营许可（新办）")
    )
    assert fold_name("事项６") == fold_name("事项6") != fold_name("事项7")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("【原件】申请书", "[原件]申请书"),
        ("《营业执照》", "<营业执照>"),
        ("“身份证”", '"身份证"'),
        ("ＡＢＣ 证明", "abc证明"),
        ("申请书\n（样本）", "申请书(样本)"),
    ],
)
def test_punctuation_width_case_and_whitespace_fold_together(a, b):
    assert fold_name(a) == fold_name(b)


def test_different_names_stay_different():
    assert fold_name("营业执照（副本）") != fold_name("营业执照（正本）")
    assert fold_name(None) == fold_name("") == ""


def _leaf_with_bracket_widths() -> Leaf:
    return Leaf(
        impl_code="X1",
        name="测试事项",
        materials=[Material(seq=1, name="营业执照（副本）", necessity="必要")],
        situations=[Situation(name="新办", materials=["营业执照(副本)"])],
    )


def test_a_situation_material_in_other_bracket_width_is_not_a_false_error():
    leaf = _leaf_with_bracket_widths()
    assert [f.code for f in check_leaf(leaf) if f.code == "situation-material-unknown"] == []
    # reduce matches the same two names: one required material in the situation
    assert situation_range(leaf) == (1, 1)


def test_a_situation_material_the_leaf_lacks_is_still_reported():
    leaf = _leaf_with_bracket_widths()
    leaf.situations[0].materials.append("身份证明")
    found = [f for f in check_leaf(leaf) if f.code == "situation-material-unknown"]
    assert [f.value for f in found] == ["身份证明"]


# --- the cleaners' dirty pattern, in Arrow ---------------------------------------------------


def _alphabet() -> list[str]:
    """Every kind of character a cleaner looks at: blanks, full-width digits and letters,
    traditional and simplified characters, punctuation, ASCII, NUL."""
    blanks = [ch for ch in map(chr, range(0x3001)) if ch.isspace()]
    return [
        *blanks,
        *"０１２３４５６７８９－ＡＺａｚ（）",
        *"國際證書齊備許證號經營執",  # traditional
        *"国际证书齐备许证号经营执营业执照",
        *"，。；：、“”《》【】",
        *"abcXYZ019-_/()",
        "\x00",
        "\U00020000",  # outside GB2312
        "é",
    ]


@pytest.mark.parametrize("style", ["code", "line", "block"])
def test_the_dirty_pattern_flags_every_text_its_cleaner_changes(style):
    import random

    import pyarrow as pa
    import pyarrow.compute as pc

    from catalog_cli.model.text import CLEANERS, dirty_pattern

    rng = random.Random(20261201)
    alphabet = _alphabet()
    plain = list("国际证书齐备许证号经营执营业执照abc019")
    texts = [
        "".join(rng.choice(alphabet if rng.random() < 0.3 else plain) for _ in range(n))
        for n in (rng.randint(0, 12) for _ in range(20000))
    ]
    flagged = pc.match_substring_regex(pa.array(texts), dirty_pattern(style)).to_pylist()
    clean = CLEANERS[style]
    missed = [t for t, f in zip(texts, flagged, strict=True) if not f and clean(t)[0] != t]
    assert missed == []
    # it is a screen, not "everything": plain texts pass
    assert sum(flagged) < len(texts)
    plain_texts = pa.array(["营业执照", "abc-019"])
    assert not any(pc.match_substring_regex(plain_texts, dirty_pattern(style)).to_pylist())


@pytest.mark.parametrize("style", ["code", "line", "block"])
def test_a_column_cleaned_at_once_equals_each_text_cleaned_alone(style):
    import random

    from catalog_cli.model.text import CLEANERS, clean_column

    rng = random.Random(style)
    alphabet = [a for a in _alphabet() if a != "\x00"]  # NUL separates the joined column
    plain = list("国际证书齐备许证号经营执营业执照abc019")
    texts = [
        "".join(rng.choice(alphabet if rng.random() < 0.1 else plain) for _ in range(n))
        for n in (rng.randint(0, 10) for _ in range(5000))
    ]
    cleaned, kinds = clean_column(style, texts)
    alone = [CLEANERS[style](t) for t in texts]
    assert cleaned == [c for c, _ in alone]
    assert kinds == {i: k for i, (_, k) in enumerate(alone) if k}
    assert kinds  # some texts were dirty


# --- header folding: English and coded names in any case style -------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "task_name",
        "taskName",
        "TaskName",
        "TASK_NAME",
        "task-name",
        "task name",
        " Task  Name ",
        "task__name",
        "task.name",
        "ＴＡＳＫ＿ＮＡＭＥ",
        "ｔａｓｋＮａｍｅ",
    ],
)
def test_case_styles_of_one_name_fold_together(header):
    assert fold_header_name(header) == "task_name"


@pytest.mark.parametrize(
    ("header", "folded"),
    [
        ("catalogID", "catalog_id"),
        ("catalogId", "catalog_id"),
        ("CATALOG_ID", "catalog_id"),
        ("USCCode", "usc_code"),
        ("usc_code", "usc_code"),
        ("deptUSCC", "dept_uscc"),
        ("ID", "id"),
        ("lawlimitDay", "lawlimit_day"),
        ("pkIsCharge", "pk_is_charge"),
        ("pkcommitmentTime", "pkcommitment_time"),
        ("anticipate_day_explain", "anticipate_day_explain"),
        ("address2", "address_2"),
        ("address_2", "address_2"),
        ("level2Name", "level_2_name"),
        ("LEVEL2_NAME", "level_2_name"),
        ("2ndName", "2_nd_name"),
    ],
)
def test_acronyms_and_digits_split_into_words(header, folded):
    assert fold_header_name(header) == folded


def test_names_that_differ_in_words_stay_different():
    assert fold_header_name("taskname") != fold_header_name("task_name")
    assert fold_header_name("task_code") != fold_header_name("task_name")
    assert fold_header_name("promise_day") != fold_header_name("promise_type")


@pytest.mark.parametrize(
    "header",
    [
        "事项名称",
        "事项名称（主项）",
        "办理时限/法定",
        " 承诺 办结时限 ",
        "篇扩承诺办结时限/pkcommitmentTime",
        "法定办结时限（工作日）",
        "URL地址",
        "/",
        "#",
        "",
    ],
)
def test_chinese_and_mixed_headers_fold_as_names(header):
    assert fold_header_name(header) == fold_name(header)


def test_header_folding_keeps_chinese_width_and_bracket_folding():
    assert fold_header_name("事项名称(主项)") == fold_header_name("事项名称（主项）")
    assert fold_header_name(None) == ""
