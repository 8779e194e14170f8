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


def _sichuan(basic: str, uscc: str) -> str:
    """An implementation code of Sichuan's scheme (基本编码-区划-000-信用代码-1-00)."""
    return f"{basic}-511602000000-000-{uscc}-1-00"


def test_a_builtin_local_impl_scheme_is_one_warning_with_the_count(rows, write):
    from conftest import IMPL_3, MAIN_ONE, USCC_B

    from catalog_cli.analyses.validate import validate, validate_tables
    from catalog_cli.read import read_catalog
    from catalog_cli.read.tables import read_tables

    local = {IMPL_1: _sichuan(SUB_1, USCC_A), IMPL_3: _sichuan(MAIN_ONE, USCC_B)}
    for sheet in ("子项", "办理情形", "申请材料", "办理流程"):
        for row in rows[sheet]:
            row["实施编码"] = local.get(row["实施编码"], row["实施编码"])
    path = write(rows)
    found = [f for f in findings_of(path) if f.code == "local-code-scheme"]
    assert [(f.severity, f.row, f.element, f.value) for f in found] == [
        ("warning", None, "实施编码", _sichuan(SUB_1, USCC_A))  # the smaller of the two
    ]
    assert found[0].message.startswith("2 处实施编码采用地方编码方案“四川式实施编码")
    assert not [f for f in findings_of(path) if f.severity == "error"]
    read = read_catalog([path])
    on_records = validate(read.catalog, files=read.files, reading_findings=read.findings)
    on_tables = validate_tables(read_tables(path), files=[str(path)])
    assert [f.to_dict() for f in on_tables.findings] == [f.to_dict() for f in on_records.findings]


PROFILE = {
    "name": "test-city",
    "title": "测试市事项导出",
    "local_codes": {
        "basic_code": {"name": "测试市编码", "pattern": "^JS\\d{6}$"},
        "impl_code": [{"name": "测试市实施编码", "pattern": "^JS\\d{6}-[0-9A-Z]{18}$"}],
    },
    "tables": [
        {
            "name": "items",
            "record": "leaf",
            "detect": ["item_no", "item_name", "base_no"],
            "fields": {
                "impl_code": "{item_no}",
                "basic_code": "{base_no}",
                "name": "{item_name}",
                "agency_code": "{org_code}",
            },
        }
    ],
}


def test_a_profile_declares_local_code_schemes(tmp_path, monkeypatch):
    import json

    from catalog_cli.read.profiles import PROFILES_ENV

    profile = tmp_path / "test-city.json"
    profile.write_text(json.dumps(PROFILE, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv(PROFILES_ENV, str(profile))
    data = tmp_path / "items.csv"
    data.write_text(
        "item_no,item_name,base_no,org_code\n"
        f"JS000001-{USCC_A},甲,JS000001,{USCC_A}\n"
        f"JS000002-{USCC_A},乙,JS000002,{USCC_A}\n"
        f"QT-{USCC_A},丙,QT000003,{USCC_A}\n",
        encoding="utf-8",
    )
    findings = findings_of(data)
    local = {(f.element, f.value): f.message for f in findings if f.code == "local-code-scheme"}
    assert local == {
        ("基本编码", "JS000001"): "2 处基本编码采用地方编码方案“测试市编码”（如“JS000001”）："
        "按原样保留，不按国家标准格式检查",
        ("实施编码", f"JS000001-{USCC_A}"): f"2 处实施编码采用地方编码方案“测试市实施编码”"
        f"（如“JS000001-{USCC_A}”）：按原样保留，不按国家标准格式检查",
    }
    unknown = [(f.row, f.value) for f in findings if f.code == "basic-code-unknown-form"]
    assert unknown == [(4, "QT000003")]  # not in the scheme: still checked as before
    assert not [f for f in findings if f.code == "impl-code-missing-basic" and f.row < 4]


def test_a_wrong_local_code_declaration_is_an_input_error(tmp_path, monkeypatch):
    import json

    from typer.testing import CliRunner

    from catalog_cli.cli import app
    from catalog_cli.read.profiles import PROFILES_ENV

    bad = dict(PROFILE, local_codes={"basic_code": {"name": "坏", "pattern": "^(JS$"}})
    (tmp_path / "bad.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv(PROFILES_ENV, str(tmp_path))
    data = tmp_path / "items.csv"
    data.write_text("item_no,item_name,base_no\nJS1,甲,JS000001\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(data)])
    assert result.exit_code == 2 and "编码方案不正确" in result.stderr
