"""Help that fits a plain 80-column terminal.

typer lays out each option's help in rich ``Columns``, which break lines only at spaces: a line
of Chinese (no spaces) wider than its column is cut with “…”. Letting such text fold at the
column's edge keeps all of it, and :class:`ChineseText` breaks it between characters, keeping
punctuation with its character (English words still wrap at spaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import wraps
from typing import Any

from rich.text import Text
from typer import rich_utils

try:  # rich's word splitter, swapped while a help text wraps (rich's own when it moved)
    from rich import _wrap as rich_wrap
except ImportError:  # pragma: no cover
    rich_wrap = None

# Chinese text has no spaces: each character is a place to break a line, except that closing
# punctuation (，。） …) stays with the character before it and opening punctuation (（“《 …)
# with the one after it, as Chinese typesetting does.
_CLOSE = "，。；：、！？）》」』】〕”’…"
_OPEN = "（《「『【〔“‘"
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2018-\u201d\u2026"
_PUNCT = re.escape(_OPEN + _CLOSE)
_PIECE = re.compile(
    rf"\s*[{re.escape(_OPEN)}]*"
    rf"(?:[^\s{_WIDE}]+|(?![{_PUNCT}])[{_WIDE}]|[{_PUNCT}])"
    rf"[{re.escape(_CLOSE)}]*\s*"
)


def cjk_words(text: str) -> Iterator[tuple[int, int, str]]:
    """The pieces a line may break between, as rich's ``words`` yields them (start, end,
    piece): a run of Latin letters and digits, or one Chinese character, each with the
    punctuation that must not be parted from it and the whitespace after it."""
    position = 0
    for match in _PIECE.finditer(text):
        start, end = match.span()
        if start != position:  # not expected: keep whatever the pattern skipped
            yield position, start, text[position:start]
        yield start, end, match.group(0)
        position = end
    if position < len(text):
        yield position, len(text), text[position:]


class ChineseText(Text):
    """A rich Text that wraps Chinese between characters (:func:`cjk_words`)."""

    __slots__ = ()

    def wrap(self, *args: Any, **kwargs: Any) -> Any:
        words = getattr(rich_wrap, "words", None)
        if words is None:  # rich changed: wrap as it does
            return super().wrap(*args, **kwargs)
        rich_wrap.words = cjk_words
        try:
            return super().wrap(*args, **kwargs)
        finally:
            rich_wrap.words = words


def fold_help_text() -> None:
    """Make typer's rich help texts fold instead of being cut (once; a no-op if typer changes)."""
    make = getattr(rich_utils, "_make_rich_text", None)
    if make is None or getattr(make, "folds", False):
        return

    @wraps(make)
    def folding(*args: Any, **kwargs: Any) -> Any:
        text = make(*args, **kwargs)
        if isinstance(text, Text):
            text.overflow = "fold"
            if type(text) is Text:
                text.__class__ = ChineseText
        return text

    folding.folds = True  # type: ignore[attr-defined]
    rich_utils._make_rich_text = folding
