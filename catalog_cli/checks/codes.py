"""Pure functions on codes: USCC (GB 32100), organization code (GB 11714), basic-code forms."""

from __future__ import annotations

import re

from catalog_cli.schema import load_schema

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}

# the national form is schema data (x-code-forms), shared with reading columns by content
NATIONAL_BASIC = re.compile(load_schema().raw["x-code-forms"]["national_basic"])
HANDLING_SUFFIX = re.compile(r"^\d{2}$")
LEGACY_BASIC_FORMS = {
    "省级字母类型编码（如 XK0010100Y）": re.compile(r"^[A-Z]{2}\d{5}(\d{2}[0-9Y])$"),
    "四川编码（如 511A0138000000、511Z07001006）": re.compile(r"^\d{3}[A-Z]\d{8}(\d{2})?$"),
    "连字符编码（如 G-000007-001）": re.compile(r"^[A-Z]{1,2}-\d{6}-\d{3}$"),
    "区划+部门+类型编码（如 62052400MZ-XK-0001）": re.compile(r"^\d{8}[A-Z]{2}-[A-Z]{2}-\d{4}$"),
}


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a USCC."""
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_is_well_formed(code: str) -> bool:
    """18 characters from the USCC alphabet (the check digit is not tested here)."""
    return len(code) == 18 and all(ch in _USCC_VALUE for ch in code)


def uscc_check_ok(code: str) -> bool:
    """True when a well-formed USCC carries the right check character."""
    return uscc_is_well_formed(code) and uscc_check_char(code[:17]) == code[17]


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character for the first 8 characters of an organization code."""
    total = sum(
        (int(ch) if ch.isdigit() else ord(ch) - 55) * w
        for ch, w in zip(first8, ORG_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(prefix: str, region: str, org8: str) -> str:
    """Build a valid USCC from a 2-char prefix, a 6-digit region code and an 8-char organization
    base.
    """
    org = org8 + org_code_check_char(org8)
    first17 = prefix + region + org
    return first17 + uscc_check_char(first17)


def basic_code_form(code: str) -> str:
    """'national', the name of a known legacy form, or 'unknown'."""
    if NATIONAL_BASIC.match(code):
        return "national"
    for name, pattern in LEGACY_BASIC_FORMS.items():
        if pattern.match(code):
            return name
    return "unknown"


def basic_code_type(code: str) -> str | None:
    """The item-type digits (TT) of a national basic code."""
    m = NATIONAL_BASIC.match(code)
    return m.group(2) if m else None


def basic_code_suffix(code: str) -> str | None:
    """The last three characters (UUU) of a national basic code."""
    m = NATIONAL_BASIC.match(code)
    return m.group(5) if m else None


def is_handling_code_of(handling_code: str, basic_code: str) -> bool:
    """A handling code is the sub-item's basic code followed by two digits."""
    return (
        len(handling_code) == len(basic_code) + 2
        and handling_code.startswith(basic_code)
        and bool(HANDLING_SUFFIX.match(handling_code[-2:]))
    )
