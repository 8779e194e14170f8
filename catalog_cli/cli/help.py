"""Help that fits a plain 80-column terminal.

typer lays out each option's help in rich ``Columns``, which break lines only at spaces: a line
of Chinese (no spaces) wider than its column is cut with “…”. Letting such text fold at the
column's edge keeps all of it (English words still wrap at spaces first).
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from rich.text import Text
from typer import rich_utils


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
        return text

    folding.folds = True  # type: ignore[attr-defined]
    rich_utils._make_rich_text = folding
