"""The niche rules: labelled titles, skills fallback, SQL and Python agree.

The model that decides where the rules say ``other`` is tested in
``tests/unit/test_niche_model.py``; here ``classify(..., model=False)`` is the rules alone.
"""

from __future__ import annotations

import duckdb
import pytest

from fdsa import taxonomy
from fdsa.ingest import niches
from fdsa.synth.text import JOB_TITLES

LABELLED: tuple[tuple[str, str], ...] = (
    ("Build a RAG chatbot with LangChain", "llm_applications"),
    ("Fine-tune Llama 2 on support tickets; fine-tuning an LLM", "llm_applications"),
    ("ChatGPT plugin for our CRM", "llm_applications"),
    ("Vector database and embeddings search for docs", "llm_applications"),
    ("Power BI dashboard for sales KPIs", "bi_dashboards"),
    ("Tableau expert needed", "bi_dashboards"),
    ("Looker Studio monthly report", "bi_dashboards"),
    ("Excel VBA macro for reporting", "bi_dashboards"),
    ("Fraud detection model for a fintech", "finance_fintech"),
    ("Credit scoring model for microloans", "finance_fintech"),
    ("Stock portfolio optimisation in Python", "finance_fintech"),
    ("Insurance claims actuarial model", "finance_fintech"),
    ("Scrape product listings from e-commerce sites", "scraping_data_collection"),
    ("Python web scraper for Zillow", "scraping_data_collection"),
    ("Selenium bot to collect public tender data", "scraping_data_collection"),
    ("Lead list building from LinkedIn", "scraping_data_collection"),
    ("NFT marketplace analytics", "crypto_web3"),
    ("Ethereum wallet transaction analysis", "crypto_web3"),
    ("Solar panel output forecasting", "energy"),
    ("Electricity demand model for a utility", "energy"),
    ("Clinical trial biostatistician (SAS/R)", "healthcare_biostatistics"),
    ("Hospital readmission prediction", "healthcare_biostatistics"),
    ("Google Analytics 4 setup and attribution", "marketing_analytics"),
    ("Facebook ads campaign performance analysis", "marketing_analytics"),
    ("Customer churn model for a telecom", "marketing_analytics"),
    ("Shopify store sales analysis", "ecommerce"),
    ("Amazon FBA product research data", "ecommerce"),
    ("Recommendation system for an online store", "ecommerce"),
    ("Extract tables from scanned PDFs with OCR", "ocr_document_ai"),
    ("Invoice data extraction automation", "ocr_document_ai"),
    ("YOLOv8 object detection for traffic cameras", "computer_vision"),
    ("OpenCV image processing script", "computer_vision"),
    ("Sentiment analysis of tweets", "nlp"),
    ("Named entity recognition with spaCy", "nlp"),
    ("Airflow DAGs and dbt models on Snowflake", "mlops_data_engineering"),
    ("Databricks Spark job tuning", "mlops_data_engineering"),
    ("Deploy ML model to Kubernetes", "mlops_data_engineering"),
    ("SPSS analysis for my master's thesis", "academic_research_statistics"),
    ("ANOVA and regression analysis for a journal article", "academic_research_statistics"),
    ("Data strategy roadmap for a retailer", "data_strategy_consulting"),
    ("Fractional chief data officer", "data_strategy_consulting"),
    ("Data entry into Google Sheets", "other"),
    ("Quick Python help", "other"),
    ("Translate a website into Spanish", "other"),
)


@pytest.mark.parametrize(("title", "niche"), LABELLED)
def test_labelled_titles(title: str, niche: str) -> None:
    assert niches.classify(title, model=False) == niche


def test_synthetic_market_titles_classify_to_their_niche() -> None:
    wrong = [
        (title, niche, niches.classify(title, model=False))
        for niche, titles in JOB_TITLES.items()
        for title in titles
        if niches.classify(title, model=False) != niche
    ]
    assert wrong == []


def test_skills_and_category_are_a_fallback_only() -> None:
    rules = {"model": False}
    assert niches.classify("Help needed", skills=["Power BI", "DAX"], **rules) == "bi_dashboards"
    assert (
        niches.classify("Help needed", category="Web Scraping", **rules)
        == "scraping_data_collection"
    )
    # The title wins over the skills.
    assert niches.classify("Sentiment analysis", skills=["Tableau"], **rules) == "nlp"
    assert niches.classify(None, **rules) == "other"


def test_rules_name_only_known_niches() -> None:
    assert {n for n, _ in niches.NICHE_RULES} <= set(taxonomy.NICHES) - {"other"}


def test_sql_expression_agrees_with_python() -> None:
    con = duckdb.connect()
    expression, params = niches.niche_sql("lower(title)", "''")
    titles = [t for t, _ in LABELLED]
    got = con.execute(
        f"select {expression} from unnest($titles) with ordinality as u(title, i) order by i",  # noqa: S608
        {**params, "titles": titles},
    ).fetchall()
    assert [g[0] for g in got] == [niches.classify(t, model=False) for t in titles]


def test_grouped_sql_agrees_with_python_on_mixed_texts() -> None:
    """Titles that match several rules, none, or only through category and skills."""
    import numpy as np

    from fdsa.synth.text import NICHE_SKILLS

    rng = np.random.default_rng(5)
    titles = [t for ts in JOB_TITLES.values() for t in ts]
    skills = sorted({s for ss in NICHE_SKILLS.values() for s in ss})
    words = ["help needed", "quick task", "dashboard", "scraper", "NFT", "clinical", "seo"]
    rows = []
    for _ in range(3000):
        parts = list(rng.choice(titles + words, size=rng.integers(0, 3), replace=False))
        title = " ".join(parts) or "help needed"
        chosen = list(rng.choice(skills, size=rng.integers(0, 4), replace=False))
        category = str(rng.choice(["", "Data Science & Analytics", "Web, Mobile & Software"]))
        rows.append((title, chosen, category or None))
    con = duckdb.connect()
    expression, params = niches.niche_sql(
        "lower(title)", "lower(concat_ws(' | ', category, array_to_string(skills, ' | ')))"
    )
    got = con.execute(
        f"""
        select {expression}
        from (select unnest($titles) as title, unnest($skills::varchar[][]) as skills,
                     unnest($categories) as category, generate_subscripts($titles, 1) as i)
        order by i
        """,  # noqa: S608 - expression from NICHE_RULES, patterns bound
        {
            **params,
            "titles": [r[0] for r in rows],
            "skills": [r[1] for r in rows],
            "categories": [r[2] for r in rows],
        },
    ).fetchall()
    expected = [niches.classify(t, s, c, model=False) for t, s, c in rows]
    assert [g[0] for g in got] == expected
    assert len(set(expected)) >= 12  # the texts reach most rules, and "other"
    assert niches.OTHER in expected
