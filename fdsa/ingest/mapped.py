"""Format ``mapped``: any CSV or Parquet file plus a YAML mapping onto a warehouse table.

The target is ``jobs`` or ``salary_reports``.

The mapping says which table the rows go to, where each field comes from (a column
by name or position, or a constant) and how the file writes its values (header rows,
separators, currency signs, pay bands, value maps). See ``docs/ingest.md``, "Bring your
own file", for worked mappings. A salary survey, for example::

    target: salary_reports
    dataset: devsurvey 2011          # salary_reports.dataset
    header_rows: 2                   # the first names the columns
    columns:
      employee_residence: {column: Country, regions: {Other Europe: unknown}}
      experience_level: {column: Experience, values: {"<2": EN, "2-5": MI, "6-10": SE}}
      salary: {column: Compensation, bands: true}
      job_title: {position: 12}      # a column whose name repeats is addressed by position
    constants:
      employment_type: FT
      salary_currency: USD
      period_start_date: 2011-01-01
      period_end_date: 2011-12-31

Every value is read as text and converted once per distinct text
(:mod:`fdsa.ingest.values`); a text a field cannot take rejects the row with the field
and the reason. Source column names never reach SQL: the CSV is read with positional
names (``c0``, ``c1`` ...) and the converted values are joined back by text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import yaml

from fdsa import taxonomy
from fdsa.ingest import reconcile, values
from fdsa.ingest.csv_read import StagedRead, read_csv_staged
from fdsa.ingest.errors import IngestError
from fdsa.ingest.formats import Format
from fdsa.ingest.postings_sql import install_macros
from fdsa.ingest.runs import LoadCounts, LoadJob, insert_rejects_from, next_id
from fdsa.ingest.scan import FileScan, columns_listed, read_header_rows, suggest
from fdsa.ingest.temp_tables import (
    CONVERSION_PREFIX,
    PARQUET_ROWS,
    SALARIES_TYPED,
    STG_JOBS,
    STG_MAPPED,
    rows_table,
)

NAME = "mapped"
DESCRIPTION = (
    "Any CSV or Parquet file plus a YAML mapping of its columns (header rows, "
    "constants, value maps, pay bands, separators) → jobs or salary_reports"
)


@dataclass(frozen=True)
class Field:
    """What a target field takes: ``kind`` of text, ``allowed`` codes, whether ``required``."""

    kind: str
    allowed: tuple[str, ...] = ()
    required: bool = False


JOB_FIELDS: dict[str, Field] = {
    "source_key": Field("text", required=True),
    "title": Field("text", required=True),
    "posted_at": Field("text", required=True),
    "description": Field("text"),
    "job_type": Field("text"),
    "is_hourly": Field("text"),
    "hourly_low": Field("amount"),
    "hourly_high": Field("amount"),
    "budget": Field("amount"),
    "country": Field("text"),
    "skills": Field("skills"),
    "category": Field("text"),
}
"""Fields of the ``jobs`` target; they are parsed like ``postings-csv`` afterwards."""

JOB_TEXT_COLUMNS = {"posted_at": "published"}
"""``jobs`` fields whose staged text column (``postings_sql.TEXT_COLUMNS``) is named otherwise."""

SALARY_FIELDS: dict[str, Field] = {
    "work_year": Field("year"),
    "period_start_date": Field("date"),
    "period_end_date": Field("date"),
    "experience_level": Field("code", ("EN", "MI", "SE", "EX")),
    "employment_type": Field("code", ("FT", "PT", "CT", "FL")),
    "job_title": Field("text"),
    "salary": Field("amount"),
    "salary_currency": Field("currency"),
    "salary_in_usd": Field("amount"),
    "employee_residence": Field("place"),
    "remote_ratio": Field("code", ("0", "50", "100")),
    "company_location": Field("country"),
    "company_size": Field("code", ("S", "M", "L")),
}
"""Fields of the ``salary_reports`` target (every one may be absent: stored as null)."""

TARGETS: dict[str, dict[str, Field]] = {"jobs": JOB_FIELDS, "salary_reports": SALARY_FIELDS}

TOP_KEYS = frozenset(
    {
        "target",
        "source",
        "dataset",
        "header_rows",
        "columns",
        "constants",
        "decimal",
        "thousands",
        "suffixes",
        "currency_symbols",
        "open_top",
        "ranges",
        "skills_separator",
    }
)
COLUMN_KEYS = frozenset({"column", "position", "values", "bands", "regions"})


@dataclass(frozen=True)
class Source:
    """Where one field's text comes from.

    Attributes
    ----------
    label
        How ``rejects.field`` names it: the header name, ``name (column N)`` when the
        name repeats or is blank, or ``constant <field>``.
    position
        0-based column of the file; None for a constant.
    constant
        The constant's text.
    values
        Value map: text as in the file → stored text (None = not given).
    bands
        Whether the amount column holds pay bands.
    regions
        Answers that name a region, not a country → region slug.
    """

    label: str
    position: int | None = None
    constant: str | None = None
    values: dict[str, str | None] | None = None
    bands: bool = False
    regions: dict[str, str] | None = None


@dataclass(frozen=True)
class MappingSpec:
    """A checked mapping, ready to load (see the module docstring)."""

    target: str
    source: str
    dataset: str | None
    fields: dict[str, Source]
    header: tuple[str, ...]
    header_rows: int
    amounts: values.AmountFormat
    ranges: dict[str, tuple[Decimal, Decimal]]
    skills_separator: str
    is_parquet: bool
    constants: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @property
    def columns(self) -> dict[str, str]:
        """Field → label of the fields read from columns (``rejects.field`` names)."""
        return {k: s.label for k, s in self.fields.items() if s.position is not None}


# ---------------------------------------------------------------- reading the mapping


class _TextLoader(yaml.SafeLoader):
    """YAML with every scalar a string or null: ``NO``, ``1.0`` and ``2011-06-01`` stay text."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_mapping(path: Path) -> dict:
    try:
        spec = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextLoader)  # noqa: S506 - a SafeLoader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise IngestError(f"cannot read mapping {path}: {exc}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("columns", {}), dict):
        raise IngestError(f"mapping {path} needs a 'columns:' table (see docs/ingest.md)")
    unknown = sorted(set(spec) - TOP_KEYS)
    if unknown:
        raise IngestError(
            f"mapping {path}: unknown keys {', '.join(unknown)}; a mapping takes "
            + ", ".join(sorted(TOP_KEYS))
        )
    return spec


def _text_table(mapping: Path, spec: object, what: str) -> dict[str, Any]:
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise IngestError(f"mapping {mapping}: {what} must be a table of key: value")
    return {str(k): v for k, v in spec.items()}


def _choice(mapping: Path, spec: dict, key: str, allowed: tuple[str, ...], default: str) -> str:
    value = spec.get(key, default)
    if value not in allowed:
        raise IngestError(
            f"mapping {mapping}: {key} {value!r} must be one of "
            + ", ".join(repr(a) for a in allowed)
        )
    return value


def _amount_format(mapping: Path, spec: dict) -> values.AmountFormat:
    decimal = _choice(mapping, spec, "decimal", (".", ","), ".")
    default_thousands = None if decimal == "." else ""
    thousands = spec.get("thousands", default_thousands)
    if thousands is not None and thousands not in (",", ".", " ", "'", ""):
        raise IngestError(
            f"mapping {mapping}: thousands {thousands!r} must be one of ',', '.', ' ', \"'\", ''"
        )
    if thousands == decimal:
        raise IngestError(f"mapping {mapping}: decimal and thousands are both {decimal!r}")
    suffixes = _choice(mapping, spec, "suffixes", ("true", "false"), "true") == "true"
    symbols = _text_table(mapping, spec.get("currency_symbols"), "currency_symbols")
    if "currency_symbols" not in spec:
        symbols = dict(values.DEFAULT_SYMBOLS)
    for sign, code in symbols.items():
        if not taxonomy.is_currency_code(code):
            raise IngestError(
                f"mapping {mapping}: currency_symbols {sign!r}: {code!r} is not an ISO 4217 code"
            )
    open_top = _choice(mapping, spec, "open_top", ("none", "bound"), "none")
    return values.AmountFormat(decimal, thousands, suffixes, symbols, False, open_top)


def _ranges(mapping: Path, spec: dict, fields: dict[str, Field]) -> dict:
    ranges = dict(values.PLAUSIBLE)
    for name, bounds in _text_table(mapping, spec.get("ranges"), "ranges").items():
        if name not in fields or fields[name].kind != "amount":
            amounts = [k for k, f in fields.items() if f.kind == "amount"]
            raise IngestError(
                f"mapping {mapping}: ranges {name!r} is not an amount field; use "
                + ", ".join(amounts)
            )
        try:
            low, high = (Decimal(str(b)) for b in bounds)
        except (TypeError, ValueError, ArithmeticError):
            raise IngestError(
                f"mapping {mapping}: ranges {name} must be [low, high], numbers"
            ) from None
        if not 0 <= low <= high:
            raise IngestError(f"mapping {mapping}: ranges {name}: need 0 <= low <= high")
        ranges[name] = (low, high)
    return ranges


def _position(
    mapping: Path, path: Path, header: tuple[str, ...], name: str, spec: object
) -> tuple[int, str]:
    """0-based column and label of a column given by name (unique) or 1-based position."""
    if isinstance(spec, dict) and "position" in spec:
        text = str(spec["position"])
        if not text.isdigit() or not 1 <= int(text) <= len(header):
            raise IngestError(
                f"mapping {mapping}: {name}: position {text} is not a column of {path} "
                f"(1 to {len(header)}); the file's columns: {columns_listed(header)}"
            )
        index = int(text) - 1
        repeated = not header[index] or header.count(header[index]) > 1
        label = f"{header[index] or '(blank)'} (column {index + 1})" if repeated else header[index]
        return index, label
    column = spec.get("column") if isinstance(spec, dict) else spec
    if not isinstance(column, str) or not column:
        raise IngestError(
            f"mapping {mapping}: {name} needs a column name, {{column: name}} or {{position: N}}"
        )
    found = [i for i, h in enumerate(header) if h == column]
    if not found:
        raise IngestError(
            f"{path} does not match mapping {mapping}: missing columns {column} (for {name});"
            f"{suggest(column, header)} the file's columns: {columns_listed(header)}"
        )
    if len(found) > 1:
        where = ", ".join(str(i + 1) for i in found)
        raise IngestError(
            f"mapping {mapping}: column {column!r} (for {name}) appears {len(found)} times in "
            f"{path} (columns {where}): address one by position, e.g. "
            f"{name}: {{position: {found[0] + 1}}}"
        )
    return found[0], column


def _source(
    mapping: Path, path: Path, header: tuple[str, ...], name: str, kind: Field, spec: object
) -> Source:
    """Check one entry of ``columns:`` against the field and the file."""
    options = spec if isinstance(spec, dict) else {}
    unknown = sorted(set(options) - COLUMN_KEYS)
    if unknown:
        raise IngestError(
            f"mapping {mapping}: {name}: unknown keys {', '.join(unknown)}; use "
            + ", ".join(sorted(COLUMN_KEYS))
        )
    if "column" in options and "position" in options:
        raise IngestError(f"mapping {mapping}: {name}: give column or position, not both")
    index, label = _position(mapping, path, header, name, spec)
    value_map = options.get("values")
    if value_map is not None:
        value_map = {
            str(k).strip(): v for k, v in _text_table(mapping, value_map, "values").items()
        }
    bands = str(options.get("bands", "false")).lower()
    if bands not in ("true", "false") or (
        bands == "true" and (kind.kind != "amount" or name == "salary_in_usd")
    ):
        raise IngestError(
            f"mapping {mapping}: {name}: bands: true is for amount fields other than "
            "salary_in_usd (a band in USD goes to salary, with salary_currency USD)"
        )
    regions = options.get("regions")
    if regions is not None:
        if kind.kind != "place":
            raise IngestError(f"mapping {mapping}: {name}: regions are for employee_residence only")
        regions = {str(k).strip(): v for k, v in _text_table(mapping, regions, "regions").items()}
        wrong = [f"{k}: {v}" for k, v in regions.items() if v not in taxonomy.REGIONS]
        if wrong:
            raise IngestError(
                f"mapping {mapping}: {name}: regions {', '.join(wrong)}: a region is one of "
                + ", ".join(taxonomy.REGIONS)
            )
    return Source(label, index, None, value_map, bands == "true", regions)


def _check_fields(
    mapping: Path,
    target: str,
    fields: dict[str, Any],
    columns: dict[str, Any],
    constants: dict[str, Any],
) -> None:
    """Every mapped name is a field of ``target``, given once, and no required one is missing."""
    unknown = sorted((set(columns) | set(constants)) - set(fields))
    if unknown:
        hint = "".join(suggest(u, list(fields)) for u in unknown[:1])
        raise IngestError(
            f"mapping {mapping}: {', '.join(unknown)} not {target} fields;{hint} "
            f"{target} takes {', '.join(fields)}"
        )
    both = sorted(set(columns) & set(constants))
    if both:
        raise IngestError(
            f"mapping {mapping}: {', '.join(both)} given as a column and as a constant"
        )
    missing = [k for k, f in fields.items() if f.required and k not in {**columns, **constants}]
    if missing:
        raise IngestError(
            f"mapping {mapping}: required fields {', '.join(missing)} not mapped "
            "(give a column, or a constant under constants:)"
        )


def _check_identity(
    mapping: Path, spec: dict, target: str, source: str, dataset: object, mapped: set[str]
) -> None:
    """Postings name their ``source`` (a slug); salary records their ``dataset`` and a salary."""
    if target == "jobs":
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,63}", source) or source == "synthetic":
            raise IngestError(f"mapping {mapping}: source {source!r} must be a lower-case slug")
        if dataset is not None:
            raise IngestError(f"mapping {mapping}: dataset is for target salary_reports")
        return
    if "source" in spec:
        raise IngestError(
            f"mapping {mapping}: source is for target jobs; salary_reports takes dataset"
        )
    if not isinstance(dataset, str) or not 0 < len(dataset.strip()) <= 200:
        raise IngestError(
            f"mapping {mapping}: target salary_reports needs dataset: <name of the survey>"
        )
    if not ({"salary", "salary_in_usd"} & mapped):
        raise IngestError(f"mapping {mapping}: salary_reports needs salary or salary_in_usd mapped")


def _header(path: Path, mapping: Path, spec: dict) -> tuple[str, ...]:
    """The file's column names: the Parquet schema, or the CSV's ``header_rows``-th row."""
    header_rows = str(spec.get("header_rows", "1"))
    if not header_rows.isdigit() or not 1 <= int(header_rows) <= 20:
        raise IngestError(f"mapping {mapping}: header_rows must be a number from 1 to 20")
    if path.suffix.lower() not in (".parquet", ".pq"):
        return tuple(read_header_rows(path, int(header_rows))[0])
    if header_rows != "1":
        raise IngestError(f"mapping {mapping}: header_rows is for CSV files, not Parquet")
    try:
        import pyarrow.parquet as pq  # only for Parquet files (20 ms)

        return tuple(pq.read_schema(path).names)
    except (OSError, pa.ArrowInvalid) as exc:
        raise IngestError(f"{path} is not a Parquet file: {exc}") from None


def check(path: Path, mapping: Path) -> MappingSpec:
    """Validate the mapping against the file's columns; refuse with a clear message."""
    spec = _read_mapping(mapping)
    target = _choice(mapping, spec, "target", tuple(TARGETS), "jobs")
    fields = TARGETS[target]
    columns = _text_table(mapping, spec.get("columns"), "columns")
    constants = _text_table(mapping, spec.get("constants"), "constants")
    _check_fields(mapping, target, fields, columns, constants)
    source = str(spec.get("source", NAME))
    dataset = spec.get("dataset")
    _check_identity(mapping, spec, target, source, dataset, set(columns) | set(constants))
    header = _header(path, mapping, spec)
    amounts = _amount_format(mapping, spec)
    sources = {
        name: _source(mapping, path, header, name, fields[name], spec_)
        for name, spec_ in columns.items()
    }
    checked = MappingSpec(
        target=target,
        source=source,
        dataset=dataset.strip() if isinstance(dataset, str) else None,
        fields=sources,
        header=header,
        header_rows=int(str(spec.get("header_rows", "1"))),
        amounts=amounts,
        ranges=_ranges(mapping, spec, fields),
        skills_separator=str(spec.get("skills_separator", ",")),
        is_parquet=path.suffix.lower() in (".parquet", ".pq"),
    )
    for name, source_ in sources.items():
        for declared in (source_.values or {}).values():
            if declared is not None:
                _declared(mapping, checked, name, declared, f"value {declared!r} of {name}")
    for name, text in constants.items():
        if fields[name].kind == "skills":
            raise IngestError(f"mapping {mapping}: skills cannot be a constant")
        checked.fields[name] = Source(f"constant {name}", constant=None if text is None else text)
        checked.constants[name] = _declared(mapping, checked, name, text, f"constant {name}")
    ordered = {k: checked.fields[k] for k in fields if k in checked.fields}
    checked.fields.clear()
    checked.fields.update(ordered)  # rejects name the first failing field in target order
    return checked


def _declared(mapping: Path, spec: MappingSpec, name: str, text: object, what: str) -> dict:
    """Convert a text the mapping itself declares; refuse the mapping when it cannot be."""
    if text is not None and not isinstance(text, str):
        raise IngestError(f"mapping {mapping}: {what} must be a plain value")
    plain = replace(spec.fields.get(name, Source(name)), values=None)
    try:
        return convert(TARGETS[spec.target][name], plain, spec, text, name)
    except values.Refused as exc:
        raise IngestError(f"mapping {mapping}: {what}: {exc}") from None


# ---------------------------------------------------------------- converting values


OUTPUTS = ("value", "lo", "hi", "point", "currency", "region", "area")
"""Columns of a conversion table, besides ``raw`` and ``error``."""


def convert(
    kind: Field, source: Source, spec: MappingSpec, text: str | None, name: str = ""
) -> dict:
    """Outputs (:data:`OUTPUTS`) of one text of a field; :class:`values.Refused` if it can't be.

    The value map applies first; blank texts (:data:`values.BLANKS`, but ``NA`` is
    Namibia in a country field) are "not given"; then the field's kind converts.
    """
    out: dict[str, str | None] = dict.fromkeys(OUTPUTS)
    if text is None:
        return out
    if source.values is not None:
        text = values.apply_values(text, source.values)
        if text is None:
            return out
    blank = values.is_blank(text)
    if blank and not (kind.kind in ("place", "country") and text.strip().lower() == "na"):
        return out
    if kind.kind == "amount":
        fmt = replace(spec.amounts, bands=source.bands)
        amount = values.parse_amount(text, fmt)
        if spec.target == "jobs":
            if amount.currency not in (None, "USD"):
                raise values.Refused(
                    f"not in USD: {values.shown(text)} is {amount.currency} (jobs amounts are USD)"
                )
            if min(v for v in (amount.lo, amount.hi, amount.point) if v is not None) < 0:
                raise values.Refused(f"negative amount: {values.shown(text)}")
            values.check_range(amount, text, spec.ranges[name])
        out |= {
            "lo": values.plain_decimal(amount.lo),
            "hi": values.plain_decimal(amount.hi),
            "point": values.plain_decimal(amount.point),
            "currency": amount.currency,
        }
    elif kind.kind in ("place", "country"):
        found = values.parse_place(text, source.regions if kind.kind == "place" else {})
        out |= {"value": found.country, "region": found.region, "area": found.area}
    elif kind.kind == "code":
        try:
            out["value"] = values.parse_code(text, kind.allowed)
        except values.Refused as exc:
            hint = values.declared(source.values) if source.values else ""
            raise values.Refused(f"{exc}{hint}") from None
    elif kind.kind == "year":
        out["value"] = str(values.parse_year(text))
    elif kind.kind == "date":
        out["value"] = values.parse_date(text)
    elif kind.kind == "currency":
        out["value"] = values.parse_currency(text)
    else:
        out["value"] = text
    return out


def _needs_conversion(kind: Field, source: Source) -> bool:
    return source.values is not None or kind.kind not in ("text", "skills")


def _conversion_table(
    con: duckdb.DuckDBPyConnection, table: str, name: str, spec: MappingSpec
) -> None:
    """Temp table ``table``: each distinct text of the field's column, converted."""
    kind, source = TARGETS[spec.target][name], spec.fields[name]
    column = f"c{source.position}"
    texts = [
        r[0]
        for r in con.execute(
            f"select distinct {column} from {STG_MAPPED} where {column} is not null"  # noqa: S608 - positional name
        ).fetchall()
    ]
    rows: dict[str, list[str | None]] = {"raw": [], "error": [], **{o: [] for o in OUTPUTS}}
    for text in texts:
        try:
            out, error = convert(kind, source, spec, text, name), None
        except values.Refused as exc:
            out, error = dict.fromkeys(OUTPUTS), str(exc)
        rows["raw"].append(text)
        rows["error"].append(error)
        for o in OUTPUTS:
            rows[o].append(out[o])
    rows_table(con, table, {c: ("varchar", v) for c, v in rows.items()})


@dataclass
class _Converted:
    """SQL of the converted fields over :data:`STG_MAPPED` ``as s`` and its joins."""

    joins: list[str] = field(default_factory=list)
    params: dict[str, object] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    exprs: dict[tuple[str, str], str] = field(default_factory=dict)

    def output(self, name: str, out: str) -> str:
        """SQL of output ``out`` (or ``raw``) of field ``name``; null when it is not mapped."""
        return self.exprs.get((name, out), "null::varchar")


def _convert_all(con: duckdb.DuckDBPyConnection, spec: MappingSpec) -> _Converted:
    """Conversion tables, joins, output expressions and error checks of every field."""
    done = _Converted()
    exprs = done.exprs
    for i, (name, source) in enumerate(spec.fields.items()):
        kind = TARGETS[spec.target][name]
        if source.position is None:
            for out, value in spec.constants[name].items():
                if value is not None:
                    done.params[f"k{i}_{out}"] = value
                    exprs[(name, out)] = f"${f'k{i}_{out}'}::varchar"
            if source.constant is not None:
                done.params[f"k{i}_raw"] = source.constant
                exprs[(name, "raw")] = f"$k{i}_raw::varchar"
            continue
        exprs[(name, "raw")] = f"s.c{source.position}"
        if not _needs_conversion(kind, source):
            exprs[(name, "value")] = f"s.c{source.position}"
            continue
        table = f"{CONVERSION_PREFIX}{i}"
        _conversion_table(con, table, name, spec)
        done.tables.append(table)
        done.joins.append(f"left join {table} as f{i} on f{i}.raw = s.c{source.position}")
        for out in OUTPUTS:
            exprs[(name, out)] = f"f{i}.{out}"
        done.params[f"label{i}"] = source.label
        done.errors.append(f"when f{i}.error is not null then [$label{i}, f{i}.error]")
    return done


# ---------------------------------------------------------------- staging


def _plain_text(column: pa.ChunkedArray, separator: str) -> pa.ChunkedArray:
    """A Parquet column as text: lists joined, numbers as plain digits (no exponent)."""
    import pyarrow.compute as pc  # only for Parquet files (30 ms)

    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        return pc.binary_join(pc.cast(column, pa.list_(pa.string())), separator)
    if pa.types.is_floating(column.type) or pa.types.is_decimal(column.type):
        return pa.chunked_array(
            [
                pa.array(
                    [
                        None if v is None else values.plain_decimal(_exact(v))
                        for v in column.to_pylist()
                    ],
                    pa.string(),
                )
            ]
        )
    return pc.cast(column, pa.string())


def _exact(value: float | Decimal) -> Decimal:
    """The shortest decimal that reads back as ``value`` (a float's ``repr``)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, spec: MappingSpec) -> int:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    columns = {
        f"c{i}": _plain_text(table.column(i), spec.skills_separator)
        for i in range(table.num_columns)
    }
    n = table.num_rows
    staged = pa.table({"line": pa.array(range(1, n + 1), pa.int64())} | columns)
    con.register(PARQUET_ROWS, staged)
    con.execute(f"create or replace temp table {STG_MAPPED} as select * from {PARQUET_ROWS}")  # noqa: S608
    con.unregister(PARQUET_ROWS)
    return n


def _drop_extra_header_rows(
    con: duckdb.DuckDBPyConnection, staged: StagedRead, extra: int
) -> StagedRead:
    """Take the first ``extra`` records after the header line out of the data rows."""
    if extra == 0:
        return staged
    lines = sorted(
        [r[0] for r in con.execute(f"select line from {STG_MAPPED}").fetchall()]  # noqa: S608
        + [int(r["line"]) for r in staged.rejects]
    )[:extra]
    con.execute(f"delete from {STG_MAPPED} where list_contains($lines, line)", {"lines": lines})  # noqa: S608
    rejects = [r for r in staged.rejects if int(r["line"]) not in lines]
    said = "line " if len(lines) == 1 else "lines "
    notes = [*staged.notes, f"{said}{', '.join(map(str, lines))} read as header"]
    return StagedRead(staged.rows_read - len(lines), rejects, notes)


def _stage(
    con: duckdb.DuckDBPyConnection, path: Path, spec: MappingSpec, scan: FileScan
) -> StagedRead:
    if spec.is_parquet:
        return StagedRead(rows_read=_stage_parquet(con, path, spec))
    positional = tuple(f"c{i}" for i in range(len(spec.header)))
    staged = read_csv_staged(con, path, columns=positional, table=STG_MAPPED, scan=scan)
    return _drop_extra_header_rows(con, staged, spec.header_rows - 1)


def _raw_text_sql(spec: MappingSpec) -> str:
    """The whole row as CSV, for Parquet rejects (CSV rejects get their line from the file)."""
    if not spec.is_parquet:
        return "null::varchar"
    return (
        "concat_ws(',', "
        + ", ".join(f"fdsa_csv_field(s.c{i})" for i in range(len(spec.header)))
        + ")"
    )


# ---------------------------------------------------------------- loading


def _used(sql: str, params: dict[str, object]) -> dict[str, object]:
    """The ``params`` that ``sql`` names (DuckDB refuses unused ones)."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


def load(job: LoadJob) -> LoadCounts:
    """Load the file into the mapping's target; every row loaded, rejected or duplicate."""
    con, spec = job.con, job.spec
    if not isinstance(spec, MappingSpec):
        raise TypeError(f"format {NAME} loads with the MappingSpec its check returned")
    staged = _stage(con, job.path, spec, job.scan)
    job.read(staged.rows_read, staged.rejects, staged.notes, raw_text_from_file=not spec.is_parquet)
    install_macros(con)
    converted = _convert_all(con, spec)
    if spec.target == "jobs":
        counts = _load_jobs(con, spec, converted, run_id=job.run_id, file=job.file)
    else:
        counts = _load_salaries(con, spec, converted, run_id=job.run_id, file=job.file)
    for table in (*converted.tables, STG_MAPPED):
        con.execute(f"drop table {table}")  # noqa: S608 - names from this module
    return counts


def _load_jobs(
    con: duckdb.DuckDBPyConnection,
    spec: MappingSpec,
    converted: _Converted,
    *,
    run_id: int,
    file: str,
) -> LoadCounts:
    """Stage the converted texts as :data:`postings_sql.TEXT_COLUMNS` and load ``jobs``."""
    select = []
    for name, kind in JOB_FIELDS.items():
        column = JOB_TEXT_COLUMNS.get(name, name)
        if kind.kind == "amount":
            out = {"hourly_low": "lo", "hourly_high": "hi"}.get(name, "point")
            expr = converted.output(name, out)
        else:
            expr = converted.output(name, "value")
        if name == "skills":
            expr = (
                "null::varchar[]"
                if expr == "null::varchar"
                else f"list_filter(list_transform(string_split({expr}, $sep), lambda x: trim(x)),"
                " lambda x: x <> '')"
            )
        select.append(f"{expr} as {column}")
    pre_reject = "case " + " ".join(converted.errors) + " end" if converted.errors else "null"
    select_sql = f"""create or replace temp table {STG_JOBS} as
        select s.line as ordinal, s.line, {", ".join(select)},
               {pre_reject} as pre_reject, {_raw_text_sql(spec)} as raw_text
        from {STG_MAPPED} as s {" ".join(converted.joins)}"""  # noqa: S608 - positional identifiers only
    con.execute(
        select_sql,
        _used(select_sql, converted.params | {"sep": spec.skills_separator}),
    )
    field_names = {JOB_TEXT_COLUMNS.get(k, k): s.label for k, s in spec.fields.items()}
    counts = reconcile.load_jobs(
        con,
        stg=STG_JOBS,
        run_id=run_id,
        source=spec.source,
        file=file,
        field_names=field_names,
        raw_text_sql="raw_text",
        ranges=spec.ranges,
        pre_reject="pre_reject",
    )
    con.execute(f"drop table {STG_JOBS}")
    return counts


_SALARY_INSERT = f"""
insert into salary_reports (
    salary_report_id, dataset, work_year, period_start_date, period_end_date,
    experience_level, employment_type, job_title, salary, salary_lo, salary_hi,
    salary_currency, salary_in_usd, employee_residence, employee_region, employee_area,
    remote_ratio, company_location, company_size, ingest_run_id, source_line)
select $first + row_number() over (order by line) - 1, $dataset, work_year, period_start,
       period_end, experience_level, employment_type, job_title, salary, salary_lo, salary_hi,
       currency, salary_in_usd, employee_residence, employee_region, employee_area,
       remote_ratio, company_location, company_size, $run, line
from {SALARIES_TYPED} where reject is null
"""  # noqa: S608 - fixed name


def _load_salaries(
    con: duckdb.DuckDBPyConnection,
    spec: MappingSpec,
    converted: _Converted,
    *,
    run_id: int,
    file: str,
) -> LoadCounts:
    """Check the converted rows across fields and load ``salary_reports``."""
    out = converted.output
    labels = {name: source.label for name, source in spec.fields.items()}
    params = converted.params | {
        f"f_{name}": labels.get(name, name)
        for name in ("salary", "salary_currency", "salary_in_usd", "period_start_date")
    }
    for name in ("salary", "salary_in_usd"):
        low, high = spec.ranges[name]
        params |= {f"{name}_min": float(low), f"{name}_max": float(high)}
        params[f"{name}_range"] = f"{values.plain_decimal(low)} to {values.plain_decimal(high)}"
    usd_low, usd_high = spec.ranges["salary_in_usd"]
    params |= {"usd_min": float(usd_low), "usd_max": float(usd_high)}
    sql = f"""
    create or replace temp table {SALARIES_TYPED} as
    with converted as (
        select s.line,
               {out("work_year", "value")}::integer as work_year_given,
               {out("period_start_date", "value")}::date as start_given,
               {out("period_end_date", "value")}::date as end_given,
               {out("experience_level", "value")} as experience_level,
               {out("employment_type", "value")} as employment_type,
               nullif(trim({out("job_title", "value")}), '') as job_title,
               {out("salary", "point")}::double as salary,
               {out("salary", "lo")}::double as salary_lo,
               {out("salary", "hi")}::double as salary_hi,
               {out("salary", "currency")} as salary_sign,
               {out("salary", "raw")} as salary_raw,
               {out("salary_in_usd", "raw")} as usd_raw,
               {out("salary_currency", "value")} as currency_given,
               {out("salary_in_usd", "point")}::double as usd_given,
               {out("salary_in_usd", "lo")}::double as usd_lo,
               {out("salary_in_usd", "currency")} as usd_sign,
               {out("employee_residence", "value")} as employee_residence,
               {out("employee_residence", "region")} as employee_region,
               {out("employee_residence", "area")} as employee_area,
               {out("remote_ratio", "value")}::integer as remote_ratio,
               {out("company_location", "value")} as company_location,
               {out("company_size", "value")} as company_size,
               case {" ".join(converted.errors) or "when false then null"} end as field_error
        from {STG_MAPPED} as s {" ".join(converted.joins)}
    ), derived as (
        select *,
               coalesce(currency_given, salary_sign) as currency,
               coalesce(usd_given, case when coalesce(currency_given, salary_sign) = 'USD'
                                        then salary end) as salary_in_usd,
               coalesce(work_year_given,
                        case when year(start_given) = year(end_given)
                             then year(start_given) end) as work_year,
               coalesce(start_given, make_date(work_year_given, 1, 1)) as period_start,
               coalesce(end_given, make_date(work_year_given, 12, 31)) as period_end
        from converted
    )
    select *, line as ordinal, null::varchar as raw_text,
        case
            when field_error is not null then field_error
            when salary_lo is null and usd_given is null and usd_lo is null then
                [$f_salary, 'no pay given']
            when currency_given <> salary_sign then
                [$f_salary, 'amount in ' || salary_sign || ' but salary_currency is '
                            || currency_given]
            when usd_sign <> 'USD' then
                [$f_salary_in_usd, 'amount in ' || usd_sign || ', not USD']
            when salary_lo < 0 or salary < 0 then [$f_salary, 'negative amount']
            when usd_given < 0 or usd_lo < 0 then [$f_salary_in_usd, 'negative amount']
            when salary < $salary_min or greatest(salary, salary_lo, salary_hi) > $salary_max then
                [$f_salary, 'implausible amount: ' || left(salary_raw, 80)
                            || ' (plausible: ' || $salary_range || ')']
            when currency = 'USD' and (salary < $usd_min
                                       or greatest(salary, salary_lo, salary_hi) > $usd_max)
            then [$f_salary, 'implausible amount: ' || left(salary_raw, 80)
                             || ' (plausible in USD: ' || $salary_in_usd_range || ')']
            when usd_given < $salary_in_usd_min or greatest(usd_given, usd_lo) > $salary_in_usd_max
            then [$f_salary_in_usd, 'implausible amount: ' || left(usd_raw, 80)
                                    || ' (plausible: ' || $salary_in_usd_range || ')']
            when period_start > period_end then
                [$f_period_start_date, 'period starts after it ends']
        end as reject
    from derived
    """  # noqa: S608 - expressions over positional names and conversion tables only
    con.execute(sql, _used(sql, params))
    return _insert_salaries(con, spec.dataset, run_id=run_id, file=file)


def _insert_salaries(
    con: duckdb.DuckDBPyConnection, dataset: str | None, *, run_id: int, file: str
) -> LoadCounts:
    """Rejects and ``salary_reports`` rows of :data:`SALARIES_TYPED`; drops it."""
    insert_rejects_from(con, SALARIES_TYPED, run_id, file)
    first = next_id(con, "salary_reports", "salary_report_id")
    con.execute(_SALARY_INSERT, {"first": first, "run": run_id, "dataset": dataset})
    loaded, rejected, no_usd, region_only = con.execute(
        f"""
        select count(*) filter (reject is null), count(*) filter (reject is not null),
               count(*) filter (reject is null and salary_in_usd is null),
               count(*) filter (reject is null and employee_area is not null)
        from {SALARIES_TYPED}
        """  # noqa: S608 - fixed name
    ).fetchall()[0]
    con.execute(f"drop table {SALARIES_TYPED}")
    counts = LoadCounts(read=loaded + rejected, loaded=loaded, rejected=rejected)
    if no_usd:
        counts.notes.append(f"{no_usd} loaded rows have no amount in USD (salary_in_usd null)")
    if region_only:
        counts.notes.append(f"{region_only} loaded rows give a region, not a country")
    return counts


FORMAT = Format(NAME, DESCRIPTION, check, load, needs_mapping=True)
"""The ``mapped`` format (:class:`fdsa.ingest.formats.IngestFormat`)."""
