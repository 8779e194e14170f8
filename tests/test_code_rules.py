"""Code rules on real workbooks (catalog_cli/checks/code_rules.py)."""

from __future__ import annotations

from conftest import IMPL_1, MAIN_SUBS, SUB_1, USCC_A, USCC_B
from helpers import findings_of, located


def test_uscc_check_digit_is_an_error_at_the_cell(rows, write):
    rows["子项"][0]["实施主体编码"] = USCC_A[:-1] + "M"
    rows["子项"][1]["实施主体编码"] = USCC_A[:-1] + "M"
    found = [f for f in findings_of(write(rows)) if f.code == "uscc-check-digit"]
    assert [(f.row, f.element, f.value, f.column) for f in found] == [
        (2, "实施主体编码", USCC_A[:-1] + "M", "K"),
        (3, "实施主体编码", USCC_A[:-1] + "M", "K"),
    ]


def test_uscc_length_and_alphabet_come_from_the_schema_pattern(rows, write):
    rows["子项"][0]["实施主体编码"] = "1111111111111111"
    rows["子项"][1]["实施主体编码"] = "11511301008778183O"
    found = located(findings_of(write(rows)))
    assert ("schema-pattern", "子项", 2, "实施主体编码") in found
    assert ("schema-pattern", "子项", 3, "实施主体编码") in found
    assert not any(code == "uscc-check-digit" for code, *_ in found)


def test_type_digits_must_match_item_type(rows, write):
    rows["子项"][2]["事项类型"] = "行政许可"
    rows["主项"][1]["事项类型"] = "行政许可"
    found = located(findings_of(write(rows)))
    assert ("basic-code-type-mismatch", "子项", 4, "基本编码") in found
    assert ("basic-code-type-mismatch", "主项", 3, "基本编码") in found


def test_sub_must_share_main_prefix(rows, write):
    rows["子项"][1]["基本编码"] = "340164299002"
    rows["子项"][1]["实施编码"] = USCC_A + "3340164299002"
    found = located(findings_of(write(rows)))
    assert ("basic-code-main-mismatch", "子项", 3, "基本编码") in found


def test_00y_exactly_when_main_has_subs(rows, write):
    rows["主项"][1]["基本编码"] = "34072001500Y"
    rows["子项"][2].update({"基本编码": "34072001500Y", "主项编码": "34072001500Y"})
    found = located(findings_of(write(rows, "a.xlsx")))
    # 00Y but its only leaf is the main itself
    assert ("main-code-suffix", "主项", 3, "基本编码") in found
    assert not any(code == "sub-code-suffix" for code, *_ in found)

    rows = __import__("conftest").base_rows()
    rows["主项"][0]["基本编码"] = "340164213000"
    for leaf in rows["子项"][:2]:
        leaf["主项编码"] = "340164213000"
    found = located(findings_of(write(rows, "b.xlsx")))
    assert ("main-code-suffix", "主项", 2, "基本编码") in found  # has subs but no 00Y


def test_sub_under_00y_needs_its_own_suffix(rows, write):
    rows["子项"][0]["基本编码"] = MAIN_SUBS
    rows["子项"][0]["实施编码"] = USCC_A + "3" + MAIN_SUBS
    rows["办理情形"] = []
    found = located(findings_of(write(rows)))
    assert ("sub-code-suffix", "子项", 2, "基本编码") in found


def test_handling_code_is_sub_code_plus_two_digits(rows, write):
    rows["子项"][0]["业务办理项编码"] = SUB_1 + "01"
    assert "handling-code-mismatch" not in {f.code for f in findings_of(write(rows, "ok.xlsx"))}
    rows["子项"][0]["业务办理项编码"] = SUB_1 + "A1"
    found = located(findings_of(write(rows, "bad.xlsx")))
    assert ("handling-code-mismatch", "子项", 2, "业务办理项编码") in found


def test_impl_code_contains_uscc_and_basic_code(rows, write):
    rows["子项"][0]["实施编码"] = USCC_B + "3" + "340164213009"
    for sheet in ("办理情形", "申请材料", "办理流程"):
        for row in rows[sheet]:
            if row["实施编码"] == IMPL_1:
                row["实施编码"] = USCC_B + "3" + "340164213009"
    found = located(findings_of(write(rows)))
    assert ("impl-code-missing-uscc", "子项", 2, "实施编码") in found
    assert ("impl-code-missing-basic", "子项", 2, "实施编码") in found


def test_legacy_and_unknown_forms_are_warnings(rows, write):
    rows["主项"][1]["基本编码"] = "511A0138000000"
    rows["子项"][2].update(
        {
            "基本编码": "511A0138000000",
            "主项编码": "511A0138000000",
            "实施编码": USCC_B + "3511A0138000000",
        }
    )
    for sheet in ("申请材料", "办理流程"):
        for row in rows[sheet]:
            if row["实施编码"] == USCC_B + "3340720015000":
                row["实施编码"] = USCC_B + "3511A0138000000"
    findings = findings_of(write(rows))
    legacy = [(f.sheet, f.row, f.severity) for f in findings if f.code == "basic-code-legacy"]
    assert legacy == [("主项", 3, "warning"), ("子项", 4, "warning")]
    assert not [f for f in findings if f.severity == "error"]


def test_unknown_code_form_is_a_warning_and_the_national_form_passes(rows, write):
    assert "basic-code-unknown-form" not in {f.code for f in findings_of(write(rows, "ok.xlsx"))}
    rows["主项"][1]["基本编码"] = "ABC123"
    rows["子项"][2].update(
        {"基本编码": "ABC123", "主项编码": "ABC123", "实施编码": USCC_B + "3ABC123"}
    )
    for sheet in ("申请材料", "办理流程"):
        for row in rows[sheet]:
            if row["实施编码"] == USCC_B + "3340720015000":
                row["实施编码"] = USCC_B + "3ABC123"
    found = [
        (f.sheet, f.row, f.severity)
        for f in findings_of(write(rows, "bad.xlsx"))
        if f.code == "basic-code-unknown-form"
    ]
    assert found == [("主项", 3, "warning"), ("子项", 4, "warning")]
