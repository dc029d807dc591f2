"""Scrapy settings: polite defaults, the pipeline order, our PARQUET_/EXTRACT_/SITE_ knobs."""

from __future__ import annotations

import os

from crawler.profile import BUNDLED_PROFILES

BOT_NAME = "opinion-scraper"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# --- Politeness: identify ourselves, obey robots.txt, never hammer a site. ---
CRAWLER_CONTACT = "https://github.com/opinion-scraper/opinion-scraper"
USER_AGENT = f"opinion-scraper/0.1 (+{CRAWLER_CONTACT})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy starts this many asyncio tasks per callback output; an article yields one item,
# and the default of 100 cost a quarter of the main process's CPU (cProfile).
CONCURRENT_ITEMS = 16
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_TIMES = 2
# Cookies could carry session credentials into logs or requests: we need none.
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- What we store and where. ---
SITE_PROFILES_DIR = str(BUNDLED_PROFILES)
PARQUET_DIR = "output"
PARQUET_FLUSH_ROWS = 2000
PARQUET_FLUSH_SECONDS = 300.0
PARQUET_ROW_GROUP_ROWS = 50_000
PARQUET_COMPRESSION = "zstd"
WORKER_ID = "w0"
# Skip articles the dataset already holds unless their source says they changed.
INCREMENTAL = True
EXTRACT_MAX_BYTES = 10 * 1024 * 1024
EXTRACT_WORKERS = os.cpu_count() or 1  # 0: extract inline on the reactor thread
EXTRACT_TIMEOUT = 60.0  # seconds one page may take before it is rejected
EXTRACT_MAX_IN_FLIGHT = 0  # pages queued in or waiting for the pool; 0: 4 x workers
VALIDATE_MIN_WORDS = 50
VALIDATE_LANGUAGES: list[str] = []  # empty: any language

ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.parquet.ParquetPipeline": 900,
}
EXTENSIONS = {
    "pipelines.rejects.RejectsWriter": 500,
    "crawler.manifest.RunManifest": 600,
}
LOG_FORMATTER = "crawler.logformatter.QuietLogFormatter"
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
