"""Jupyter kernels for report runs: which kernelspec, and fresh kernels started ahead of need.

Every report runs in a kernel of its own that no other report has used. In a batch
the next report's kernel is started while the current one runs, and it imports the
heavy modules (pandas, plotly, DuckDB, fdsa's analyses) before it is needed: a
*spare*. The spare holds no variables and no history (the import runs silently);
it is taken by exactly one report and shut down after it.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

from fdsa.reporting import zygote
from fdsa.reporting.zygote import ForkedProcess

KERNEL_NAME = "fdsa"
"""The kernelspec ``make install`` registers in .venv; created on demand if missing."""

KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
"""The kernel's own log is noise in a batch: "running over TCP" warnings, and
"KeyboardInterrupt caught" when jupyter_client interrupts it at shutdown; errors in
cells still reach papermill through the notebook's outputs."""

WARM_MODULES = (
    "duckdb",
    "numpy",
    "pandas",
    "plotly.graph_objects",
    "plotly.io",
    # fdsa.reporting itself imports its names on first use: the modules behind them
    "fdsa.reporting.charts",
    "fdsa.reporting.display",
    "fdsa.reporting.labels",
    "fdsa.reporting.page",
    "fdsa.reporting.plan",
    "fdsa.reporting.plots",
    "fdsa.reporting.words",
    "fdsa.analysis.channels",
    "fdsa.analysis.niches",
    "fdsa.analysis.pricing",
    "fdsa.analysis.reputation",
    "fdsa.analysis.salaries",
    "fdsa.analysis.workload",
)
WARM_IMPORTS = (
    "def _fdsa_warm():\n"
    "    import importlib\n"
    f"    for name in {WARM_MODULES!r}:\n"
    "        importlib.import_module(name)\n"
    "_fdsa_warm()\n"
    "del _fdsa_warm\n"
)
"""What a spare kernel imports before a report takes it: module caches only, no name
is left in the user's namespace."""

_PYTHON_ALIASES = {"python", "python3", f"python3.{sys.version_info.minor}"}


def runs_this_interpreter(argv: list[str]) -> bool:
    """Whether a kernelspec's ``argv`` starts the Python running this process."""
    if not argv:
        return False
    if argv[0] in _PYTHON_ALIASES:  # jupyter_client starts these with sys.executable
        return True
    return Path(argv[0]).absolute() == Path(sys.executable).absolute()


def kernel_python(name: str) -> list[str] | None:
    """The interpreter and its flags that kernelspec ``name`` starts ipykernel with, when
    a zygote can stand in for it (:func:`fdsa.reporting.zygote.launcher_at`), else None.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    argv = list(KernelSpecManager().get_kernel_spec(name).argv)
    if argv and argv[0] in _PYTHON_ALIASES:  # as jupyter_client runs it
        argv[0] = sys.executable
    at = zygote.launcher_at(argv)
    return argv[:at] if at else None


@cache
def kernel_name() -> str:
    """A kernelspec that starts this interpreter: ``fdsa`` or ``python3``, else installed.

    ``make install`` registers ``fdsa`` inside .venv. On a machine without it (or
    whose ``python3`` spec points at another Python) the ``fdsa`` spec is written
    into ``sys.prefix`` now, so a run never fails with "No such kernel" nor runs
    in a foreign environment.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    specs = KernelSpecManager()
    for name in (KERNEL_NAME, "python3"):
        try:
            if runs_this_interpreter(specs.get_kernel_spec(name).argv):
                return name
        except NoSuchKernel:
            continue
    from ipykernel.kernelspec import install

    try:
        install(kernel_name=KERNEL_NAME, display_name="fdsa (.venv)", prefix=sys.prefix)
    except OSError as exc:
        raise RuntimeError(
            f"no Jupyter kernel runs {sys.executable} and none can be registered in "
            f"{sys.prefix} ({exc.strerror}); run `make install` or "
            f"`{sys.executable} -m ipykernel install --sys-prefix --name {KERNEL_NAME}`"
        ) from exc
    return KERNEL_NAME


# ---------------------------------------------------------------- spare kernels


@dataclass
class Kernel:
    """A started kernel and the private folder it runs in (its working directory)."""

    manager: Any  # jupyter_client.AsyncKernelManager that remembers its clients
    cwd: Path

    def shutdown(self) -> None:
        """Stop the kernel, close every client's sockets, remove its folder (idempotent)."""
        manager = self.manager
        try:
            if manager.has_kernel:
                asyncio.run(manager.shutdown_kernel(now=True))
        except Exception:  # noqa: BLE001,S110 - a kernel that died already is shut down
            pass
        for client in manager.clients:  # papermill leaves its client open on a kernel it
            client.stop_channels()  # does not own
        manager.clients.clear()
        shutil.rmtree(self.cwd, ignore_errors=True)


FLUSH_SECONDS = 0.02
"""How long a client waits for more IOPub messages after a kernel said it is ready
(jupyter_client waits 0.2 s, on every report's critical path)."""


@cache
def _client_class() -> type:
    """``AsyncKernelClient`` whose :meth:`wait_for_ready` flushes IOPub in a moment.

    Readiness is the same as jupyter_client's: a ``kernel_info`` reply on the shell
    channel and then a message on IOPub (the subscription works). Only the final
    flush of stale IOPub messages is shorter; a late one is ignored all the same
    (clients match IOPub messages to their request).
    """
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class Client(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    try:
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(reply)
                        break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
            while True:
                try:
                    await self.iopub_channel.get_msg(timeout=FLUSH_SECONDS)
                except Empty:
                    break

    return Client


@cache
def _manager_class() -> type:
    """``AsyncKernelManager`` that keeps the clients it hands out, to close them."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    class Manager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.clients: list[Any] = []
            self.zygote_for: Callable[[list[str]], Any] | None = None
            self.client_factory = _client_class()

        def client(self, **kwargs: Any) -> Any:
            made = super().client(**kwargs)
            self.clients.append(made)
            return made

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            """Fork the kernel from a zygote when one serves this command, else Popen."""
            provisioner = self.provisioner
            at = zygote.launcher_at(kernel_cmd)
            parent = None
            if self.zygote_for is not None and at and type(provisioner) is LocalProvisioner:
                parent = self.zygote_for(kernel_cmd[:at])
            if parent is None:
                await super()._async_launch_kernel(kernel_cmd, **kw)
                return
            cwd = str(kw.get("cwd") or Path.cwd())
            env = dict(kw.get("env") or os.environ)
            pid = parent.fork(kernel_cmd[at + 2 :], cwd=cwd, env=env)
            provisioner = cast("LocalProvisioner", provisioner)  # checked above
            provisioner.process = cast("subprocess.Popen[Any]", ForkedProcess(pid))  # duck-typed
            provisioner.pid = provisioner.pgid = pid  # the fork runs in a session of its own
            provisioner.cwd = cwd
            self._reconcile_connection_info(provisioner.connection_info)

    return Manager


async def _start(
    name: str, *, warm: bool, timeout: float, zygote_for: Callable[[list[str]], Any] | None
) -> Kernel:
    cwd = Path(tempfile.mkdtemp(prefix="fdsa-kernel-"))
    manager = _manager_class()(kernel_name=name)
    manager.zygote_for = zygote_for
    await manager.start_kernel(extra_arguments=list(KERNEL_ARGUMENTS), cwd=str(cwd))
    kernel = Kernel(manager, cwd)
    if not warm:
        return kernel
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=timeout)
        reply = await client.execute_interactive(
            WARM_IMPORTS,
            silent=True,  # no execution count, no history: the notebook starts at [1]
            store_history=False,
            timeout=timeout,
            output_hook=lambda _msg: None,
        )
        if reply["content"]["status"] != "ok":
            raise RuntimeError("the spare kernel could not import fdsa")
    finally:
        client.stop_channels()
    return kernel


def start_kernel(
    name: str,
    *,
    warm: bool = True,
    timeout: float = 120,
    zygote_for: Callable[[list[str]], Any] | None = None,
) -> Kernel:
    """Start a kernel of spec ``name`` (with :data:`WARM_IMPORTS` done when ``warm``).

    ``zygote_for(python)``, when given, returns a :class:`~fdsa.reporting.zygote.Zygote`
    of that interpreter to fork the kernel from (or None: the kernel is started anew).
    """
    return asyncio.run(_start(name, warm=warm, timeout=timeout, zygote_for=zygote_for))


class Spares:
    """At most one kernel started ahead of need, for the next report of this process."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        """Start empty: also in a forked child, which has the parent's objects but not
        its threads (a pool inherited from the parent would never run what it is given).
        """
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fdsa-spare")
        self._next: tuple[str, Future[Kernel]] | None = None
        self._zygote: zygote.Zygote | None = None  # a forked child's copy is its parent's
        self._zygote_failed = False
        self.enabled = False

    def _zygote_for(self, python: list[str]) -> zygote.Zygote | None:
        """The zygote of interpreter ``python`` (started on first use), or None if it
        cannot start (kernels are then started anew, as without one).
        """
        batch = zygote.BATCH
        if batch is not None and batch.python == python and batch.alive():
            return batch  # the batch's, shared by its workers
        held = self._zygote
        if held is not None and held.python == python and held.alive():
            return held
        if held is not None:  # another interpreter, or it died: not tried again
            self._zygote_failed = self._zygote_failed or not held.alive()
            held.close()
            self._zygote = None
        if self._zygote_failed or not self.enabled:
            return None
        try:
            self._zygote = zygote.start(python, WARM_MODULES)
        except Exception:  # noqa: BLE001 - no zygote: kernels start the usual way
            self._zygote_failed = True
        return self._zygote

    def _start_spare(self, name: str) -> Kernel:
        return start_kernel(name, zygote_for=self._zygote_for)

    def take(self, name: str) -> Kernel | None:
        """A fresh kernel of spec ``name`` for the report asking (and the next one is begun).

        Normally the spare started while the previous report ran. The first report of
        a batch (or the first of another spec) waits for one started now: forked from
        the zygote (which starts with it), it is ready about as soon as a kernel started
        the usual way, and the zygote it starts serves every later report.
        """
        stale = None
        with self._lock:
            if not self.enabled:
                return None
            waiting, self._next = self._next, None
            if waiting is None or waiting[0] != name:
                stale, waiting = waiting, (name, self._pool.submit(self._start_spare, name))
            self._next = (name, self._pool.submit(self._start_spare, name))
        if stale is not None:
            _discard(stale[1])
        try:
            return waiting[1].result(timeout=SPARE_WAIT_SECONDS)
        except Exception:  # noqa: BLE001 - a spare that failed or hangs: start cold instead
            return None

    def stop(self) -> None:
        """Stop starting spares and shut down the one waiting, if any."""
        with self._lock:
            self.enabled, waiting, self._next = False, self._next, None
        if waiting is not None:
            _discard(waiting[1])
        shutdowns_done()
        held, self._zygote = self._zygote, None
        if held is not None:
            held.close()


_SHUTDOWNS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fdsa-shutdown")
_PENDING: set[Future[None]] = set()


def _fresh_shutdowns() -> None:
    """In a forked child: a pool of its own (the parent's thread is not in the child)."""
    global _SHUTDOWNS, _PENDING  # noqa: PLW0603 - per-process state, reset at fork
    _SHUTDOWNS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fdsa-shutdown")
    _PENDING = set()


os.register_at_fork(after_in_child=_fresh_shutdowns)


def shut_down_later(kernel: Kernel) -> None:
    """Shut ``kernel`` down in the background: the report that used it is done, and
    the next one need not wait for it. :func:`shutdowns_done` waits for all of them.
    """
    try:
        future = _SHUTDOWNS.submit(kernel.shutdown)
    except RuntimeError:  # the interpreter is exiting: now, then
        kernel.shutdown()
        return
    _PENDING.add(future)
    future.add_done_callback(_PENDING.discard)


def shutdowns_done() -> None:
    """Return once every kernel handed to :func:`shut_down_later` is shut down."""
    for future in list(_PENDING):
        future.result()


def _discard(future: Future[Kernel]) -> None:
    try:
        future.result().shutdown()
    except Exception:  # noqa: BLE001,S110 - nothing to shut down
        pass


SPARE_WAIT_SECONDS = 180
"""How long a report waits for its spare before starting a kernel itself."""

SPARES = Spares()
"""This process's spare kernels; off unless a batch turns them on (:func:`ahead_of_need`)."""
atexit.register(SPARES.stop)
os.register_at_fork(after_in_child=SPARES._reset)


def ahead_of_need() -> None:
    """Start the next report's kernel while the current one runs, from now on.

    For batch workers. The spare left at the end is shut down by :meth:`Spares.stop`
    (called at exit, also in pool workers, which skip ``atexit``).
    """
    if SPARES.enabled:
        return
    SPARES.enabled = True
    import multiprocessing
    from multiprocessing import util

    if multiprocessing.parent_process() is not None:  # a pool worker: finalizers, not atexit
        util.Finalize(None, SPARES.stop, exitpriority=10)
