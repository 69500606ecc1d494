"""Niche classifier: free-text title, skills and category → a slug of ``taxonomy.NICHES``.

The rules live in :data:`NICHE_RULES`, the one place they are written. They are
ordered regular expressions over lower-cased text; the first that matches wins, so
specific niches come before generic ones (scraping before e-commerce, crypto before
dashboards, academic statistics before consulting). The title is tried first; only
when no rule matches the title are the category and skills tried. Nothing matches →
``other``.

Patterns use the syntax common to Python's ``re`` and RE2 (DuckDB's regex engine),
so the same rules run one posting at a time (:func:`classify`) and as one DuckDB
``CASE`` expression (:func:`niche_sql`), with the patterns bound as parameters; a load
applies it once per distinct text (``fdsa.ingest.reconcile``).

The rules are the first step. Where they say ``other``, a text model trained on
labelled titles and on the postings the rules label with confidence
(:mod:`fdsa.ingest.niche_model`) names the niche when it is sure enough:
:func:`classify` does both for one posting, :func:`classify_other` for the distinct
texts of a load that the rules left in ``other``. See ``docs/niches.md``.
"""

from __future__ import annotations

import functools
import re

import duckdb

from fdsa import taxonomy

NICHE_RULES: tuple[tuple[str, str], ...] = (
    (
        "scraping_data_collection",
        r"\bscrap(e|er|ers|es|ed|ing|y)\b|web ?crawl|\bcrawl(er|ing)\b|data collection"
        r"|lead (list|generation)|data mining|selenium|beautiful ?soup|puppeteer|playwright"
        r"|data extraction from (web|site)",
    ),
    (
        "crypto_web3",
        r"crypto|blockchain|web3|\bdefi\b|on-chain|onchain|solidity|\bnfts?\b|ethereum"
        r"|bitcoin|tokenomics|smart contract|dune analytics",
    ),
    (
        "llm_applications",
        r"\bllms?\b|\bgpt|chatgpt|openai|langchain|llama ?index|\brag\b|chat ?bot"
        r"|prompt engineer|generative ai|\bgen ?ai\b|vector (db|database|store|search)"
        r"|embeddings|fine-?tun\w* (an? )?(llm|gpt|llama|mistral)|\bai agents?\b"
        r"|retrieval.augmented",
    ),
    (
        "ocr_document_ai",
        r"\bocr\b|tesseract|document ai|document (parsing|extraction|understanding|processing)"
        r"|scanned|invoices?\b|receipts?\b|handwrit|pdf (forms?|extraction|parsing)"
        r"|parse pdf|extract\w* (data )?from pdf|textract|form recognizer",
    ),
    (
        "computer_vision",
        r"computer vision|object detection|image (classification|segmentation|recognition"
        r"|processing|annotation)|\byolo|opencv|face (recognition|detection)|pose estimation"
        r"|(semantic|instance) segmentation|video analytics|\bcnns?\b|defect detection|lidar"
        r"|point cloud",
    ),
    (
        "nlp",
        r"\bnlp\b|natural language|sentiment|named entity|\bner\b|text (classification|mining"
        r"|analytics|analysis|summari[sz]ation)|topic model|spacy|nltk|transformers|\bbert\b"
        r"|speech recognition",
    ),
    (
        "healthcare_biostatistics",
        r"biostat|clinical|patient|healthcare|health care|medical|hospital|pharma"
        r"|epidemiolog|survival analysis|\behr\b|genomic|bioinformatic|public health",
    ),
    (
        "finance_fintech",
        r"fintech|fraud|credit (risk|scor)|lending|\bloans?\b|portfolio|backtest|trading"
        r"|stock market|\bstocks?\b|financial|\bfinance\b|banking|\bbank\b|insurance|actuar"
        r"|\bquant\b|quantitative finance|hedge fund|forex|accounting",
    ),
    (
        "energy",
        r"\benergy|solar|wind (farm|power|turbine|energy)|oil (and|&) gas|\butility\b"
        r"|\butilities\b|electricity|power (plant|generation|grid|consumption)|smart grid"
        r"|battery|renewable|ev charging",
    ),
    (
        "ecommerce",
        r"e-?commerce|shopify|amazon (seller|fba|store|listings?|sales|products?|pricing"
        r"|marketplace)|woocommerce|\betsy\b|\bebay\b|online store|product recommendation"
        r"|recommendation (engine|system)|magento|dropshipping|\bskus?\b|cart abandon",
    ),
    (
        "marketing_analytics",
        r"marketing|\bads\b|ad spend|advertising|google analytics|\bga4\b|attribution"
        r"|campaign|customer segmentation|\bchurn\b|\bseo\b|\bcrm\b|a/b test|\bab test"
        r"|conversion rate|customer lifetime|\bcltv\b|\bltv\b|media mix",
    ),
    (
        "mlops_data_engineering",
        r"mlops|data engineer|\betl\b|\belt\b|airflow|\bdbt\b|snowflake|databricks|\bspark\b"
        r"|kafka|data pipeline|data warehouse|bigquery|redshift|sagemaker|kubernetes|docker"
        r"|deploy\w* (ml|machine learning|models?)|model deployment|data lake"
        r"|pipeline optimi",
    ),
    (
        "bi_dashboards",
        r"power ?bi|tableau|looker|dashboard|\bdax\b|qlik|metabase|superset|data studio"
        r"|excel (dashboard|report|automation|vba|expert)|pivot table|\bkpis?\b"
        r"|business intelligence|\bbi\b|\bvba\b",
    ),
    (
        "academic_research_statistics",
        r"\bph\.?d\b|dissertation|thesis|academic|research paper|journal|\bspss\b|\bstata\b"
        r"|meta-analysis|statistical analysis|regression analysis|statistics|statistician"
        r"|\banova\b|structural equation|psychometric|researchers?\b",
    ),
    (
        "data_strategy_consulting",
        r"data strategy|strategy|head of data|fractional|roadmap|data governance"
        r"|consult(ant|ing)|advisor|\bcdo\b|chief data",
    ),
)
"""Ordered ``(niche, pattern)`` rules over lower-cased text; the first match wins."""

OTHER = "other"


def _check_rules() -> None:
    for niche, _pattern in NICHE_RULES:
        if niche not in taxonomy.NICHES or niche == OTHER:
            raise ValueError(f"niche rule for unknown niche {niche!r}")


_check_rules()


@functools.cache
def _compiled() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((niche, re.compile(pattern)) for niche, pattern in NICHE_RULES)


def _first_match(text: str) -> str | None:
    for niche, pattern in _compiled():
        if pattern.search(text):
            return niche
    return None


def matching_rules(text: str) -> list[str]:
    """Niches of every rule that matches the lower-cased ``text``, in rule order."""
    return [niche for niche, pattern in _compiled() if pattern.search(text)]


def classify(
    title: str | None,
    skills: list[str] | None = None,
    category: str | None = None,
    *,
    model: bool = True,
) -> str:
    """Niche of one posting: the rules, then the model where they say ``other``.

    Parameters
    ----------
    title
        Posting title (free text).
    skills
        Skill tags, if the source has them.
    category
        Source category label, if any.
    model
        Ask the niche model (:mod:`fdsa.ingest.niche_model`) when no rule matches;
        ``False`` gives the rules alone.

    Returns
    -------
    str
        A slug of ``taxonomy.NICHES``; ``other`` when no rule matches and the model
        is not sure of a niche.

    Examples
    --------
    >>> classify("Build a RAG chatbot with LangChain")
    'llm_applications'
    >>> classify("Help needed", skills=["Power BI", "DAX"])
    'bi_dashboards'
    """
    title_l = (title or "").lower()
    found = _first_match(title_l)
    rest_l = ""
    if found is None:
        rest_l = " | ".join([category or "", *(skills or [])]).lower()
        found = _first_match(rest_l)
    if found is None and model:
        from fdsa.ingest import niche_model

        return niche_model.predict([title_l], [rest_l])[0]
    return found or OTHER


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def classify_other(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Let the niche model decide the texts of ``table`` that the rules left ``other``.

    ``table`` holds one row per distinct text: ``title_l`` and ``rest_l`` (lower-cased
    title, and category and skills, as :func:`niche_sql` reads them) and ``niche``.
    The model reads each distinct ``other`` text once, in one batch; the niches it is
    sure of are written back with one ``UPDATE`` (values bound).

    Parameters
    ----------
    con
        Connection holding ``table``.
    table
        Name of the table (the caller's identifier, never user text).

    Returns
    -------
    int
        How many texts the model moved out of ``other``.
    """
    if not _IDENTIFIER.fullmatch(table):
        raise ValueError(f"not a table name: {table!r}")
    rows = con.execute(
        f"select title_l, rest_l from {table} where niche = $other",  # noqa: S608 - checked name
        {"other": OTHER},
    ).fetchall()
    if not rows:
        return 0
    from fdsa.ingest import niche_model

    found = niche_model.predict([t for t, _ in rows], [r for _, r in rows])
    moved = [(t, r, n) for (t, r), n in zip(rows, found, strict=True) if n != OTHER]
    if moved:
        con.execute(
            f"""
            update {table} as t set niche = m.niche
            from (select unnest($titles) as title_l, unnest($rests) as rest_l,
                         unnest($niches) as niche) as m
            where t.title_l is not distinct from m.title_l
              and t.rest_l is not distinct from m.rest_l
            """,  # noqa: S608 - checked table name, values bound
            {
                "titles": [t for t, _, _ in moved],
                "rests": [r for _, r, _ in moved],
                "niches": [n for _, _, n in moved],
            },
        )
    return len(moved)


RULES_PER_GROUP = 4
"""Rules per prefilter group of :func:`niche_sql` (fastest of 2–8 on 490k distinct titles)."""


def niche_sql(title_sql: str, rest_sql: str) -> tuple[str, dict[str, str]]:
    """A DuckDB expression that classifies like :func:`classify`, with its parameters.

    The rules are tried in groups of :data:`RULES_PER_GROUP`: one alternation of a
    group's patterns tells whether any of them matches, and only then are its rules
    tried one by one. The first matching rule is the same, and a title matching a late
    rule costs a few passes instead of one per earlier rule (half the time overall).

    Parameters
    ----------
    title_sql
        SQL expression of the lower-cased title (an identifier from the caller's own
        code, never user text).
    rest_sql
        SQL expression of the lower-cased category and skills text.

    Returns
    -------
    tuple[str, dict[str, str]]
        The ``CASE`` expression and the bound parameters (``$niche_pattern_<i>`` for
        the patterns, ``$niche_group_<g>`` for the groups, ``$niche_name_<i>`` for the
        slugs).
    """
    params: dict[str, str] = {"niche_other": OTHER}
    for i, (niche, pattern) in enumerate(NICHE_RULES):
        params[f"niche_pattern_{i}"] = pattern
        params[f"niche_name_{i}"] = niche
    groups = [
        range(start, min(start + RULES_PER_GROUP, len(NICHE_RULES)))
        for start in range(0, len(NICHE_RULES), RULES_PER_GROUP)
    ]
    for g, members in enumerate(groups):
        params[f"niche_group_{g}"] = "|".join(f"(?:{NICHE_RULES[i][1]})" for i in members)

    def first_rule(text_sql: str) -> str:
        arms = []
        for g, members in enumerate(groups):
            inner = " ".join(
                f"when regexp_matches({text_sql}, $niche_pattern_{i}) then $niche_name_{i}"
                for i in members
            )
            arms.append(f"when regexp_matches({text_sql}, $niche_group_{g}) then case {inner} end")
        return "case " + " ".join(arms)

    expression = f"{first_rule(title_sql)} else {first_rule(rest_sql)} else $niche_other end end"
    return expression, params
