"""Array helpers of the simulation: Arrow columns, group ranks, as-of lookups.

Everything here works on whole numpy arrays; nothing loops per row.
"""

from __future__ import annotations

import functools
from typing import Literal

import numpy as np
import pyarrow as pa

DAY = 86_400
WEEK = 7 * DAY
YEAR = 365.25 * DAY
DATA_START = 1_609_459_200  # 2021-01-01T00:00:00Z
DATA_END = 1_767_225_600  # 2026-01-01T00:00:00Z (exclusive)
STEP0 = DATA_START - 4 * DAY  # Monday 2020-12-28: weekly steps start here
_SHIFT = np.int64(1) << np.int64(31)  # seconds since STEP0 fit below this (68 years)


# ---------------------------------------------------------------- Arrow columns


_TIMESTAMP = pa.timestamp("s", tz="UTC")


def ts(seconds: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Epoch seconds as a UTC timestamp array (null where ``valid`` is False)."""
    return masked(seconds.astype(np.int64), valid, _TIMESTAMP)


def masked(
    values: np.ndarray, valid: np.ndarray | None = None, arrow_type: pa.DataType | None = None
) -> pa.Array:
    """A numeric array of ``values`` (null where ``valid`` is False), without a copy:
    ``pa.array(values, mask=~valid)`` as numpy buffers (a packed validity bitmap).
    """
    values = np.ascontiguousarray(values)
    bitmap = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
    if arrow_type is None:
        arrow_type = pa.from_numpy_dtype(values.dtype)
    return pa.Array.from_buffers(arrow_type, len(values), [bitmap, pa.py_buffer(values)])


def shown_rating(stars_tenths: np.ndarray, n_reviews: np.ndarray) -> np.ndarray:
    """Mean stars rounded half up to hundredths, as a profile shows it (NaN without reviews).

    Computed from the exact integer sum of stars in tenths, so the warehouse view
    ``reputation_steps`` gets bit-identical values with integer division:
    ``(20 * tenths + n) // (2 * n) / 100``.
    """
    n = np.asarray(n_reviews, dtype=np.int64)
    safe = np.maximum(n, 1)
    hundredths = (20 * np.asarray(stars_tenths, dtype=np.int64) + safe) // (2 * safe)
    return np.where(n > 0, hundredths / 100, np.nan)


@functools.lru_cache(maxsize=64)
def _vocabulary(words: tuple[str, ...]) -> pa.Array:
    return pa.array(list(words), type=pa.string())


def strings(index: np.ndarray, vocabulary: tuple[str, ...] | list[str]) -> pa.Array:
    """Codes into ``vocabulary`` as a dictionary-encoded string array (the codes and
    the shared vocabulary: no string is copied per row; DuckDB stores the strings).
    """
    return pa.DictionaryArray.from_arrays(index.astype(np.int32), _vocabulary(tuple(vocabulary)))


def string_lists(
    offsets: np.ndarray, values: np.ndarray, vocabulary: tuple[str, ...] | list[str]
) -> pa.Array:
    """Lists of codes into ``vocabulary`` (``offsets`` delimit the rows) as string lists."""
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), strings(values, vocabulary))


# ---------------------------------------------------------------- draws and groups


def pick_per_row(rng: np.random.Generator, choices_per_row: np.ndarray) -> np.ndarray:
    """Uniform pick in ``[0, choices)`` for each row."""
    return np.minimum(
        (rng.random(len(choices_per_row)) * choices_per_row).astype(np.int64), choices_per_row - 1
    )


def logistic(x: np.ndarray | float) -> np.ndarray:
    """1 / (1 + exp(-x))."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def run_starts(sorted_values: np.ndarray) -> np.ndarray:
    """True where a run of equal values starts in a sorted array."""
    return np.r_[True, sorted_values[1:] != sorted_values[:-1]][: len(sorted_values)]


def within_group_rank(groups: np.ndarray) -> np.ndarray:
    """0-based position of each row within its run of equal (sorted) group values."""
    starts = run_starts(groups)
    idx = np.arange(len(groups))
    return idx - np.maximum.accumulate(np.where(starts, idx, 0))


def cumulative_within_group(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Running sum of ``values`` within each run of equal (sorted) ``groups``, inclusive."""
    total = np.cumsum(values)
    starts = run_starts(groups)
    before = np.r_[0, total][np.flatnonzero(starts)][np.cumsum(starts) - 1]
    return total - before


def unique_ints(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of integers: sort, then keep the first of each run.

    numpy 2.4's ``np.unique`` takes ~30x longer than this on 200k int64 values.
    """
    ordered = np.sort(values)
    return ordered[run_starts(ordered)]


def lex_order(*keys: np.ndarray) -> np.ndarray:
    """``np.lexsort(keys)`` (the last key is the primary one) for integer keys.

    The keys pack into one int64 (each shifted to start at 0) when their ranges allow,
    and one sort of the packed key replaces lexsort's sort per key: an unstable sort
    when the packed keys are distinct (the order is then the only one), a stable one
    otherwise. Either way the result equals ``np.lexsort(keys)``.
    """
    n = len(keys[0])
    if n < 2:
        return np.arange(n)
    packed = np.zeros(n, dtype=np.int64)
    span = 1
    for key in reversed(keys):
        if key.dtype.kind not in "iu":
            return np.lexsort(keys)
        low, high = int(key.min()), int(key.max())
        span *= high - low + 1
        if span >= 1 << 62:
            return np.lexsort(keys)
        packed = packed * (high - low + 1) + (key.astype(np.int64) - low)
    order = np.argsort(packed)
    ordered = packed[order]
    if (ordered[1:] == ordered[:-1]).any():
        order = np.argsort(packed, kind="stable")
    return order


# ---------------------------------------------------------------- as-of lookups


def sorted_search(
    haystack: np.ndarray,
    needles: np.ndarray,
    side: Literal["left", "right"] = "left",
    order: np.ndarray | None = None,
) -> np.ndarray:
    """``np.searchsorted`` for unsorted needles, sorting them first.

    numpy narrows each search with the previous result when the needles come in
    order, which makes many random lookups into a large array several times faster.
    ``order`` (an argsort of ``needles``, or one close to it) saves the sort when
    several searches share the needles; any order gives the same result.
    """
    if order is None:
        if len(needles) < 64:
            return np.searchsorted(haystack, needles, side=side)
        order = np.argsort(needles)
    out = np.empty(len(needles), dtype=np.int64)
    out[order] = np.searchsorted(haystack, needles[order], side=side)
    return out


def _fits(keys: np.ndarray, at: np.ndarray) -> bool:
    """Whether ``keys * _SHIFT + (at - STEP0)`` packs (key, time) without overlap."""
    return bool(
        len(keys)
        and keys.min() >= 0
        and keys.max() < _SHIFT
        and at.min() >= STEP0
        and at.max() - STEP0 < _SHIFT
    )


def _exact_sums(values: np.ndarray) -> bool:
    """Whether float sums of ``values`` in any order are exact: integers, total < 2**53."""
    v = np.asarray(values, dtype=float)
    return bool((v == np.trunc(v)).all()) and float(np.abs(v).sum()) < 2.0**53


def query_order(keys: np.ndarray, at: np.ndarray) -> np.ndarray:
    """An order of as-of queries by key (then time where they pack), for lookups that
    share the queries: sorted needles search faster, and any order gives the same result.
    """
    if _fits(keys, at):
        return np.argsort(keys * _SHIFT + (at - STEP0))
    return np.argsort(keys)


def asof_count_sum(
    keys: np.ndarray,
    at: np.ndarray,
    values: np.ndarray,
    query_keys: np.ndarray,
    query_at: np.ndarray,
    order: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """For each query, the count and sum of ``values`` of entries with the same key
    and ``at`` strictly before the query's time.

    (key, time) packs into one int64 for a single sorted search: keys below 2**31
    directly, other int64 keys by their rank among the entries' keys (the same
    order, so the same sums). Only queries whose key has entries are searched: a
    dense count per key (small keys) or the ranks tell which. Entries after every
    query are dropped first when the sums are exact anyway (integer values).
    ``order`` is :func:`query_order` of the queries.
    """
    n = len(query_keys)
    if len(keys) and n and _exact_sums(values):
        early = np.flatnonzero(at < query_at.max())  # the others are after every query
        if len(early) < len(keys):
            keys, at, values = keys[early], at[early], np.asarray(values)[early]
    if len(keys) == 0 or n == 0:
        return np.zeros(n), np.zeros(n)
    if order is None:
        order = query_order(query_keys, query_at)
    fits = _fits(keys, at) and _fits(query_keys, query_at)
    size = int(max(keys.max(), query_keys.max())) + 1 if fits else 0
    dense = fits and size <= 8 * (len(keys) + n)  # a count per key costs little
    if dense:
        per_key = np.bincount(keys, minlength=size)
        known = per_key[query_keys] > 0
    else:
        distinct = unique_ints(keys)
        q_rank = np.minimum(sorted_search(distinct, query_keys, order=order), len(distinct) - 1)
        known = distinct[q_rank] == query_keys
    if fits:
        packed = keys.astype(np.int64) * _SHIFT + (at - STEP0)
    else:
        packed = np.searchsorted(distinct, keys).astype(np.int64) * _SHIFT + (at - STEP0)
    by_time = np.argsort(packed, kind="stable")
    packed = packed[by_time]
    running = np.r_[0.0, np.cumsum(np.asarray(values, dtype=float)[by_time])]
    searched = order[known[order]]  # in key order: sorted needles search faster
    base = (query_keys if fits else q_rank)[searched].astype(np.int64) * _SHIFT
    if dense:
        lo = (np.cumsum(per_key) - per_key)[query_keys[searched]]  # entries of smaller keys
    else:
        lo = np.searchsorted(packed, base, side="left")
    hi = np.searchsorted(packed, base + (query_at[searched] - STEP0), side="left")
    count, total = np.zeros(n), np.zeros(n)
    count[searched] = hi - lo
    total[searched] = running[hi] - running[lo]
    return count, total


def asof_last(
    keys: np.ndarray,
    at: np.ndarray,
    tiebreak: np.ndarray,
    query_keys: np.ndarray,
    query_at: np.ndarray,
) -> np.ndarray:
    """Index of the entry with the query's key and the latest ``at`` strictly before
    the query's time (ties: the largest ``tiebreak``); -1 where there is none.
    """
    n = len(query_keys)
    if len(keys) == 0 or n == 0:
        return np.full(n, -1, dtype=np.int64)
    early = np.flatnonzero(at < query_at.max())  # the others are after every query
    if len(early) < len(keys):
        found = asof_last(keys[early], at[early], tiebreak[early], query_keys, query_at)
        return np.where(found >= 0, early[np.maximum(found, 0)], -1) if len(early) else found
    if _fits(keys, at) and _fits(query_keys, query_at):
        packed = keys.astype(np.int64) * _SHIFT + (at - STEP0)
        base = query_keys.astype(np.int64) * _SHIFT
        known = True  # a key without entries finds only smaller packed keys
    else:
        distinct = unique_ints(keys)
        rank = np.searchsorted(distinct, keys)
        q_rank = np.minimum(np.searchsorted(distinct, query_keys), len(distinct) - 1)
        known = distinct[q_rank] == query_keys
        packed = rank.astype(np.int64) * _SHIFT + (at - STEP0)
        base = q_rank.astype(np.int64) * _SHIFT
    if len(tiebreak) < 2 or (tiebreak[1:] > tiebreak[:-1]).all():
        order = np.argsort(packed, kind="stable")  # row order is tiebreak order
    else:
        order = np.lexsort((tiebreak, packed))
    packed = packed[order]
    pos = np.searchsorted(packed, base + (query_at - STEP0), side="left") - 1
    found = known & (pos >= 0) & (packed[np.maximum(pos, 0)] >= base)
    return np.where(found, order[np.maximum(pos, 0)], -1)


class PairSet:
    """A growing set of int64 keys (e.g. freelancer-client pairs), kept sorted."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)

    def add(self, new: np.ndarray) -> None:
        """Add ``new`` keys (duplicates and keys already present are ignored)."""
        new = unique_ints(new)
        if len(new) == 0:
            return
        if len(self.keys) == 0:
            self.keys = new.astype(np.int64)
            return
        pos = np.searchsorted(self.keys, new)
        present = self.keys[np.minimum(pos, len(self.keys) - 1)] == new
        self.keys = np.insert(self.keys, pos[~present], new[~present])

    def contains(self, query: np.ndarray, order: np.ndarray | None = None) -> np.ndarray:
        """Whether each query key is in the set (``order``: as for :func:`sorted_search`)."""
        if len(self.keys) == 0:
            return np.zeros(len(query), dtype=bool)
        pos = np.minimum(sorted_search(self.keys, query, order=order), len(self.keys) - 1)
        return self.keys[pos] == query
