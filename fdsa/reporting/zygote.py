"""Fresh report kernels forked from a process that has done the heavy imports once.

Starting an IPython kernel and importing pandas, SciPy, plotly, DuckDB and fdsa's
analyses costs about 1.5 CPU seconds; a batch paid it for every report. A *zygote*
is a process of the kernel's interpreter that imports all that once (module caches
only: it runs no notebook code, opens no warehouse and starts no kernel) and then
forks on request. Each fork becomes one kernel: a new process with a new namespace,
its own connection file, working folder and environment, taken by one report and
shut down after it, exactly like a kernel started from scratch, but ready in a
fraction of the time because the modules are already in memory.

A batch starts one zygote (:func:`for_batch`) before its pool workers fork, and they
share it: each reads its requests (one JSON line each) from a pipe, under a file lock.
It exits when every process holding the pipe has closed it. Forked kernels name the zygote as
their parent (``--IPKernelApp.parent_handle``), so they end if it ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fdsa import locks

PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "sqlite3",
    "IPython.core.interactiveshell",
)
"""Imported by the zygote besides :data:`fdsa.reporting.kernels.WARM_MODULES`."""

LAUNCHER = ("-m", "ipykernel_launcher")
"""A kernelspec argv the zygote can stand in for: ``<python> [flags] -m ipykernel_launcher``."""


def launcher_at(cmd: list[str]) -> int:
    """Where :data:`LAUNCHER` starts in kernel command ``cmd`` when a fork of a zygote of
    this interpreter runs the same kernel (``cmd`` starts ipykernel in this
    interpreter), else 0.
    """
    from fdsa.reporting.kernels import runs_this_interpreter

    if not runs_this_interpreter(cmd) or sys.platform == "win32":
        return 0
    return next((i for i in range(1, len(cmd) - 1) if tuple(cmd[i : i + 2]) == LAUNCHER), 0)


class ForkedProcess:
    """A kernel forked by the zygote, with the part of ``Popen`` jupyter_client uses.

    The zygote, not this process, is the kernel's parent and reaps it; the kernel has
    ended once its pid is gone or a zombie.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """None while the kernel runs, else its exit status (-9 when it was killed)."""
        if self.returncode is None and not _alive(self.pid):
            self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Block until the kernel has ended (jupyter_client calls it after poll says so)."""
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        """Signal the kernel (a no-op once it has ended)."""
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        """SIGTERM."""
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL."""
        self.send_signal(signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return state not in ("Z", "X")


class Zygote:
    """A zygote process of the interpreter and flags of a kernelspec's argv.

    It is started at once and does its imports in the background; the first request
    waits for them. Processes forked after it was made (a batch's pool workers) share
    it: each request and its reply are exchanged under a file lock.
    """

    def __init__(self, python: list[str], warm_modules: tuple[str, ...]) -> None:
        request_read, self._request = os.pipe()
        self._reply, reply_write = os.pipe()
        code = (
            "import sys\n"
            "if sys.path and sys.path[0] in ('', '.'):\n"
            "    del sys.path[0]\n"
            "from fdsa.reporting.zygote import serve\n"
            f"serve({request_read}, {reply_write}, {list(warm_modules)!r})\n"
        )
        self._folder = Path(tempfile.mkdtemp(prefix="fdsa-zygote-"))
        self.process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed code
            [*python, "-c", code],
            stdin=subprocess.DEVNULL,
            pass_fds=(request_read, reply_write),
            start_new_session=True,  # a Ctrl-C in the terminal is not for the zygote
        )
        os.close(request_read)
        os.close(reply_write)
        self._owner = os.getpid()
        self._lock = threading.Lock()
        self.python = list(python)

    def alive(self) -> bool:
        """Whether the zygote runs (asked from any process that shares it)."""
        if os.getpid() == self._owner:
            return self.process.poll() is None
        return _alive(self.process.pid)

    def fork(self, argv: list[str], *, cwd: str, env: dict[str, str]) -> int:
        """Start one kernel (``argv`` after the interpreter: ``-f FILE ...``); its pid."""
        request = json.dumps({"argv": argv, "cwd": cwd, "env": env}).encode() + b"\n"
        # one process at a time writes a request and reads its reply
        with self._lock, locks.exclusive(self._folder / "lock"):
            if not self.alive():
                raise RuntimeError("the kernel zygote is not running")
            os.write(self._request, request)
            line = _read_line(self._reply, READY_SECONDS)
        reply = json.loads(line)
        if "pid" not in reply:
            raise RuntimeError(f"the kernel zygote could not fork a kernel: {reply.get('error')}")
        return int(reply["pid"])

    def close(self) -> None:
        """End the zygote (its pipes closed; killed if it does not go within 5 s).

        Only the process that started it ends it; in another (a pool worker) this is
        a no-op.
        """
        if os.getpid() != self._owner:
            return
        with self._lock:
            for fd in (self._request, self._reply):
                try:
                    os.close(fd)
                except OSError:
                    pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self._folder, ignore_errors=True)


READY_SECONDS = 120
"""How long a request waits for the zygote's reply (its imports come first)."""


def _read_line(fd: int, timeout: float) -> bytes:
    """One reply line from pipe ``fd`` (unbuffered: other processes read the pipe too)."""
    import select

    line = b""
    while not line.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            raise RuntimeError(f"the kernel zygote did not answer within {timeout:.0f} s")
        chunk = os.read(fd, 1)
        if not chunk:
            raise RuntimeError("the kernel zygote exited before it forked a kernel")
        line += chunk
    return line


def start(python: list[str], warm_modules: tuple[str, ...]) -> Zygote:
    """A zygote running ``python`` (interpreter and flags); its imports run meanwhile."""
    return Zygote(python, warm_modules)


BATCH: Zygote | None = None
"""The zygote of the running batch, shared by its pool workers (see :func:`for_batch`)."""


def _after_fork_in_child() -> None:
    if BATCH is not None:  # a lock held by another thread at the fork stays held
        BATCH._lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


@contextlib.contextmanager
def for_batch(python: list[str] | None, warm_modules: tuple[str, ...]) -> Iterator[None]:
    """Within the block, this process and the workers it forks share one zygote.

    ``python`` None (the kernelspec cannot be forked) does nothing.
    """
    global BATCH  # noqa: PLW0603 - one batch per process at a time
    if python is None or BATCH is not None or sys.platform == "win32":
        yield
        return
    BATCH = start(python, warm_modules)
    try:
        yield
    finally:
        held, BATCH = BATCH, None
        held.close()


# ------------------------------------------------------------ inside the zygote


def serve(request_fd: int, reply_fd: int, warm_modules: list[str]) -> None:
    """The zygote's loop: import, say ready, then fork one kernel per request line."""
    import gc
    import importlib

    gc.disable()  # no collection leaves holes in pages the kernels share
    for name in (*warm_modules, *PRELOAD):
        importlib.import_module(name)
    gc.freeze()  # nor do the kernels' collections write to the imported objects
    signal.signal(signal.SIGCHLD, _reap)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests = os.fdopen(request_fd, "rb")
    reply = os.fdopen(reply_fd, "wb", buffering=0)
    for line in requests:
        try:
            request = json.loads(line)
            pid = os.fork()
        except Exception as exc:  # noqa: BLE001 - said to the parent, which starts cold
            reply.write(json.dumps({"error": repr(exc)}).encode() + b"\n")
            continue
        if pid == 0:
            _become_kernel(request, (request_fd, reply_fd))
        reply.write(json.dumps({"pid": pid}).encode() + b"\n")
    os._exit(0)  # the parent is done: nothing to tidy up in a heap of imported modules


def _reap(_signum: int, _frame: Any) -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def _become_kernel(request: dict[str, Any], pipes: tuple[int, ...]) -> None:
    """In the forked child: a new session, folder and environment, then run ipykernel."""
    code = 1
    try:
        import gc

        gc.enable()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for fd in pipes:
            os.close(fd)
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _reseed()
        import ipykernel_launcher

        sys.argv = [
            ipykernel_launcher.__file__,
            *request["argv"],
            f"--IPKernelApp.parent_handle={os.getppid()}",
        ]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001 - a kernel that cannot start says why on stderr
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _reseed() -> None:
    """Fresh entropy for the legacy NumPy global generator (``random`` reseeds at fork)."""
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()
