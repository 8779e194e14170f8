"""The process-wide garbage-collection and memory policies, stated once.

Entry points apply them: the console command (:func:`catalog_cli.cli.main`) and every worker process
the pipeline starts (:mod:`catalog_cli.ingest.shards`; a spawned worker inherits nothing). Library
calls never touch the collector or the allocator: they run with them as their caller has them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

import pyarrow as pa


def set_gc_policy() -> None:
    """Switch Python's cyclic garbage collector off for the rest of this process.

    A command builds one large catalog that holds no reference cycles and then exits, so reference
    counting frees everything; left on, the collector rescans millions of live records every so
    often and finds nothing to free (a third of the reading time on a 100k-item catalog).
    """
    gc.disable()


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
MMAP_THRESHOLD = 128 * 1024  # glibc's default starting value, kept fixed


def set_memory_policy() -> None:
    """Keep freed memory from piling up in this process (validate of the 100k-leaf bench
    workbook peaked at 1.6 GB; with this, about 0.9 GB).

    - Arrow allocates from the C library's heap (``malloc``) instead of its own pool (mimalloc),
      which cannot reuse what fastexcel frees once a sheet is in Arrow.
    - glibc's ``malloc`` gives every block of 128 KiB or more its own mapping, returned to the
      system when freed. By default it raises that threshold each time such a block is freed,
      after which the column-sized temporaries of the checks come from the heap and leave it
      fragmented. Elsewhere than glibc this part does nothing.
    """
    pa.set_memory_pool(pa.system_memory_pool())
    mallopt = getattr(_libc(), "mallopt", None)
    if mallopt is not None:
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
