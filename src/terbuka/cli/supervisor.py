"""Run `terbuka` worker processes, restart those that die, and reclaim a dead run's leftovers.

`terbuka serve` starts the log sequencer, the bulk file builder and the demo witnesses with a
Supervisor. A worker that exits is started again after a delay that doubles with each exit in
a row (base, 2·base, 4·base, … up to cap) and falls back to base once the worker has run for
`healthy` seconds; each exit is logged as one line naming the worker, how it ended and when it
is tried again. Each worker stops when the supervisor dies (terbuka.cli.parent). The pid file
names the supervisor and its workers with their start times, so the next run can tell them
from unrelated processes that reuse a pid, stop them, and refuse to run beside a live one.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from terbuka.cli.parent import PARENT_ENV

TERMINATE_SECONDS = 30.0
RECLAIM_SECONDS = 5.0


class WorkerStartError(Exception):
    """Raised when a worker that announces itself exits before it does on its first start."""

    def __init__(self, worker: Worker) -> None:
        super().__init__(worker.name)
        self.worker = worker


class AlreadyRunningError(Exception):
    """Raised when the pid file names a supervisor that is still running."""

    def __init__(self, pid: int) -> None:
        super().__init__(pid)
        self.pid = pid


@dataclass
class Worker:
    """Hold one worker: `terbuka ARGV`, and whether it prints `listening on …` once ready."""

    name: str
    argv: list[str]
    announces: bool = False
    process: subprocess.Popen[str] | None = None
    started: float = 0.0
    failures: int = 0
    due: float | None = field(default=None, repr=False)


def start_time(pid: int) -> str | None:
    """Return the start time of process pid (Linux: clock ticks since boot), None if unknown.

    Returns None when the process does not exist, has exited (a zombie) or /proc is not
    there (not Linux).
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()  # from field 3 on; the name in () may hold spaces
    return None if fields[0] in ("Z", "X") else fields[19]


def port_holder(port: int) -> str | None:
    """Return `pid N (COMMAND LINE)` of the process listening on TCP port, None if unknown.

    Linux only (/proc/net/tcp and tcp6, then the socket's inode among /proc/PID/fd); a process
    of another user cannot be seen, and then None is returned too.
    """
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # LISTEN
                inodes.add(f"socket:[{fields[9]}]")
    for fd in Path("/proc").glob("[0-9]*/fd/*") if inodes else ():
        try:
            if os.readlink(fd) in inodes:
                pid = fd.parent.parent.name
                command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                return f"pid {pid} ({' '.join(command.replace(chr(0), ' ').split())[:200]})"
        except OSError:
            continue
    return None


def exit_description(code: int) -> str:
    """Describe a Popen return code: `exit code 3` or `signal SIGKILL`."""
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


class Supervisor:
    """Start workers, restart each one that dies with bounded exponential backoff, stop them.

    Workers are started from the caller's thread, restarted from one watch thread that runs
    until stop(): both live as long as the supervisor, as PR_SET_PDEATHSIG needs.
    """

    def __init__(
        self,
        workers: list[Worker],
        *,
        pidfile: Path,
        log: TextIO = sys.stderr,
        base: float = 1.0,
        cap: float = 60.0,
        healthy: float = 60.0,
        poll: float = 0.2,
    ) -> None:
        self.workers = workers
        self.pidfile = pidfile
        self.log = log
        self.base, self.cap, self.healthy, self.poll = base, cap, healthy, poll
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="supervisor", daemon=True)

    def start(self) -> None:
        """Start every worker in order, write the pid file, then watch them.

        Raises WorkerStartError (after stopping those started) when a worker that announces
        itself exits before saying it listens.
        """
        for worker in self.workers:
            if not self._spawn(worker):
                self.stop()
                raise WorkerStartError(worker)
        self._pidfile_write()
        self._thread.start()

    def stop(self) -> None:
        """Stop watching, send SIGTERM to every worker, SIGKILL those still running after
        TERMINATE_SECONDS, and remove the pid file."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        running = [w.process for w in self.workers if w.process and w.process.poll() is None]
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(timeout=TERMINATE_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.pidfile.unlink(missing_ok=True)

    def _spawn(self, worker: Worker) -> bool:
        """Start worker; return False when it announces itself and exited before it did."""
        worker.process = subprocess.Popen(
            [sys.executable, "-m", "terbuka.cli.main", *worker.argv],
            env={**os.environ, PARENT_ENV: str(os.getpid())},
            stdout=subprocess.PIPE if worker.announces else None,
            text=True,
        )
        worker.started, worker.due = time.monotonic(), None
        if worker.announces:
            assert worker.process.stdout is not None
            if not worker.process.stdout.readline().startswith("listening on "):
                worker.process.wait(timeout=TERMINATE_SECONDS)
                return False
        return True

    def _watch(self) -> None:
        """Every poll seconds, schedule a restart for each worker that exited, and restart
        those whose delay has passed."""
        while not self._stopping.wait(self.poll):
            for worker in self.workers:
                self._check(worker)

    def _check(self, worker: Worker) -> None:
        """Log and schedule the restart of worker if it exited; restart it when due."""
        process = worker.process
        now = time.monotonic()
        if worker.due is None and process is not None and process.poll() is not None:
            assert process.returncode is not None
            if now - worker.started >= self.healthy:
                worker.failures = 0
            delay = min(self.base * 2**worker.failures, self.cap)
            worker.failures += 1
            worker.due = now + delay
            self.log.write(
                f"serve: pekerja/worker {worker.name} (pid {process.pid}) ended with "
                f"{exit_description(process.returncode)}; restarting in {delay:g} s\n"
            )
            self.log.flush()
        if worker.due is not None and now >= worker.due and not self._stopping.is_set():
            self._spawn(worker)  # one that fails to announce is caught by the next check
            self._pidfile_write()

    def _pidfile_write(self) -> None:
        """Write the supervisor's and workers' pids and start times (temporary file, rename)."""
        me = os.getpid()
        record: dict[str, Any] = {
            "serve": [me, start_time(me)],
            "workers": {
                w.name: [w.process.pid, start_time(w.process.pid)]
                for w in self.workers
                if w.process is not None
            },
        }
        tmp = self.pidfile.with_name(f".{self.pidfile.name}.{me}")
        tmp.write_text(json.dumps(record), encoding="utf-8")
        os.replace(tmp, self.pidfile)


def _alive(entry: Any) -> int | None:
    """Return the pid of a pid-file entry [pid, start time] when that very process runs."""
    if not isinstance(entry, list) or len(entry) != 2 or not isinstance(entry[0], int):
        return None
    pid, started = entry
    return pid if started is not None and start_time(pid) == started else None


def previous_run_reclaim(pidfile: Path, log: TextIO = sys.stderr) -> None:
    """Stop the workers a dead supervisor of this pid file left running, logging each.

    A process counts only when its pid and start time both match the file (a reused pid is
    someone else's process). Raises AlreadyRunningError when the supervisor itself still
    runs. An unreadable or malformed pid file is ignored (it is rewritten on start).
    """
    try:
        record = json.loads(pidfile.read_text(encoding="utf-8"))
        serve, workers = record["serve"], dict(record["workers"])
    except (OSError, ValueError, KeyError, TypeError):
        return
    serve_pid = _alive(serve)
    if serve_pid is not None and serve_pid != os.getpid():
        raise AlreadyRunningError(serve_pid)
    left = {name: pid for name, entry in workers.items() if (pid := _alive(entry)) is not None}
    for name, pid in left.items():
        log.write(f"serve: stopping worker {name} (pid {pid}) left by a previous run\n")
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + RECLAIM_SECONDS
    for pid in left.values():
        while start_time(pid) is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        if start_time(pid) is not None:
            _signal(pid, signal.SIGKILL)
    log.flush()
    pidfile.unlink(missing_ok=True)


def _signal(pid: int, signum: int) -> None:
    """Send signum to pid, which may have exited meanwhile."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)
