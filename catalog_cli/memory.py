"""Helpers for building and writing large catalogs quickly."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a block builds or walks many objects.

    The catalog model holds no reference cycles, so reference counting frees everything; the
    collector would only rescan millions of new objects over and over (a third of the reading
    time on a 100k-item catalog). Nested uses are fine; the previous state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
