"""Stop a worker when the process that started it dies (`terbuka serve`'s workers).

The supervisor starts each worker with TERBUKA_PARENT_PID set to its own pid. The worker then
asks Linux to send it SIGTERM when its parent dies (prctl PR_SET_PDEATHSIG) and, everywhere,
watches its parent pid once a second as well. The Linux signal comes when the *thread* that
forked the worker ends, not the whole process: the supervisor forks from threads that live as
long as it does (its main thread and its watch thread). So a `kill -9` of `terbuka serve`
leaves no worker behind holding a port or polling the database.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PARENT_ENV = "TERBUKA_PARENT_PID"
PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0
STOP_SECONDS = 10.0


def parent_watch() -> None:
    """Stop this process with SIGTERM once the parent named by TERBUKA_PARENT_PID is gone.

    Does nothing when the variable is unset; removes it from the environment, so that this
    worker's own children do not watch the wrong parent. Never raises: without prctl (not
    Linux) the watch thread alone stops the worker, within WATCH_SECONDS.
    """
    expected = os.environ.pop(PARENT_ENV, "")
    if not expected.isdigit():
        return
    parent = int(expected)
    if sys.platform.startswith("linux"):
        _pdeathsig(signal.SIGTERM)
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()


def _pdeathsig(signum: int) -> None:
    """Ask the Linux kernel to send signum to this process when its parent thread ends."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watch thread still stops the worker


def _watch(parent: int) -> None:
    """Once this process has been re-parented (its parent died), send it SIGTERM; exit it
    outright when it is still running STOP_SECONDS later (stuck in a long wait)."""
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(STOP_SECONDS)
    os._exit(1)
