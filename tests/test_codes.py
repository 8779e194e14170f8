"""USCC, organization-code and basic-code helpers (catalog_cli/checks/codes.py)."""

from __future__ import annotations

import pytest

from catalog_cli.checks import codes

VALID_USCC = ["11511301008778183N", "115113010833722043", "12441500196720244T"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_known_valid_usccs_pass(code):
    assert codes.uscc_check_ok(code)
    assert codes.org_code_check_char(code[8:16]) == code[16]


@pytest.mark.parametrize(
    "code",
    [
        "11511301008778183M",
        "115113010833722042",
        "1111111111111111",
        "11511301008778183",
        "11511301008778183O",
    ],
)
def test_wrong_check_digit_length_or_alphabet_fails(code):
    assert not codes.uscc_check_ok(code)


def test_make_uscc_builds_valid_codes():
    made = codes.make_uscc("11", "340100", "00299912")
    assert len(made) == 18 and codes.uscc_check_ok(made)
    assert made[:8] == "11340100"


@pytest.mark.parametrize(
    ("code", "form"),
    [
        ("00016421300Y", "national"),
        ("000164213003", "national"),
        ("XK0010100Y", "省级字母类型编码（如 XK0010100Y）"),
        ("511A0138000000", "四川编码（如 511A0138000000、511Z07001006）"),
        ("511Z07001006", "四川编码（如 511A0138000000、511Z07001006）"),
        ("G-000007-001", "连字符编码（如 G-000007-001）"),
        ("62052400MZ-XK-0001", "区划+部门+类型编码（如 62052400MZ-XK-0001）"),
        ("ABC123", "unknown"),
    ],
)
def test_basic_code_forms(code, form):
    assert codes.basic_code_form(code) == form


def test_basic_code_parts_and_handling_codes():
    assert codes.basic_code_type("000164213003") == "01"
    assert codes.basic_code_suffix("00016421300Y") == "00Y"
    assert codes.basic_code_type("XK0010100Y") is None
    assert codes.is_handling_code_of("00016421300301", "000164213003")
    assert not codes.is_handling_code_of("0001642130030A", "000164213003")
    assert not codes.is_handling_code_of("00016421300401", "000164213003")
