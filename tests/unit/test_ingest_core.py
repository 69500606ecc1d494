"""Helpers of fdsa.ingest: line counting, feed label parsing, country names."""

from __future__ import annotations

import pytest

from fdsa import taxonomy
from fdsa.ingest import feed_json
from fdsa.ingest import scan as file_scan


@pytest.mark.parametrize(
    ("data", "lines"),
    [(b"", 0), (b"a", 1), (b"a\n", 1), (b"a\r\nb", 2), (b"a\rb\r", 2), (b"a\n\nb\n", 3)],
)
def test_scan_file_counts_physical_lines(tmp_path, data, lines):
    path = tmp_path / "f"
    path.write_bytes(data)
    assert file_scan.scan_file(path).n_lines == lines


def test_lines_of_offsets(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"h\r\nab\rc\nd")
    assert file_scan.scan_file(path).lines_of([0, 3, 6, 8]) == {0: 1, 3: 2, 6: 3, 8: 4}


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1 << 20])
def test_scan_agrees_with_python_across_chunk_edges(tmp_path, monkeypatch, chunk):
    """Break offsets and line counts match str.splitlines, whatever the chunk size."""
    import random

    rng = random.Random(chunk)
    data = bytes(rng.choice(b"ab\r\n") for _ in range(500))
    path = tmp_path / "f"
    path.write_bytes(data)
    monkeypatch.setattr(file_scan, "CHUNK_BYTES", chunk)
    scan = file_scan.scan_file(path)
    text = data.decode("ascii")
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    starts = starts[:-1]  # offset of the first byte of each line
    assert scan.n_lines == len(starts)
    assert scan.lines_of(starts) == {offset: n for n, offset in enumerate(starts, start=1)}


def test_feed_labels_survive_html():
    text = (
        "<p>Hi</p><b>Hourly Range</b>: $15.00-$35.00<br /><b>Posted On</b>: February 17, 2024"
        " 09:09 UTC<br /><b>Category</b>: Data Science &amp; Analytics<br /><b>Skills</b>:"
        "Python,  SQL ,<br /><b>Country</b>: United States"
    )
    got = feed_json.labelled_fields(text)
    assert got == {
        "hourly_low": "$15.00",
        "hourly_high": "$35.00",
        "budget": None,
        "posted": "February 17, 2024 09:09 UTC",
        "category": "Data Science & Analytics",
        "skills": ["Python", "SQL"],
        "country": "United States",
    }


def test_feed_dates_to_iso():
    assert feed_json.iso_timestamp("Sat, 17 Feb 2024 09:09:54 +0000") == "2024-02-17T09:09:54+00:00"
    assert feed_json.iso_timestamp("Sat, 17 Feb 2024 09:09:54 GMT") == "2024-02-17T09:09:54+00:00"
    assert feed_json.iso_timestamp("February 17, 2024 09:09 UTC") == "2024-02-17T09:09:00+00:00"
    assert feed_json.iso_timestamp("nonsense") == "nonsense"


def test_country_names():
    assert taxonomy.country_code(" united   states ") == "US"
    assert taxonomy.country_code("IN") == "IN"
    assert taxonomy.country_code("Narnia") is None
    assert all(len(code) == 2 and code.isupper() for code in taxonomy.COUNTRY_NAMES.values())


def test_formats_are_objects_of_the_protocol_registered_by_name():
    from fdsa.ingest import FORMATS

    for name, fmt in FORMATS.items():
        assert fmt.name == name and fmt.description
        assert callable(fmt.check) and callable(fmt.load)
    assert [name for name, fmt in FORMATS.items() if fmt.needs_mapping] == ["mapped"]


def test_the_shared_close_out_adds_read_rejects_and_refuses_unaccounted_rows(tmp_path):
    import duckdb

    from fdsa.ingest import IngestError
    from fdsa.ingest.runs import LoadCounts, LoadJob

    path = tmp_path / "f.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    job = LoadJob(duckdb.connect(), path, run_id=1, scan=file_scan.scan_file(path), file="f")
    job.read(4, [], ["read note"])
    counts = job.close(LoadCounts(read=4, loaded=3, duplicate=1, notes=["load note"]))
    assert (counts.read, counts.rejected, counts.notes) == (4, 0, ["read note", "load note"])
    with pytest.raises(IngestError, match="4 rows read but 3 accounted for"):
        job.close(LoadCounts(read=3, loaded=3))


def test_stage_hooks_record_only_while_someone_listens():
    from fdsa.ingest import stages

    with stages.stage(stages.SCAN):
        pass
    with stages.recording() as timings:
        with stages.stage(stages.SCAN):
            pass
        stop = stages.begin(stages.PUBLISH)
        stop()
    assert set(timings) == {stages.SCAN, stages.PUBLISH}
    assert all(wall >= 0 and cpu >= 0 for wall, cpu in timings.values())
