"""Counting what reading changed, by file and kind.

Kinds are fixed slugs (their Chinese labels are presentation:
:data:`catalog_cli.report.normalize.CHANGE_LABELS`); ``catalog normalize`` prints and writes the
counts per file. The cleaners themselves are in :mod:`catalog_cli.model.text`.
"""

from __future__ import annotations

from collections import Counter


class Changes:
    """Counts of value changes per (file, kind)."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, file: str, kind: str, n: int = 1) -> None:
        self.counts[(file, kind)] += n

    def by_file(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (file, kind), n in sorted(self.counts.items()):
            out.setdefault(file, {})[kind] = n
        return out

    def by_kind(self) -> dict[str, int]:
        totals: Counter[str] = Counter()
        for (_, kind), n in self.counts.items():
            totals[kind] += n
        return dict(sorted(totals.items()))

    def counter(self, file: str):  # type: ignore[no-untyped-def]
        """A callback for :func:`catalog_cli.read.values.converter` that counts into ``file``."""

        def count(kinds: tuple[str, ...]) -> None:
            for kind in kinds:
                self.counts[(file, kind)] += 1

        return count
