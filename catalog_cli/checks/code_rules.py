"""Code rules: USCC check digit, basic-code structure, handling and implementation codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from catalog_cli.checks import codes
from catalog_cli.model import Catalog, CodeScheme, Leaf, MainItem, Source
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.schema import CODE_SCHEME_FIELDS, load_schema

_CODE = re.compile(r"^[0-9A-Za-z-]+$")


def _title(record: str, key: str) -> str:
    return load_schema().records[record].fields[key].title


def _record_name(obj: MainItem | Leaf) -> str:
    return "leaf" if isinstance(obj, Leaf) else "main_item"


def _finding(
    obj: MainItem | Leaf, code: str, key: str, message: str, value: object, severity: str = "error"
) -> Finding:
    return make_finding(
        code,
        severity,
        obj.source,
        message,
        element=_title(_record_name(obj), key),
        key=key,
        item=obj.label,
        value=value,
    )


def uscc_check_digit(leaf: Leaf) -> Iterator[Finding]:
    """A well-formed 实施主体编码 must carry the right GB 32100 check character."""
    code = leaf.agency_code
    if isinstance(code, str) and codes.uscc_is_well_formed(code) and not codes.uscc_check_ok(code):
        expected = codes.uscc_check_char(code[:17])
        yield _finding(
            leaf,
            "uscc-check-digit",
            "agency_code",
            f"统一社会信用代码“{code}”校验位错误（按前17位应为“{expected}”），请核对",
            code,
        )


def basic_code_form(
    obj: MainItem | Leaf, local: tuple[CodeScheme, ...] | None = None
) -> Iterator[Finding]:
    """National 12-char form; legacy provincial forms and unknown forms are warnings.

    A code in one of the ``local`` schemes (default: the built-in ones) gives nothing here:
    :func:`local_codes` counts it once per catalog and scheme.
    """
    code = obj.basic_code
    if not isinstance(code, str) or not _CODE.match(code):
        return
    local = codes.local_schemes() if local is None else local
    form = codes.basic_code_form(code, local)
    if any(scheme.name == form for scheme in local):
        return
    if form == "unknown":
        yield _finding(
            obj,
            "basic-code-unknown-form",
            "basic_code",
            f"基本编码“{code}”不是国家标准的12位编码，也不是已知的地方编码格式",
            code,
            "warning",
        )
    elif form != "national":
        yield _finding(
            obj,
            "basic-code-legacy",
            "basic_code",
            f"基本编码“{code}”是旧式地方编码（{form}），建议换用12位国家标准编码",
            code,
            "warning",
        )
    else:
        type_digits = codes.basic_code_type(code)
        if (
            obj.item_type in load_schema().tables["item_type"].codes
            and type_digits != obj.item_type
        ):
            label = load_schema().tables["item_type"].label(obj.item_type)
            yield _finding(
                obj,
                "basic-code-type-mismatch",
                "basic_code",
                f"基本编码第3–4位“{type_digits}”应与事项类型（{label}，{obj.item_type}）一致",
                code,
            )


def has_sub_items(main: MainItem) -> bool:
    """A main item has sub-items when some leaf carries a basic code other than the main's."""
    return any(leaf.basic_code and leaf.basic_code != main.basic_code for leaf in main.leaves)


def main_code_suffix(main: MainItem) -> Iterator[Finding]:
    """A main item's code ends in 00Y exactly when it has sub-items, otherwise in 000."""
    code = main.basic_code
    suffix = codes.basic_code_suffix(code) if isinstance(code, str) else None
    if suffix is None:
        return
    has_subs = has_sub_items(main)
    if suffix == "00Y" and not has_subs:
        yield _finding(
            main,
            "main-code-suffix",
            "basic_code",
            f"基本编码“{code}”以00Y结尾表示有子项，但该主项没有子项：应以000结尾",
            code,
        )
    elif suffix != "00Y" and has_subs:
        yield _finding(
            main,
            "main-code-suffix",
            "basic_code",
            f"该主项有子项，基本编码“{code}”应以00Y结尾",
            code,
        )
    elif suffix not in ("000", "00Y"):
        yield _finding(
            main,
            "main-code-suffix",
            "basic_code",
            f"主项基本编码“{code}”末三位应为000（无子项）或00Y（有子项）",
            code,
        )


def sub_code_matches_main(leaf: Leaf, main: MainItem, has_subs: bool) -> Iterator[Finding]:
    """A sub's first 9 characters are its main's; a sub under a 00Y main has its own suffix.

    A lone leaf reusing its main's code is the main's problem (``main-code-suffix``), not the
    leaf's.
    """
    code, main_code = leaf.basic_code, main.basic_code
    if not (isinstance(code, str) and isinstance(main_code, str)):
        return
    if codes.basic_code_form(code) != "national" or codes.basic_code_form(main_code) != "national":
        return
    if code[:9] != main_code[:9]:
        yield _finding(
            leaf,
            "basic-code-main-mismatch",
            "basic_code",
            f"子项基本编码“{code}”前9位应与主项基本编码“{main_code}”相同",
            code,
        )
    elif main_code.endswith("00Y") and has_subs and codes.basic_code_suffix(code) in ("000", "00Y"):
        yield _finding(
            leaf,
            "sub-code-suffix",
            "basic_code",
            f"主项“{main_code}”有子项，子项基本编码“{code}”末三位应为001起的序号",
            code,
        )


def handling_code_form(leaf: Leaf) -> Iterator[Finding]:
    """业务办理项编码 = the sub's basic code + 2 digits."""
    handling, basic = leaf.handling_code, leaf.basic_code
    if (
        isinstance(handling, str)
        and isinstance(basic, str)
        and not codes.is_handling_code_of(handling, basic)
    ):
        yield _finding(
            leaf,
            "handling-code-mismatch",
            "handling_code",
            f"业务办理项编码“{handling}”应为基本编码“{basic}”后加两位数字",
            handling,
        )


def impl_code_contents(leaf: Leaf) -> Iterator[Finding]:
    """实施编码 contains the agency's USCC and the item's basic code."""
    impl = leaf.impl_code
    if not isinstance(impl, str):
        return
    if isinstance(leaf.agency_code, str) and leaf.agency_code and leaf.agency_code not in impl:
        yield _finding(
            leaf,
            "impl-code-missing-uscc",
            "impl_code",
            f"实施编码“{impl}”应包含实施主体的统一社会信用代码“{leaf.agency_code}”",
            impl,
        )
    if isinstance(leaf.basic_code, str) and leaf.basic_code and leaf.basic_code not in impl:
        yield _finding(
            leaf,
            "impl-code-missing-basic",
            "impl_code",
            f"实施编码“{impl}”应包含基本编码“{leaf.basic_code}”",
            impl,
        )


def check_main_codes(main: MainItem, local: tuple[CodeScheme, ...] | None = None) -> list[Finding]:
    """Code findings for a main item and the codes of its leaves against it."""
    found = [*basic_code_form(main, local), *main_code_suffix(main)]
    has_subs = has_sub_items(main)
    for leaf in main.leaves:
        found.extend(sub_code_matches_main(leaf, main, has_subs))
    return found


def check_leaf_codes(leaf: Leaf, local: tuple[CodeScheme, ...] | None = None) -> list[Finding]:
    """Code findings for one leaf on its own."""
    return [
        *uscc_check_digit(leaf),
        *basic_code_form(leaf, local),
        *handling_code_form(leaf),
        *impl_code_contents(leaf),
    ]


@dataclass
class LocalCount:
    """The codes of one field in one local scheme: how many, the smallest, the first file."""

    count: int = 0
    example: str = ""
    file: str = ""

    def add(self, code: str, file: str, times: int = 1) -> None:
        if not self.count:
            self.file = file
        self.example = min(self.example, code) if self.count else code
        self.count += times


def local_code_findings(
    counts: dict[tuple[str, str], LocalCount], local: tuple[CodeScheme, ...]
) -> list[Finding]:
    """One ``local-code-scheme`` warning per (field, scheme) counted: basic codes first,
    then implementation codes, each in the order the schemes are declared."""
    order = {(s.field, s.name): i for i, s in enumerate(local)}
    keys = sorted(counts, key=lambda k: (CODE_SCHEME_FIELDS.index(k[0]), order.get(k, 0)))
    out = []
    for key in keys:
        field, name = key
        seen = counts[key]
        title = _title("leaf", field)
        out.append(
            make_finding(
                "local-code-scheme",
                "warning",
                Source(seen.file),
                f"{seen.count} 处{title}采用地方编码方案“{name}”（如“{seen.example}”）："
                "按原样保留，不按国家标准格式检查",
                element=title,
                key=field,
                value=seen.example,
            )
        )
    return out


def note_local(
    counts: dict[tuple[str, str], LocalCount],
    local: tuple[CodeScheme, ...],
    field: str,
    code: object,
    file: str,
    times: int = 1,
) -> None:
    """Count ``code`` (seen ``times`` times) when it is written in a local scheme."""
    if not isinstance(code, str) or not _CODE.match(code):
        return
    name = codes.local_scheme(code, field, local)
    if name is not None:
        counts.setdefault((field, name), LocalCount()).add(code, file, times)


def local_codes(catalog: Catalog, local: tuple[CodeScheme, ...] | None = None) -> list[Finding]:
    """Codes in a local scheme (declared by the catalog's profiles, or built in): one
    warning per scheme with the count, never a national-form finding."""
    local = codes.local_schemes(catalog.code_schemes) if local is None else local
    counts: dict[tuple[str, str], LocalCount] = {}
    seen: set[tuple[str, object, object]] = set()  # a leaf and its own main item: once
    records: list[MainItem | Leaf] = [*catalog.main_items, *catalog.iter_leaves()]
    for obj in records:
        source = obj.source
        where = (source.file, source.sheet, source.row) if source and source.row else id(obj)
        for field in ("basic_code", "impl_code") if isinstance(obj, Leaf) else ("basic_code",):
            code = getattr(obj, field)
            if (field, where, code) not in seen:
                seen.add((field, where, code))
                note_local(counts, local, field, code, source.file if source else "")
    return local_code_findings(counts, local)
