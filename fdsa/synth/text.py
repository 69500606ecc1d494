"""Words of the synthetic market: job titles, skills, profile titles and review texts.

Titles carry the keywords a real posting in the niche would, so the importers'
niche classifier can be checked against the synthetic market.
"""

from __future__ import annotations

JOB_TITLES: dict[str, tuple[str, ...]] = {
    "finance_fintech": (
        "Fraud detection model for a fintech app",
        "Credit risk scoring model for a lending startup",
        "Portfolio analytics and backtesting in Python",
        "Financial forecasting model for a SaaS business",
    ),
    "crypto_web3": (
        "On-chain analytics dashboard for a DeFi protocol",
        "Crypto trading bot backtesting and signals",
        "Blockchain transaction data pipeline for a web3 wallet",
    ),
    "energy": (
        "Energy load forecasting for a utility",
        "Solar power generation forecasting model",
        "Oil and gas production data analysis",
    ),
    "healthcare_biostatistics": (
        "Biostatistician for a clinical trial analysis",
        "Survival analysis of patient outcomes in R",
        "Healthcare claims data analysis",
    ),
    "marketing_analytics": (
        "Marketing mix model for ad spend",
        "Customer segmentation and churn analysis for marketing",
        "Google Analytics 4 attribution report",
    ),
    "ecommerce": (
        "Shopify sales analytics and demand forecasting",
        "Product recommendation engine for an e-commerce store",
        "Amazon seller pricing analysis",
    ),
    "ocr_document_ai": (
        "OCR pipeline to extract data from scanned invoices",
        "Document AI to parse PDF forms",
        "Handwriting OCR model for archive documents",
    ),
    "llm_applications": (
        "Build a RAG chatbot with LangChain and OpenAI",
        "Fine-tune an LLM for customer support answers",
        "GPT-powered assistant for internal documents",
        "Prompt engineering and LLM evaluation pipeline",
    ),
    "computer_vision": (
        "Object detection model with YOLO for retail shelves",
        "Image classification model in PyTorch",
        "Computer vision defect detection on a production line",
    ),
    "nlp": (
        "Sentiment analysis of customer reviews",
        "Named entity recognition model for legal text",
        "Text classification with spaCy and transformers",
    ),
    "mlops_data_engineering": (
        "Data engineer to build an ETL pipeline in Airflow",
        "Deploy ML models with MLOps on AWS SageMaker",
        "Snowflake and dbt data warehouse setup",
        "Spark data pipeline optimisation",
    ),
    "bi_dashboards": (
        "Power BI dashboard for sales KPIs",
        "Tableau dashboard for operations reporting",
        "Looker Studio report from Google Sheets",
        "Excel dashboard and pivot table automation",
    ),
    "data_strategy_consulting": (
        "Data strategy consultant for a mid-size company",
        "Fractional head of data to define analytics roadmap",
        "Data governance and strategy assessment",
    ),
    "academic_research_statistics": (
        "Statistical analysis for a PhD dissertation in SPSS",
        "Regression analysis for an academic research paper",
        "Meta-analysis and statistics consulting for researchers",
    ),
    "scraping_data_collection": (
        "Scrape product listings from e-commerce sites",
        "Web scraping of real estate listings with Python",
        "Data collection and lead list scraping from LinkedIn",
    ),
    "other": (
        "Data entry and spreadsheet cleanup",
        "Help with a small Python script",
        "Quick data task for a side project",
    ),
}

NICHE_SKILLS: dict[str, tuple[str, ...]] = {
    "finance_fintech": (
        "Python",
        "Financial Modeling",
        "Risk Analysis",
        "SQL",
        "Pandas",
        "Excel",
        "Statistics",
    ),
    "crypto_web3": (
        "Blockchain",
        "Python",
        "Solidity",
        "Dune Analytics",
        "Trading",
        "SQL",
        "Web3.js",
    ),
    "energy": (
        "Time Series Forecasting",
        "Python",
        "Energy",
        "SQL",
        "Machine Learning",
        "Power BI",
        "Optimization",
    ),
    "healthcare_biostatistics": (
        "R",
        "Biostatistics",
        "SAS",
        "Survival Analysis",
        "Clinical Trials",
        "Python",
        "SQL",
    ),
    "marketing_analytics": (
        "Google Analytics",
        "SQL",
        "Marketing Analytics",
        "Python",
        "A/B Testing",
        "Looker Studio",
        "Excel",
    ),
    "ecommerce": (
        "Shopify",
        "Python",
        "Demand Forecasting",
        "SQL",
        "Recommendation Systems",
        "Excel",
        "Power BI",
    ),
    "ocr_document_ai": (
        "OCR",
        "Tesseract",
        "Python",
        "Computer Vision",
        "Document AI",
        "PyTorch",
        "AWS",
    ),
    "llm_applications": (
        "LangChain",
        "OpenAI API",
        "Python",
        "RAG",
        "Vector Databases",
        "LLM",
        "FastAPI",
        "Prompt Engineering",
    ),
    "computer_vision": (
        "PyTorch",
        "OpenCV",
        "YOLO",
        "Python",
        "Deep Learning",
        "TensorFlow",
        "AWS",
    ),
    "nlp": (
        "NLP",
        "spaCy",
        "Transformers",
        "Python",
        "Text Classification",
        "PyTorch",
        "Hugging Face",
    ),
    "mlops_data_engineering": (
        "Airflow",
        "dbt",
        "Snowflake",
        "AWS",
        "Spark",
        "Docker",
        "Python",
        "Kubernetes",
    ),
    "bi_dashboards": (
        "Power BI",
        "Tableau",
        "Excel",
        "SQL",
        "DAX",
        "Looker Studio",
        "Python",
        "Google Sheets",
    ),
    "data_strategy_consulting": (
        "Data Strategy",
        "Analytics",
        "Stakeholder Management",
        "SQL",
        "Data Governance",
        "Power BI",
        "Excel",
    ),
    "academic_research_statistics": (
        "SPSS",
        "R",
        "Statistics",
        "Stata",
        "Regression Analysis",
        "Python",
        "Excel",
    ),
    "scraping_data_collection": (
        "Web Scraping",
        "Python",
        "Scrapy",
        "Selenium",
        "Data Mining",
        "Beautiful Soup",
        "Excel",
    ),
    "other": ("Data Entry", "Excel", "Python", "Google Sheets", "Data Cleaning", "SQL"),
}

PROFILE_TITLES: dict[str, str] = {
    "finance_fintech": "Quantitative analyst | fintech data science",
    "crypto_web3": "Crypto and on-chain data analyst",
    "energy": "Energy forecasting data scientist",
    "healthcare_biostatistics": "Biostatistician | clinical and health data",
    "marketing_analytics": "Marketing analytics and attribution",
    "ecommerce": "E-commerce analytics and forecasting",
    "ocr_document_ai": "OCR and document AI engineer",
    "llm_applications": "LLM applications engineer | RAG, agents",
    "computer_vision": "Computer vision engineer",
    "nlp": "NLP data scientist",
    "mlops_data_engineering": "Data engineer | pipelines and MLOps",
    "bi_dashboards": "Power BI and Tableau dashboard developer",
    "data_strategy_consulting": "Data strategy consultant",
    "academic_research_statistics": "Statistician for academic research",
    "scraping_data_collection": "Web scraping and data collection",
    "other": "Data generalist",
}

DESCRIPTION_TEMPLATE = (
    "We are looking for a freelancer to help with: {title}. "
    "Please describe similar work you have done. Skills: {skills}."
)

REVIEW_TEXTS: tuple[tuple[float, str], ...] = (
    (4.75, "Excellent work, clear communication, delivered ahead of schedule."),
    (4.0, "Good work overall, a few revisions needed."),
    (3.0, "Okay result but communication could be better."),
    (1.0, "Did not meet expectations."),
)
