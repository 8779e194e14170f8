"""Pure functions on codes: USCC (GB 32100), organization code (GB 11714), basic-code forms."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from catalog_cli.model import CodeScheme
from catalog_cli.schema import load_code_schemes, load_schema

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}

# the national form is schema data (x-code-forms), shared with reading columns by content
NATIONAL_BASIC = re.compile(load_schema().raw["x-code-forms"]["national_basic"])
HANDLING_SUFFIX = re.compile(r"^\d{2}$")


def builtin_schemes() -> tuple[CodeScheme, ...]:
    """The code schemes of ``schemas/code-schemes.json`` (legacy basic-code forms, local
    schemes)."""
    return load_code_schemes()


def local_schemes(declared: Iterable[CodeScheme] = ()) -> tuple[CodeScheme, ...]:
    """The local schemes that apply to a catalog: those its profiles declare, then the
    built-in ones (a name declared twice counts once)."""
    found: dict[tuple[str, str], CodeScheme] = {}
    for scheme in (*declared, *builtin_schemes()):
        if scheme.kind == "local":
            found.setdefault((scheme.field, scheme.name), scheme)
    return tuple(found.values())


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _matches(scheme: CodeScheme, code: str) -> bool:
    return _pattern(scheme.pattern).fullmatch(code) is not None


def local_scheme(code: object, field: str, local: Iterable[CodeScheme]) -> str | None:
    """The name of the local scheme a code of ``field`` is written in, or None (a national
    basic code never is: the national form comes first)."""
    if not isinstance(code, str) or not code:
        return None
    if field == "basic_code" and NATIONAL_BASIC.match(code):
        return None
    return next((s.name for s in local if s.field == field and _matches(s, code)), None)


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


def basic_code_form(code: str, local: Iterable[CodeScheme] = ()) -> str:
    """'national', the name of a local scheme in ``local`` or of a known legacy form, or
    'unknown'."""
    if NATIONAL_BASIC.match(code):
        return "national"
    name = local_scheme(code, "basic_code", local)
    if name is not None:
        return name
    for scheme in builtin_schemes():
        if scheme.kind == "legacy" and scheme.field == "basic_code" and _matches(scheme, code):
            return scheme.name
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
