"""Run a background worker's rounds: `terbuka log sequence --loop` and `terbuka ocds bulk --loop`.

Both poll: do one round of work, wait, repeat until SIGTERM or SIGINT. A database that
restarts, a lock held too long or a lost connection must not end the worker (`terbuka serve`
would restart it, but a worker run elsewhere, e.g. under systemd, should not need that).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType

from django.db import Error as DatabaseError
from django.db import close_old_connections


def rounds_run(
    work: Callable[[], None],
    *,
    loop: bool,
    interval: float,
    name: str,
    report: Callable[[str], None],
    retry_on: tuple[type[Exception], ...] = (),
) -> None:
    """Run work once, or with loop every interval seconds until SIGTERM or SIGINT.

    In a loop a database error (django.db.Error: OperationalError, InterfaceError, …) or one of
    retry_on is reported as one line `NAME: ERROR; next round in N s`, the connections that
    are broken or old are closed, and the next round tries again. A signal ends the loop after
    the current round, without waiting out the interval. Without loop every error propagates.
    """
    stopping = threading.Event()
    if loop:

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
    while True:
        if loop:  # a connection past CONN_MAX_AGE or left broken is replaced (not in a
            close_old_connections()  # single run: the caller may hold a transaction open)
        try:
            work()
        except (DatabaseError, *retry_on) as exc:
            if not loop:
                raise
            report(f"{name}: {exc}; next round in {interval:g} s")
            close_old_connections()
        if not loop or stopping.wait(interval):
            return
