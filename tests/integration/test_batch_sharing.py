"""A batch's speed-ups change nothing: spare kernels are fresh, shared results are equal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from fdsa.analysis import _cache, niches, open_warehouse, pricing
from fdsa.reporting import kernels, zygote
from fdsa.reporting.batch import run_batch
from fdsa.warehouse import db

PROBE = """
import sys
ip = get_ipython()
user = sorted(k for k in ip.user_ns if not k.startswith("_") and k not in ip.user_ns_hidden)
print(ip.execution_count, "pandas" in sys.modules, "fdsa.analysis.pricing" in sys.modules,
      __import__("os").getpid(), user)
"""


def _run(kernel: kernels.Kernel, code: str) -> str:
    """Execute ``code`` in ``kernel`` through a client of its own; its printed text."""
    import asyncio

    async def go() -> str:
        client = kernel.manager.client()
        client.start_channels()
        out: list[str] = []
        try:
            await client.wait_for_ready(timeout=60)
            await client.execute_interactive(
                code,
                timeout=60,
                output_hook=lambda m: out.append(m["content"].get("text", "")),
            )
        finally:
            client.stop_channels()
        return "".join(out)

    return asyncio.run(go())


def test_spare_kernels_are_warm_fresh_and_never_shared() -> None:
    spares = kernels.Spares()
    spares.enabled = True
    name = kernels.kernel_name()
    first, second = spares.take(name), spares.take(name)  # the first waits for its own
    try:
        assert first is not None and second is not None
        cold = kernels.start_kernel(name, warm=False)
        try:
            count0, pandas0, _, _, user0 = _run(cold, PROBE).split(maxsplit=4)
        finally:
            cold.shutdown()
        assert pandas0 == "False"
        seen = [_run(k, PROBE).split(maxsplit=4) for k in (first, second)]
        for count, has_pandas, has_fdsa, _pid, user in seen:
            # as fresh as a cold kernel: same execution count, no name left behind
            assert (count, user) == (count0, user0)
            assert has_pandas == "True" and has_fdsa == "True"  # the heavy imports are done
        assert seen[0][3] != seen[1][3]  # two reports, two kernel processes
        # forked from the zygote, which did the imports once
        assert {int(seen[0][3]), int(seen[1][3])} == {
            first.manager.provisioner.pid,
            second.manager.provisioner.pid,
        }
        assert isinstance(first.manager.provisioner.process, zygote.ForkedProcess)
        held = spares._zygote
        assert held is not None and held.process.poll() is None
    finally:
        for kernel in (first, second):
            if kernel is not None:
                kernel.shutdown()
        spares.stop()
    assert not first.manager.has_kernel and not first.cwd.exists()
    assert held.process.poll() is not None  # the zygote ends with the batch
    assert first.manager.provisioner is None or not first.manager.provisioner.has_process


def test_results_shared_across_a_batch_are_equal_and_bound_to_one_file(
    small_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(_cache.SHARED_RESULTS_ENV, "")
    with open_warehouse(small_warehouse) as con:
        alone = niches.niche_summary(con)
        model = pricing.rate_drivers(con)
    env = _cache.share_results(tmp_path / "shared", small_warehouse)
    monkeypatch.setenv(_cache.SHARED_RESULTS_ENV, env[_cache.SHARED_RESULTS_ENV])
    for _ in range(2):  # computed and stored, then read back by "another report"
        with open_warehouse(small_warehouse) as con:
            pd.testing.assert_frame_equal(niches.niche_summary(con), alone)
            pd.testing.assert_frame_equal(pricing.rate_drivers(con), model)
    stored = sorted((tmp_path / "shared").glob("*.pickle"))
    assert len(stored) >= 2
    # a copy of the warehouse is another file: nothing is read from the store
    other = tmp_path / "other.duckdb"
    other.write_bytes(small_warehouse.read_bytes())
    with open_warehouse(other) as con:
        assert _cache._store_for(con) is None
    # nor for a writable connection
    with db.connect(other, read_only=False) as con:
        assert _cache._store_for(con) is None


def test_a_batch_with_and_without_its_speed_ups_publishes_the_same_numbers(
    small_warehouse: Path, tmp_path: Path
) -> None:
    spec = tmp_path / "runs.yaml"
    # two runs that ask the same questions (the rate model, the rate drivers) and differ
    runs = [{"report": "rate_advisor", "matrix": {"niche": ["finance_fintech", "nlp"]}}]
    spec.write_text(yaml.safe_dump({"runs": runs}), encoding="utf-8")
    published = {}
    for fast in (False, True):
        results, _ = run_batch(
            spec,
            warehouse=small_warehouse,
            out_dir=tmp_path / f"out_{fast}",
            workers=1,
            force=True,
            warm=fast,
            share=fast,
        )
        assert [r.status for r in results] == ["ok"] * 2
        published[fast] = {(r.report, r.slug): r.headline_numbers for r in results}
    assert published[True] == published[False]
    assert not kernels.SPARES.enabled  # the batch turned its spares off at the end


def test_without_a_live_zygote_kernels_start_the_usual_way() -> None:
    spares = kernels.Spares()
    spares.enabled = True
    name = kernels.kernel_name()
    try:
        forked = kernels.start_kernel(name, zygote_for=spares._zygote_for)
        forked.shutdown()
        held = spares._zygote
        assert held is not None
        held.process.kill()
        held.process.wait()
        usual = kernels.start_kernel(name, zygote_for=spares._zygote_for)
        try:
            assert not isinstance(usual.manager.provisioner.process, zygote.ForkedProcess)
            _count, has_pandas, _, _pid, _user = _run(usual, PROBE).split(maxsplit=4)
            assert has_pandas == "True"  # warm all the same
        finally:
            usual.shutdown()
        assert spares._zygote is None  # a dead zygote is not asked again
    finally:
        spares.stop()
