"""Real-world files through `mapped` (and `postings-csv` variants): fixtures carrying the
quirks of surveys and job-board exports, each reconciling exactly, every reject's line and
reason checked, and every loaded amount equal to the value the fixture meant."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fdsa.cli import app
from fdsa.ingest import IngestError, ingest_file
from fdsa.warehouse import db

# ---------------------------------------------------------------- fixture 1: a salary survey
# CR-only line ends, a two-row header, four columns named "Other" (one addressed by
# position), pay bands with open ends, codes a spreadsheet turned into dates, "NA" as
# Namibia, a region answer, a refusal to answer, an absurd magnitude, a Latin-1 byte.

SURVEY_ROWS = [
    "Respondent,Country,Years of experience,Annual compensation,Other,Other,Other,Other",
    ",,,,Response,Response,Response,Response",  # line 2: second header row
    '1,United States,2-5,"$40,000 - $60,000",Data Scientist,,,',  # 3
    '2,United Kingdom,<2,"<$20,000",Analyst,,,',  # 4: open lower band
    '3,Other Europe,6-10,">$140,000",Engineer,,,',  # 5: region only, open top band
    '4,NA,11+,"$80,000 - $100,000",Manager,,,',  # 6: NA is Namibia
    '5,Germany,5-Feb,"$20,000 - $40,000",Analyst,,,',  # 7: "2-5" after a spreadsheet
    '6,Narnia,<2,"$20,000 - $40,000",Analyst,,,',  # 8
    "7,United States,2-5,Rather not say,Analyst,,,",  # 9
    '8,United States,2-5,">$999999999999999999",Analyst,,,',  # 10
    '1,United States,2-5,"$40,000 - $60,000",Data Scientist,,,',  # 11: exact copy of 3
]
SURVEY_LATIN1_ROW = '9,France,<2,"$20,000 - $40,000",Caf\xe9 owner,,,'  # 12, Latin-1 byte

SURVEY_MAPPING = """\
target: salary_reports
dataset: devsurvey 2011 (fixture)
header_rows: 2
columns:
  employee_residence: {column: Country, regions: {Other Europe: unknown}}
  experience_level:
    column: Years of experience
    values: {"<2": EN, "2-5": MI, "6-10": SE, "11+": EX}
  salary: {column: Annual compensation, bands: true, values: {Rather not say: ~}}
  job_title: {position: 5}
constants:
  employment_type: FT
  salary_currency: USD
  period_start_date: 2011-01-01
  period_end_date: 2011-12-31
"""

SURVEY_LOADED = {
    # line: (experience, title, salary, lo, hi, usd, residence, region, area)
    3: ("MI", "Data Scientist", 50000, 40000, 60000, 50000, "US", "north_america", None),
    4: ("EN", "Analyst", 10000, 0, 20000, 10000, "GB", "europe_west", None),
    5: ("SE", "Engineer", None, 140000, None, None, None, "unknown", "Other Europe"),
    6: ("EX", "Manager", 90000, 80000, 100000, 90000, "NA", "unknown", None),
    11: ("MI", "Data Scientist", 50000, 40000, 60000, 50000, "US", "north_america", None),
    12: ("EN", "Café owner", 30000, 20000, 40000, 30000, "FR", "europe_west", None),
}
SURVEY_REJECTS = [
    (
        7,
        "Years of experience",
        "not one of EN, MI, SE, EX: '5-Feb' (looks like a date a spreadsheet made of a code)"
        " (declared values: '<2', '2-5', '6-10', '11+')",
    ),
    (8, "Country", "not a country: 'Narnia'"),
    (9, "Annual compensation", "no pay given"),
    (
        10,
        "Annual compensation",
        "implausible amount: >$999999999999999999 (plausible: 1 to 1000000000000)",
    ),
]


def write_survey(folder: Path) -> tuple[Path, Path]:
    data = "\r".join(SURVEY_ROWS).encode() + b"\r" + SURVEY_LATIN1_ROW.encode("latin-1") + b"\r"
    (folder / "survey.csv").write_bytes(data)
    (folder / "survey.yaml").write_text(SURVEY_MAPPING, encoding="utf-8")
    return folder / "survey.csv", folder / "survey.yaml"


def rejects_of(wh: Path, run_id: int) -> list[tuple]:
    with db.connect(wh) as con:
        return con.execute(
            "select line, field, reason, raw_text from rejects where ingest_run_id = $run "
            "order by line",
            {"run": run_id},
        ).fetchall()


def physical_lines(path: Path) -> list[str]:
    """Lines of a file (any line end; a file that is not UTF-8 as Latin-1)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.splitlines()


def test_survey_with_bands_two_header_rows_and_cr_line_ends(tmp_path):
    src, mapping = write_survey(tmp_path)
    wh = tmp_path / "wh.duckdb"
    result = ingest_file(src, format_name="mapped", warehouse=wh, mapping=mapping)
    c = result.counts
    assert (c.read, c.loaded, c.rejected, c.duplicate) == (10, 6, 4, 0)
    assert c.read == c.loaded + c.rejected + c.duplicate
    assert any("line 2 read as header" in n for n in c.notes)
    assert any("Latin-1 (lines 12)" in n for n in c.notes)
    assert any("1 loaded rows give a region, not a country" in n for n in c.notes)
    with db.connect(wh) as con:
        rows = con.execute(
            """select source_line, experience_level, job_title, salary, salary_lo, salary_hi,
                      salary_in_usd, employee_residence, employee_region, employee_area,
                      dataset, employment_type, salary_currency, work_year,
                      period_start_date::varchar, period_end_date::varchar
               from salary_reports order by source_line"""
        ).fetchall()
    assert {r[0]: r[1:10] for r in rows} == SURVEY_LOADED
    assert {r[10:] for r in rows} == {
        ("devsurvey 2011 (fixture)", "FT", "USD", 2011, "2011-01-01", "2011-12-31")
    }
    got = rejects_of(wh, result.ingest_run_id)
    assert [r[:3] for r in got] == SURVEY_REJECTS
    lines = physical_lines(src)
    assert [r[3] for r in got] == [lines[r[0] - 1] for r in got]  # the whole raw line
    assert [(r.field, r.reason, r.n) for r in result.top_reasons] == [
        ("Years of experience", "not one of EN, MI, SE, EX", 1),
        ("Country", "not a country", 1),
        ("Annual compensation", "no pay given", 1),
        ("Annual compensation", "implausible amount", 1),
    ]


def test_open_top_band_can_take_its_bound(tmp_path):
    src, mapping = write_survey(tmp_path)
    mapping.write_text(SURVEY_MAPPING + "open_top: bound\n", encoding="utf-8")
    wh = tmp_path / "wh.duckdb"
    ingest_file(src, format_name="mapped", warehouse=wh, mapping=mapping)
    with db.connect(wh) as con:
        got = con.execute(
            "select salary, salary_lo, salary_hi, salary_in_usd from salary_reports "
            "where source_line = 5"
        ).fetchall()
    assert got == [(140000, 140000, None, 140000)]


def test_a_repeated_column_name_must_be_addressed_by_position(tmp_path):
    src, mapping = write_survey(tmp_path)
    mapping.write_text(
        SURVEY_MAPPING.replace("job_title: {position: 5}", "job_title: Other"), encoding="utf-8"
    )
    with pytest.raises(IngestError) as refused:
        ingest_file(src, format_name="mapped", warehouse=tmp_path / "w.duckdb", mapping=mapping)
    assert "column 'Other' (for job_title) appears 4 times" in str(refused.value)
    assert "(columns 5, 6, 7, 8): address one by position" in str(refused.value)
    assert not (tmp_path / "w.duckdb").exists()


def test_an_unknown_column_gets_did_you_mean_and_the_file_columns(tmp_path):
    src, mapping = write_survey(tmp_path)
    mapping.write_text(
        SURVEY_MAPPING.replace("column: Country,", "column: Countyr,"), encoding="utf-8"
    )
    with pytest.raises(IngestError) as refused:
        ingest_file(src, format_name="mapped", warehouse=tmp_path / "w.duckdb", mapping=mapping)
    message = str(refused.value)
    assert "missing columns Countyr (for employee_residence); did you mean 'Country'?" in message
    assert "the file's columns: 1 'Respondent', 2 'Country', 3 'Years of experience'" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("target: salary_reports", "target: salaries"), "target 'salaries' must be one of"),
        (("job_title: {position: 5}", "title: {position: 5}"), "did you mean 'job_title'?"),
        (("dataset: devsurvey 2011 (fixture)\n", ""), "needs dataset: <name of the survey>"),
        (("salary_currency: USD", "salary_currency: ZZZ"), "not an ISO 4217 currency code"),
        (("{Other Europe: unknown}", "{Other Europe: europe}"), "a region is one of"),
        (("header_rows: 2", "header_rows: 40"), "header_rows must be a number from 1 to 20"),
        (("bands: true, values", "bands: maybe, values"), "bands: true is for amount fields"),
        (('11+": EX}', '11+": XX}'), "value 'XX' of experience_level: not one of EN"),
        (("employment_type: FT", "employment_type: FT\n  posted_at: x"), "not salary_reports"),
    ],
)
def test_mapping_mistakes_are_refused_before_anything_is_written(tmp_path, change, expected):
    src, mapping = write_survey(tmp_path)
    assert change[0] in SURVEY_MAPPING
    mapping.write_text(SURVEY_MAPPING.replace(*change), encoding="utf-8")
    with pytest.raises(IngestError, match="mapping") as refused:
        ingest_file(src, format_name="mapped", warehouse=tmp_path / "w.duckdb", mapping=mapping)
    assert expected in str(refused.value)
    assert not (tmp_path / "w.duckdb").exists()


# ---------------------------------------------------------------- fixture 2: a job-board export
# European separators, pay in several free-text forms, a value map for the job type, a
# re-scrape, a budget of 1e18, a rate of 257 nines, an undeclared currency sign,
# scientific notation and a code a spreadsheet turned into a date.

NINES = "9" * 257
BOARD_ROWS = [
    "id,title,posted,kind,pay,rate_from,rate_to,country",
    "j1,Power BI dashboard for sales,2024-03-01,Festpreis,50.000,,,Deutschland",  # 2
    'j2,Churn model in Python,2024-03-02,Festpreis,"1.500,50 $",,,DE',  # 3
    'j3,ETL pipeline on Airflow,2024-03-03,Stunde,,25,"40,5",Austria',  # 4
    "j4,Scrape product prices,2024-03-04,Festpreis,5k,,,FR",  # 5
    "j5,Forecast energy demand,2024-03-05,Festpreis,USD 2.000,,,NL",  # 6
    "j6,Absurd budget,2024-03-06,Festpreis,999999999999999999,,,NL",  # 7
    f"j7,Absurd rate,2024-03-07,Stunde,,10,{NINES},NL",  # 8
    "j8,Euro budget,2024-03-08,Festpreis,€300,,,NL",  # 9
    "j9,Scientific budget,2024-03-09,Festpreis,1e6,,,NL",  # 10
    "j1,Power BI dashboard for sales,2024-03-15,Festpreis,50.000,,,Deutschland",  # 11
    'j10,Invoice OCR,2024-03-10,1-Mar,"2.500,00",,,NL',  # 12
]
BOARD_MAPPING = """\
target: jobs
source: jobboard-de
columns:
  source_key: id
  title: title
  posted_at: posted
  job_type: {column: kind, values: {Festpreis: fixed, Stunde: hourly}}
  budget: pay
  hourly_low: rate_from
  hourly_high: rate_to
  country: country
"""
EUROPEAN = 'decimal: ","\nthousands: "."\n'

BOARD_LOADED = {
    # source_key: (job_type, budget, hourly_low, hourly_high, country, region)
    "j1": ("fixed", 50000.0, None, None, "Deutschland", "unknown"),
    "j2": ("fixed", 1500.5, None, None, "DE", "europe_west"),
    "j3": ("hourly", None, 25.0, 40.5, "AT", "europe_west"),
    "j4": ("fixed", 5000.0, None, None, "FR", "europe_west"),
    "j5": ("fixed", 2000.0, None, None, "NL", "europe_west"),
}
BOARD_REJECTS = [
    (7, "pay", "implausible amount: '999999999999999999' (plausible: 0 to 1000000)"),
    (8, "rate_to", f"implausible amount: '{NINES[:77]}...' (plausible: 0 to 1000)"),
    (9, "pay", "unknown currency sign: '€' in '€300' (declare it under currency_symbols)"),
    (
        10,
        "pay",
        "not a plain number: '1e6' (scientific notation, as spreadsheets write long numbers: "
        "digits may be lost)",
    ),
    (12, "kind", "not hourly/fixed: 1-Mar"),
]


def write_board(folder: Path, mapping_text: str) -> tuple[Path, Path]:
    (folder / "board.csv").write_text("\n".join(BOARD_ROWS) + "\n", encoding="utf-8")
    (folder / "board.yaml").write_text(mapping_text, encoding="utf-8")
    return folder / "board.csv", folder / "board.yaml"


def test_job_board_export_with_european_separators(tmp_path):
    src, mapping = write_board(tmp_path, BOARD_MAPPING + EUROPEAN)
    wh = tmp_path / "wh.duckdb"
    result = ingest_file(src, format_name="mapped", warehouse=wh, mapping=mapping)
    c = result.counts
    assert (c.read, c.loaded, c.rejected, c.duplicate) == (11, 5, 5, 1)
    with db.connect(wh) as con:
        jobs = con.execute(
            """select source_key, job_type, budget, hourly_low, hourly_high, country, region,
                      source, first_seen_at::date::varchar, last_seen_at::date::varchar
               from jobs"""
        ).fetchall()
    assert {j[0]: j[1:7] for j in jobs} == BOARD_LOADED
    assert {j[7] for j in jobs} == {"jobboard-de"}
    assert [j[8:] for j in jobs if j[0] == "j1"] == [("2024-03-01", "2024-03-15")]
    got = rejects_of(wh, result.ingest_run_id)
    assert [r[:3] for r in got] == BOARD_REJECTS
    lines = physical_lines(src)
    assert [r[3] for r in got] == [lines[r[0] - 1] for r in got]


def test_undeclared_european_separators_are_refused_not_bent(tmp_path):
    src, mapping = write_board(tmp_path, BOARD_MAPPING)
    wh = tmp_path / "wh.duckdb"
    result = ingest_file(src, format_name="mapped", warehouse=wh, mapping=mapping)
    c = result.counts
    assert (c.read, c.loaded, c.rejected, c.duplicate) == (11, 1, 10, 0)
    ambiguous = (
        "ambiguous amount: '{0}' is {1} with '.' as thousands separator, {2} as decimal "
        "point; declare the file's decimal and thousands separators in the mapping"
    )
    european = "not a number: '{0}' (European separators? declare decimal: ',' and thousands: '.')"
    assert [r[:3] for r in rejects_of(wh, result.ingest_run_id)] == [
        (2, "pay", ambiguous.format("50.000", "50000", "50.000")),
        (3, "pay", european.format("1.500,50 $")),
        (4, "rate_to", european.format("40,5")),
        (6, "pay", ambiguous.format("USD 2.000", "2000", "2.000")),
        *BOARD_REJECTS[:4],
        (11, "pay", ambiguous.format("50.000", "50000", "50.000")),
        (12, "pay", european.format("2.500,00")),
    ]
    with db.connect(wh) as con:
        assert con.execute("select source_key, budget from jobs").fetchall() == [("j4", 5000.0)]


# ---------------------------------------------------------------- fixture 3: free-text pay in
# several currencies (CRLF), a currency column, ISO checks against the real lists


EU_ROWS = [
    "country,year,pay,currency",
    "DE,2023,45.000 €,EUR",  # 2
    "FR,2023,EUR 52.500,EUR",  # 3
    "UK,2023,60k,GBP",  # 4: UK is a name of the United Kingdom (GB)
    'NL,2023,"€ 1,2m",EUR',  # 5
    "ES,23,30.000,EUR",  # 6
    "IT,2023,£40.000,EUR",  # 7
    "PT,2023,35.000,ZZZ",  # 8
    "XX,2023,35.000,EUR",  # 9
    "BE,2023,40.000 - 50.000 €,EUR",  # 10
    "AT,2023,1.000.000.000.000.000 €,EUR",  # 11
    "DE,2023,45.000 €,EUR",  # 12: exact copy of 2
]
EU_MAPPING = """\
target: salary_reports
dataset: eu pay survey (fixture)
decimal: ","
thousands: "."
currency_symbols: {"€": EUR, "£": GBP}
columns:
  employee_residence: country
  work_year: year
  salary: pay
  salary_currency: currency
"""
EU_LOADED = {
    # line: (residence, salary, currency, usd, work_year, period)
    2: ("DE", 45000, "EUR", None, 2023, "2023-01-01"),
    3: ("FR", 52500, "EUR", None, 2023, "2023-01-01"),
    4: ("GB", 60000, "GBP", None, 2023, "2023-01-01"),
    5: ("NL", 1200000, "EUR", None, 2023, "2023-01-01"),
    12: ("DE", 45000, "EUR", None, 2023, "2023-01-01"),
}
EU_REJECTS = [
    (6, "year", "not a year: '23'"),
    (7, "pay", "amount in GBP but salary_currency is EUR"),
    (8, "currency", "not an ISO 4217 currency code: 'ZZZ'"),
    (9, "country", "not a country: 'XX' (an answer naming a region: declare it under regions)"),
    (10, "pay", "a pay band: '40.000 - 50.000 €' (declare bands: true for this column)"),
    (11, "pay", "implausible amount: 1.000.000.000.000.000 € (plausible: 1 to 1000000000000)"),
]


def test_free_text_pay_in_several_currencies(tmp_path):
    src = tmp_path / "eu.csv"
    src.write_bytes("\r\n".join(EU_ROWS).encode() + b"\r\n")
    mapping = tmp_path / "eu.yaml"
    mapping.write_text(EU_MAPPING, encoding="utf-8")
    wh = tmp_path / "wh.duckdb"
    result = ingest_file(src, format_name="mapped", warehouse=wh, mapping=mapping)
    c = result.counts
    assert (c.read, c.loaded, c.rejected, c.duplicate) == (11, 5, 6, 0)
    assert any("5 loaded rows have no amount in USD" in n for n in c.notes)
    with db.connect(wh) as con:
        rows = con.execute(
            """select source_line, employee_residence, salary, salary_currency, salary_in_usd,
                      work_year, period_start_date::varchar
               from salary_reports order by source_line"""
        ).fetchall()
    assert {r[0]: r[1:] for r in rows} == EU_LOADED
    got = rejects_of(wh, result.ingest_run_id)
    assert [r[:3] for r in got] == EU_REJECTS
    assert [r[3] for r in got] == [EU_ROWS[r[0] - 1] for r in got]


# ---------------------------------------------------------------- postings-csv variants


def test_postings_dump_with_columns_reordered_renamed_in_case_and_extra(tmp_path):
    src = tmp_path / "dump.csv"
    src.write_text(
        "Link,Published_Date,TITLE,Budget,scraped_by,Is_Hourly,Country\n"
        "https://u/1,2024-02-17 09:09:54+00:00,Power BI dashboard,500,bot-3,False,India\n"
        "https://u/2,2024-02-18,Churn model,1.500,bot-3,False,India\n"
        "https://u/3,not a date,RAG chatbot,,bot-3,True,India\n"
        "https://u/1,2024-03-01,Power BI dashboard,500,bot-4,False,India\n",
        encoding="utf-8",
    )
    wh = tmp_path / "wh.duckdb"
    result = ingest_file(src, format_name="postings-csv", warehouse=wh)
    c = result.counts
    assert (c.read, c.loaded, c.rejected, c.duplicate) == (4, 1, 2, 1)
    assert "columns ignored: scraped_by" in c.notes
    assert any("absent (null): description, hourly_low, hourly_high" in n for n in c.notes)
    with db.connect(wh) as con:
        assert con.execute(
            "select source_key, budget, description, country from jobs"
        ).fetchall() == [("https://u/1", 500.0, None, "IN")]
        got = con.execute("select line, field, reason, raw_text from rejects order by line")
        assert got.fetchall() == [
            (
                3,
                "budget",
                "ambiguous amount (a dot before three digits: decimal point or thousands?): 1.500",
                "https://u/2,2024-02-18,Churn model,1.500,bot-3,False,India",
            ),
            (
                4,
                "published_date",
                "not a timestamp: not a date",
                "https://u/3,not a date,RAG chatbot,,bot-3,True,India",
            ),
        ]


def test_postings_dump_without_a_required_column_names_it(tmp_path):
    src = tmp_path / "dump.csv"
    src.write_text("Titel,link,published_date\nx,https://u/1,2024-01-01\n", encoding="utf-8")
    with pytest.raises(IngestError) as refused:
        ingest_file(src, format_name="postings-csv", warehouse=tmp_path / "w.duckdb")
    assert "missing columns title; unexpected columns Titel did you mean 'Titel'?" in str(
        refused.value
    )


# ---------------------------------------------------------------- loads that land nothing


def test_a_load_that_lands_nothing_exits_non_zero_with_its_reasons(tmp_path):
    src = tmp_path / "eu.csv"
    src.write_text("country,year,pay,currency\n" + "DE,2023,45.000 €,EUR\n" * 3, encoding="utf-8")
    mapping = tmp_path / "eu.yaml"
    mapping.write_text(EU_MAPPING.replace('currency_symbols: {"€": EUR, "£": GBP}\n', ""))
    wh = tmp_path / "wh.duckdb"
    result = CliRunner().invoke(
        app,
        ["ingest", str(src), "-f", "mapped", "-m", str(mapping), "--warehouse", str(wh)],
    )
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "nothing loaded: 0 of 3 rows read were loaded or merged (3 rejected)" in output
    assert "nothing was published" in output
    assert "3 × pay: unknown currency sign (first at line 2: '€' in '45.000 €'" in output
    assert not wh.exists()


def test_every_load_prints_its_top_five_reject_reasons(tmp_path):
    src, mapping = write_board(tmp_path, BOARD_MAPPING)
    result = CliRunner().invoke(
        app,
        ["ingest", str(src), "-f", "mapped", "-m", str(mapping), "-w", str(tmp_path / "w.db")],
    )
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "top reject reasons (of 10):" in output
    assert "3 × pay: ambiguous amount (first at line 2: '50.000' is 50000" in output
    assert output.count(" × ") == 5


# ---------------------------------------------------------------- the real aijobs files


RAW = Path(__file__).resolve().parents[2] / "data/raw/aijobs_salaries"


def test_aijobs_codes_are_checked_against_the_iso_lists(tmp_path):
    header = (RAW / "salaries.csv").read_text().splitlines()[0]
    good = "2024,SE,FT,Data Scientist,150000,USD,150000,US,0,US,M"
    src = tmp_path / "s.csv"
    src.write_text(
        "\n".join(
            [
                header,
                good,
                good.replace(",US,0,", ",UK,0,"),
                good.replace(",0,US,", ",0,XX,"),
                good.replace(",USD,", ",ZZZ,"),
                good.replace(",150000,US,", ",999999999999999999,US,"),
                good.replace("150000,USD", "50.000,USD"),
            ]
        )
        + "\n"
    )
    wh = tmp_path / "wh.duckdb"
    result = ingest_file(src, format_name="aijobs-salaries", warehouse=wh)
    assert (result.counts.read, result.counts.loaded, result.counts.rejected) == (6, 1, 5)
    got = rejects_of(wh, result.ingest_run_id)
    assert [r[:3] for r in got] == [
        (3, "employee_residence", "not an ISO 3166-1 alpha-2 country code: UK"),
        (4, "company_location", "not an ISO 3166-1 alpha-2 country code: XX"),
        (5, "salary_currency", "not an ISO 4217 currency code: ZZZ"),
        (6, "salary_in_usd", "implausible amount: 999999999999999999 (plausible: 100 to 5000000)"),
        (
            7,
            "salary",
            "ambiguous amount (a dot before three digits: decimal point or thousands?): 50.000",
        ),
    ]
    assert [r[3] for r in got] == [src.read_text().splitlines()[r[0] - 1] for r in got]
    with db.connect(wh) as con:
        assert con.execute(
            "select dataset, period_start_date::varchar, salary_lo, salary_hi, employee_region "
            "from salary_reports"
        ).fetchall() == [("aijobs.net salary index", "2024-01-01", 150000, 150000, "north_america")]


def test_parquet_numbers_are_read_as_their_exact_decimals(tmp_path):
    import decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "crawl.parquet"
    pq.write_table(
        pa.table(
            {
                "url": ["p1", "p2", "p3", "p4"],
                "job_title": ["OCR of invoices", "Churn model", "Absurd", "Decimal budget"],
                "posted": ["2024-01-01"] * 4,
                "price": [1500.5, 0.1, 1e18, None],
                "exact": pa.array(
                    [None, None, None, decimal.Decimal("2500.25")], pa.decimal128(10, 2)
                ),
            }
        ),
        src,
    )
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "constants: {job_type: fixed}\ncolumns:\n  source_key: url\n  title: job_title\n"
        "  posted_at: posted\n  budget: price\n  description: exact\n",
        encoding="utf-8",
    )
    wh = tmp_path / "wh.duckdb"
    result = ingest_file(src, format_name="mapped", warehouse=wh, mapping=mapping)
    assert (result.counts.read, result.counts.loaded, result.counts.rejected) == (4, 3, 1)
    with db.connect(wh) as con:
        got = con.execute("select source_key, budget, description from jobs order by 1")
        assert got.fetchall() == [
            ("p1", 1500.5, None),
            ("p2", 0.1, None),
            ("p4", None, "2500.25"),
        ]
        assert con.execute("select line, field, reason, raw_text from rejects").fetchall() == [
            (
                3,
                "price",
                "implausible amount: '1000000000000000000' (plausible: 0 to 1000000)",
                "p3,Absurd,2024-01-01,1000000000000000000,",
            )
        ]


def test_every_command_that_takes_a_warehouse_takes_warehouse():
    runner = CliRunner()
    for command in ("synth", "ingest", "report", "batch"):
        shown = runner.invoke(app, [command, "--help"], terminal_width=200)
        assert "--warehouse" in shown.output, command
