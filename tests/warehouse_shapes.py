"""Warehouses of every shape a user can have: simulated, real postings only, salaries only, both.

The postings files are written here in the two real layouts fdsa reads (the Kaggle
"Upwork Job Postings" CSV and a JSON job feed), with what real dumps carry: varied
titles that are not the simulated market's vocabulary, a start in 2023 rather than at
the simulated market's 2021, hourly ranges on about half the postings and fixed budgets
(a few placeholders of $5 or less) on the rest, client countries with a long tail and
some blanks, re-scrapes of the same link, and a few broken rows.
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

TITLES: tuple[str, ...] = (
    "Data Scientist for churn prediction model",
    "Build a RAG chatbot over our internal PDFs",
    "LLM engineer: fine-tune Llama on support tickets",
    "OpenAI API integration for a customer-service assistant",
    "Prompt engineer for GPT-4 content pipeline",
    "Quant researcher: backtest a momentum strategy in Python",
    "Credit risk scorecard for a fintech lender",
    "Fraud detection model for card transactions",
    "Crypto trading bot with Binance API",
    "On-chain analytics dashboard for a DeFi protocol",
    "Solar output forecasting with weather data",
    "Energy load forecasting for a utility",
    "OCR invoices into structured data (Tesseract or cloud)",
    "Extract tables from scanned PDFs",
    "Power BI dashboard for sales KPIs",
    "Tableau expert to rebuild executive dashboard",
    "Looker Studio report from Google Analytics 4",
    "Excel VBA automation of monthly reporting",
    "Web scraping of real-estate listings with Scrapy",
    "Scrape product prices from e-commerce sites daily",
    "Airflow + dbt pipeline on Snowflake",
    "Data engineer to move ETL from SSIS to Azure Data Factory",
    "MLOps: deploy a model on AWS SageMaker",
    "Computer vision: detect defects on a production line",
    "YOLO object detection for retail shelves",
    "Sentiment analysis of customer reviews",
    "Named-entity recognition for legal contracts",
    "Biostatistician for a clinical trial analysis in R",
    "SAS programmer for survival analysis",
    "Statistics help for a PhD thesis (SPSS / R)",
    "Marketing mix model for a DTC brand",
    "Customer segmentation for email campaigns",
    "A/B test analysis for our checkout page",
    "Shopify sales data analysis and forecasting",
    "Recommendation engine for an online store",
    "Data strategy consultant for a mid-size manufacturer",
    "Fractional head of data to set up our analytics stack",
    "Build a KPI framework and data roadmap",
    "Time series forecasting of demand (Prophet / ARIMA)",
    "Python developer to clean and merge messy CSV files",
    "SQL expert to optimise slow PostgreSQL queries",
    "Google BigQuery analyst for marketing attribution",
    "Data entry and cleaning in Google Sheets",
    "Jupyter notebook tutor for machine learning basics",
    "Kaggle-style model for house prices",
    "Healthcare claims analysis with Python",
    "Write a report on AI adoption in logistics",
    "Chatbot for WhatsApp with Dialogflow",
    "Speech-to-text transcription pipeline with Whisper",
    "Image classification of medical X-rays",
)
"""Titles as clients write them on real boards (not the simulated market's vocabulary)."""

COUNTRIES: tuple[tuple[str, float], ...] = (
    ("United States", 0.36),
    ("India", 0.12),
    ("United Kingdom", 0.08),
    ("Australia", 0.05),
    ("Canada", 0.05),
    ("Germany", 0.04),
    ("United Arab Emirates", 0.03),
    ("Pakistan", 0.03),
    ("Netherlands", 0.03),
    ("France", 0.02),
    ("Singapore", 0.02),
    ("Israel", 0.02),
    ("Nigeria", 0.02),
    ("Brazil", 0.02),
    ("Switzerland", 0.02),
    ("", 0.13),
)
"""Client countries (CALIBRATION.md: US 36%, India 12%, UK 8%, AU 5%, CA 5%), 13% blank."""

POSTINGS_START = datetime(2023, 1, 3, tzinfo=UTC)
POSTINGS_DAYS = 483  # to 2024-04-29: 16 calendar months
POSTINGS_COLUMNS = (
    "title",
    "link",
    "description",
    "published_date",
    "is_hourly",
    "hourly_low",
    "hourly_high",
    "budget",
    "country",
)


def postings_rows(n: int, *, seed: int = 0) -> list[dict[str, object]]:
    """``n`` postings as dicts of the Kaggle layout, about 3% of them re-scrapes."""
    rng = np.random.default_rng(seed)
    names = [c for c, _ in COUNTRIES]
    weights = np.array([w for _, w in COUNTRIES])
    weights = weights / weights.sum()
    rows: list[dict[str, object]] = []
    for i in range(n):
        if rows and rng.random() < 0.03:  # a later scrape of an earlier posting
            again = dict(rows[int(rng.integers(len(rows)))])
            seen = datetime.fromisoformat(str(again["published_date"]))
            again["published_date"] = str(seen + timedelta(days=int(rng.integers(1, 10))))
            rows.append(again)
            continue
        posted = POSTINGS_START + timedelta(
            seconds=int(rng.integers(POSTINGS_DAYS * 86_400 - 86_400))
        )
        title = TITLES[int(rng.integers(len(TITLES)))]
        hourly = rng.random() < 0.468
        row: dict[str, object] = {
            "title": title,
            "link": f"https://www.upwork.com/jobs/~{i:012d}",
            "description": f"We need help: {title.lower()}. Python, SQL; long-term possible.",
            "published_date": str(posted),
            "is_hourly": "True" if hourly else "False",
            "hourly_low": "",
            "hourly_high": "",
            "budget": "",
            "country": names[int(rng.choice(len(names), p=weights))],
        }
        if hourly:
            low = float(np.round(np.exp(rng.normal(np.log(16.5), 0.5)), 0))
            row["hourly_low"] = f"{low:.1f}"
            row["hourly_high"] = f"{np.round(low * np.exp(rng.normal(0.88, 0.3)), 0):.1f}"
        elif rng.random() < 0.03:
            row["budget"] = str(int(rng.integers(0, 6)))  # placeholder budgets
        else:
            row["budget"] = f"{np.round(np.exp(rng.normal(np.log(70), 1.2)), 0):.0f}"
        rows.append(row)
    return rows


def write_postings_csv(path: Path, n: int = 2_000, *, seed: int = 0) -> Path:
    """A postings dump in the Kaggle layout, with two broken rows at its end."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=POSTINGS_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(postings_rows(n, seed=seed))
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("Broken date,https://x/broken-1,x,next tuesday,False,,,10,India\n")
        handle.write("Inverted range,https://x/broken-2,x,2023-06-01,True,50,20,,India\n")
    return path


def write_feed_json(path: Path, n: int = 1_500, *, seed: int = 1) -> Path:
    """The same kind of postings as JSON feed items (one per line), pay in the summary."""
    with open(path, "w", encoding="utf-8") as handle:
        for row in postings_rows(n, seed=seed):
            if row["is_hourly"] == "True":
                pay = f"Hourly Range: ${row['hourly_low']}-${row['hourly_high']}"
            else:
                pay = f"Budget: ${row['budget']}"
            country = f" Country: {row['country']}" if row["country"] else ""
            item = {
                "title": row["title"],
                "link": row["link"],
                "published": row["published_date"],
                "summary": f"{row['description']} {pay}{country}",
            }
            handle.write(json.dumps(item) + "\n")
    return path


def salaries_csv() -> Path:
    """The real aijobs.net salary snapshot shipped in data/raw (CC0)."""
    return Path(__file__).resolve().parents[1] / "data/raw/aijobs_salaries/salaries.csv"


def build(path: Path, shape: str, *, simulated: Path | None = None, tmp: Path) -> Path:
    """Publish a warehouse of ``shape`` at ``path`` (see :data:`SHAPES`)."""
    from fdsa.ingest import ingest_file

    if shape == "simulated":
        assert simulated is not None
        shutil.copyfile(simulated, path)
        return path
    if shape in ("postings", "postings+salaries"):
        dump = write_postings_csv(tmp / "postings.csv")
        ingest_file(dump, format_name="postings-csv", warehouse=path)
    if shape == "feed":
        feed = write_feed_json(tmp / "feed.jsonl")
        ingest_file(feed, format_name="feed-json", warehouse=path)
    if shape in ("salaries", "postings+salaries"):
        ingest_file(salaries_csv(), format_name="aijobs-salaries", warehouse=path)
    return path


SHAPES = ("simulated", "postings", "feed", "salaries", "postings+salaries")
"""Warehouse shapes: what a user may hold."""
