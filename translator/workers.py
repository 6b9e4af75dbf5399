"""Worker processes for `--jobs`: started by a fork server, never forked from the run.

When a run reads or writes articles in parallel its engines are already running
here: Apertium's relay and writer threads and stage processes, CTranslate2's
threads. A fork (Linux's default way to start a worker) would copy this process
mid-use: a lock another thread holds stays held for ever in the copy, and the copy
holds our ends of the engine's pipes. A fork server is a fresh process that forks
the workers instead.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

# Imported once by the fork server, so that each worker starts with them loaded
# rather than importing them itself: these hold what the workers run.
_PRELOAD = ["translator.collect", "translator.write"]


def worker_pool(jobs: int, **options: Any) -> ProcessPoolExecutor:
    """A pool of `jobs` worker processes started by a fork server; `options` are
    ProcessPoolExecutor's (initializer, initargs...)."""
    context = multiprocessing.get_context("forkserver")
    # Read when the fork server starts, the first time a pool needs it; later calls
    # change nothing.
    context.set_forkserver_preload(_PRELOAD)
    return ProcessPoolExecutor(jobs, mp_context=context, **options)
