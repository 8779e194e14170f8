"""Text folding and cleaning: the one place that says when two names are the same.

- :func:`fold_name` is the key for matching names (materials, items, headers, code-table labels):
  Unicode NFKC (full-width letters, digits and brackets made half-width), CJK punctuation unified
  with its ASCII form, no whitespace, case-folded.
- :func:`fold_header_name` is the key for matching column headers: English and coded names in any
  case style (``taskName``, ``TASK_NAME``, ``task-name``) as lower-case words joined by ``_``;
  every other header as :func:`fold_name` folds it.
- The cleaners (:data:`CLEANERS`, :func:`clean_column`) tidy cell text as readers take it in:
  whitespace, full-width digits, traditional characters — each change reported by kind.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

# CJK punctuation that NFKC leaves alone, unified with the ASCII form it stands for
_PUNCTUATION = str.maketrans(
    {
        "【": "[",
        "】": "]",
        "〔": "(",
        "〕": ")",
        "《": "<",
        "》": ">",
        "〈": "<",
        "〉": ">",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "、": ",",
        "。": ".",
        "—": "-",
        "–": "-",
    }
)
_WHITESPACE_RUN = re.compile(r"\s+")


def fold_name(name: str | None) -> str:
    """A name as a matching key: NFKC, punctuation unified, no whitespace, case-folded.

    "营业执照(副本)" and "营业执照（副本）" fold to the same key; so do "ＡＢＣ" and "abc".
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name).translate(_PUNCTUATION)
    return _WHITESPACE_RUN.sub("", text).casefold()


# the words of an ASCII name: an acronym before a capitalized word (USC|Code), a word with an
# optional capital (task|Name), a run of capitals (ID), a run of digits
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


@lru_cache(maxsize=8192)
def fold_header_name(name: str | None) -> str:
    """A column header as a matching key.

    A header that is ASCII after NFKC (``taskName``, ``TaskName``, ``TASK_NAME``, ``task-name``,
    ``task name``, ``ＴＡＳＫ＿ＮＡＭＥ``) is split into words at separators and case changes and
    folds to ``task_name``; digits are words of their own (``taskName2`` → ``task_name_2``). Any
    other header (Chinese, or mixed) folds as :func:`fold_name`.
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name)
    if text.isascii() and (words := _WORDS.findall(text)):
        return "_".join(words).lower()
    return fold_name(name)


DIGITS_ONLY = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"－": "-"})
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


@cache
def _t2s() -> object:
    """OpenCC's traditional → simplified converter."""
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _traditional_gb2312_characters() -> frozenset[str]:
    """The few characters GB2312 can encode that OpenCC still turns into others (traditional
    forms).
    """
    chars = [
        bytes([hi, lo]).decode("gb2312")
        for hi in range(0xB0, 0xF8)
        for lo in range(0xA1, 0xFF)
        if not (hi == 0xD7 and lo > 0xF9)
    ]
    converted = _t2s().convert("\n".join(chars)).split("\n")  # type: ignore[attr-defined]
    return frozenset(a for a, b in zip(chars, converted, strict=True) if a != b)


@cache
def _traditional_in_gb2312() -> re.Pattern[str]:
    """A search for any of :func:`_traditional_gb2312_characters`."""
    changed = _traditional_gb2312_characters()
    return (
        re.compile("[" + re.escape("".join(sorted(changed))) + "]")
        if changed
        else re.compile("(?!)")
    )


def has_traditional(text: str) -> bool:
    """Whether OpenCC would change the text.

    GB2312 holds simplified characters only, so text it can encode (checked at C speed) needs only
    a look for the handful of exceptions; other text is converted and compared.
    """
    if text.isascii():
        return False
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return _convert(text) != text
    return _traditional_in_gb2312().search(text) is not None


def to_simplified(text: str) -> str:
    """Traditional → simplified (OpenCC), only touching text that holds traditional characters."""
    if not has_traditional(text):
        return text
    return _convert(text)


@lru_cache(maxsize=65536)
def _convert(text: str) -> str:
    return _t2s().convert(text)  # type: ignore[attr-defined]


_DIRTY_CODE = re.compile(r"\s|[\uff01-\uff5e]")
_DIRTY_LINE = re.compile(r"[^\S ]| {2}|[\uff10-\uff19\uff0d]|^ | $")
_DIRTY_BLOCK = re.compile(r"[\t\r\u3000\u00a0\uff10-\uff19\uff0d]| {2}|\n[ \n]| \n|^\s|\s$")
CLEAN: tuple[str, ...] = ()


def clean_code(text: str) -> tuple[str, tuple[str, ...]]:
    """Codes: no whitespace at all, full-width letters and digits made half-width."""
    if _DIRTY_CODE.search(text) is None:
        return text, CLEAN
    kinds = []
    out = "".join(text.split())
    if out != text:
        kinds.append("whitespace")
    half = unicodedata.normalize("NFKC", out)
    if half != out:
        kinds.append("fullwidth")
    return half, tuple(kinds)


def _finish(text: str, folded: str) -> tuple[str, tuple[str, ...]]:
    """Count the whitespace folding already done, then make digits half-width and text
    simplified.
    """
    kinds = ["whitespace"] if folded != text else []
    half = folded.translate(DIGITS_ONLY)
    if half != folded:
        kinds.append("fullwidth")
    simple = to_simplified(half)
    if simple != half:
        kinds.append("traditional")
    return simple, tuple(kinds)


def _script_only(text: str) -> tuple[str, tuple[str, ...]]:
    """Text with nothing to fold: only traditional characters may need changing."""
    return (text, CLEAN) if not has_traditional(text) else (_convert(text), ("traditional",))


def clean_line(text: str) -> tuple[str, tuple[str, ...]]:
    """Short text (names, agencies, phones): one line, single spaces, half-width digits,
    simplified.
    """
    if _DIRTY_LINE.search(text) is None:
        return _script_only(text)
    return _finish(text, " ".join(text.split()))


def clean_block(text: str) -> tuple[str, tuple[str, ...]]:
    """Long text (legal basis, conditions): lines trimmed, runs of spaces folded, simplified."""
    if _DIRTY_BLOCK.search(text) is None:
        return _script_only(text)
    if "\n" in text or "\r" in text:
        lines = [
            _SPACES.sub(" ", line).strip()
            for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        ]
        return _finish(text, _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip())
    return _finish(text, _SPACES.sub(" ", text).strip())


CLEANERS = {"code": clean_code, "line": clean_line, "block": clean_block}


# --- whole columns at once ---------------------------------------------------------------------
# A column's distinct texts are joined with NUL (never in cell text) and scanned at C speed; only
# the texts a scan flags go through the cleaners above, so the result is exactly theirs.
_SEP = "\x00"
_WHITESPACE = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())  # what ``\s`` matches
# characters that make a text dirty wherever they stand (blanks other than the space, and for
# blocks the newline; full-width digits and minus)
_RARE = {
    "line": _WHITESPACE.replace(" ", "") + "０１２３４５６７８９－",
    "block": _WHITESPACE.replace(" ", "").replace("\n", "") + "０１２３４５６７８９－",
}
# a space (in blocks also a newline) that is doubled, or opens or closes a text: the match is the
# blank itself, so it falls in the text it belongs to
_BLANK_RUNS = {
    "line": re.compile(r" (?:(?<=\x00 )|(?=[ \x00]))"),
    "block": re.compile(r"[ \n](?:(?<=\x00[ \n])|(?=[ \n\x00]))"),
}


@cache
def _plain_characters() -> frozenset[str]:
    """ASCII and GB2312 characters that OpenCC leaves as they are: simplified Chinese and the
    like.
    """
    codes = b"\n".join(bytes((hi, lo)) for hi in range(0xA1, 0xF8) for lo in range(0xA1, 0xFF))
    # the codes GB2312 leaves unassigned drop out
    gb2312 = set(codes.decode("gb2312", errors="ignore"))
    return frozenset(map(chr, range(0x80))).union(gb2312) - _traditional_gb2312_characters()


@cache
def _dirty_scans(style: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Scans that between them find every text the cleaner of ``style`` would change.

    They also find a few texts it would not change. Each comes with the characters it cannot match
    without ("": it always runs).

    Codes: any blank or full-width character. Lines and blocks: any character not plain (a rare
    blank, a full-width digit, a traditional character, anything outside GB2312), then the blank
    runs.
    """
    if style == "code":
        return ((_DIRTY_CODE, ""),)
    plain = _plain_characters() - set(_RARE[style])
    return (re.compile("[^" + re.escape("".join(sorted(plain))) + "]"), ""), (
        _BLANK_RUNS[style],
        " \n" if style == "block" else " ",
    )


def _re2_class(characters: Iterable[str], negate: bool = False) -> str:
    """A regex character class of ``characters`` as code-point ranges (``\\x{…}``: RE2 and
    Arrow's syntax)."""
    points = sorted(map(ord, set(characters)))
    ranges: list[tuple[int, int]] = []
    for point in points:
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    body = "".join(
        f"\\x{{{lo:x}}}" if lo == hi else f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for lo, hi in ranges
    )
    return f"[{'^' if negate else ''}{body}]"


@cache
def dirty_pattern(style: str) -> str:
    """One RE2 pattern (for ``pyarrow.compute.match_substring_regex``) matching every text the
    cleaner of ``style`` may change: what :func:`_dirty_scans` and the edge checks of
    :func:`_flagged` find, text by text instead of in a joined column.

    A text it does not match is one the cleaner leaves as it is (tests/test_text.py holds the
    two to that on every kind of blank, digit and script).
    """
    if style == "code":
        return f"{_re2_class(_WHITESPACE)}|[\\x{{ff01}}-\\x{{ff5e}}]"
    plain = _plain_characters() - set(_RARE[style])
    blanks = " \n" if style == "block" else " "
    blank = f"[{blanks}]"
    return f"{_re2_class(plain, negate=True)}|{blank}{blank}|^{blank}|{blank}$"


def _flag(pattern: re.Pattern[str], joined: str, last: int, flagged: set[int]) -> None:
    """Add the index of every text in which ``pattern`` matches (one search per such text).

    A match's text is the number of separators before the match's last character, counted
    from the previous match on (no per-text offsets are built)."""
    pos = counted = index = 0
    while (m := pattern.search(joined, pos)) is not None:
        end = m.end() - 1
        index += joined.count(_SEP, counted, end)
        counted = end
        flagged.add(index)
        if index == last:
            return
        # from the separator, so a leading space of the next text still matches
        pos = joined.find(_SEP, end)


def _flagged(style: str, joined: str, count: int) -> list[int]:
    """Indexes of the ``count`` texts joined in ``joined`` that may need cleaning, in order.

    A text may need cleaning when it has dirty whitespace or digits, or a traditional character.
    """
    flagged: set[int] = set()
    for pattern, needs in _dirty_scans(style):
        # most columns hold no blank at all: a plain search says so fastest
        if not needs or any(ch in joined for ch in needs):
            _flag(pattern, joined, count - 1, flagged)
    if joined[:1].isspace():
        flagged.add(0)
    if joined[-1:].isspace():
        flagged.add(count - 1)
    return sorted(flagged)


def clean_column(style: str, texts: list[str]) -> tuple[list[str], dict[int, tuple[str, ...]]]:
    """:data:`CLEANERS` ``[style]`` applied to each text, scanning all of them in one pass.

    Returns the cleaned texts (the same list when none changed) and, for each text that changed,
    its index → the kinds of change.
    """
    clean = CLEANERS[style]
    joined = _SEP.join(texts)
    if len(texts) < 2 or joined.count(_SEP) != len(texts) - 1:
        flagged: Iterable[int] = range(len(texts))
    else:
        flagged = _flagged(style, joined, len(texts))
    out = texts
    kinds: dict[int, tuple[str, ...]] = {}
    for index in flagged:
        cleaned, changed = clean(texts[index])
        if changed:
            if out is texts:
                out = texts.copy()
            out[index] = cleaned
            kinds[index] = changed
    return out, kinds


def clean_many(style: str, texts: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """(cleaned text, kinds of change) for each text: :func:`clean_column` pair by pair."""
    cleaned, kinds = clean_column(style, texts)
    return [(text, kinds.get(i, CLEAN)) for i, text in enumerate(cleaned)]
