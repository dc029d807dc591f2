"""Scrapy settings: polite defaults, the pipeline order, our PARQUET_/EXTRACT_/SITE_ knobs."""

from __future__ import annotations

import os

from scrapy.settings import default_settings as scrapy_defaults

from crawler.profile import BUNDLED_PROFILES

BOT_NAME = "opinion-scraper"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# --- Politeness: identify ourselves, obey robots.txt, never hammer a site. ---
# Sites see who crawls them and how to reach you: set your own contact (URL or e-mail).
# USER_AGENT is built from it unless you set USER_AGENT yourself.
CRAWLER_CONTACT = "https://github.com/opinion-scraper/opinion-scraper"
USER_AGENT = f"opinion-scraper/0.1 (+{CRAWLER_CONTACT})"
ROBOTSTXT_OBEY = True
ROBOTSTXT_CRAWL_DELAY_MAX = 30.0  # a longer robots.txt Crawl-delay is capped to this
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy starts this many asyncio tasks for every callback's output. Our callbacks yield at
# most one item (an article page) or only requests (sources, listings), so more than one
# buys nothing: 16 tasks cost 0.23 ms per response, 1 costs 0.03 ms (100 cost a quarter of
# the main process's CPU). Pages still go through the pipelines concurrently, one per response.
CONCURRENT_ITEMS = 1
# No new request while this many requests are in hand: downloading, or pages not yet through
# the pipelines (a shared crawl's worker would otherwise take far more from the queue than it
# can extract; `scheduler/in_hand_max` in the stats is the most it held).
# 0: CONCURRENT_REQUESTS + 2 x the pages the extraction pool holds (32 on 2 cores).
SCHEDULER = "crawler.scheduler.LocalScheduler"
SCRAPE_MAX_PENDING = 0
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_TIMES = 2
RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry of a 429/503 without Retry-After
RETRY_AFTER_MAX = 120.0  # a longer Retry-After is not waited for: the page is rejected
DOWNLOADER_MIDDLEWARES = {
    "crawler.credentials.StripCredentialsMiddleware": 1,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.ProfileDomainsMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.RobotsPolicyMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.credentials.RedirectTargetMiddleware": 650,  # sees responses before RedirectMiddleware
    # Scrapy's, without decoding every 200 KB page to look for a refresh it cannot hold.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.metarefresh.LazyMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": None,
    "crawler.middlewares.PerHostProxyMiddleware": 750,
    # Before HttpCompressionMiddleware (590) decodes: a cut stream must not pass as a page.
    "crawler.truncation.TruncatedBodyMiddleware": 595,
    "crawler.rehost.HostMapMiddleware": 990,
    "crawler.optional_components.CookiesWhenEnabled": 700,
}
# Cookies could carry session credentials into logs or requests: we need none.
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19 turns on by default an HTTP server in every crawl that runs the Python code sent
# to it (for Scrapy's MCP server), and leaves a file with its token in the user's state
# directory: a nightly crawl needs neither. `-s REMOTE_CONTROL_ENABLED=True` brings it back.
REMOTE_CONTROL_ENABLED = False
# Scrapy checks each response's callback for a generator that returns a value by reading and
# parsing the callback's source. Its cache holds the callback object, and every request has a
# bound method of its own: the check parsed `parse_article` again for nearly every page (~4% of
# the crawl's process). Our callbacks are checked once, by the tests (test_spider.py).
WARN_ON_GENERATOR_RETURN_VALUE = False
# Scrapy imports every component its lists name, even one set to None, before the component
# reads its setting: off, these two cost the crawl ~13 MB. They leave Scrapy's base lists for
# stand-ins that import them only when turned on (crawler/optional_components.py).
EXTENSIONS_BASE = {
    path: order
    for path, order in scrapy_defaults.EXTENSIONS_BASE.items()
    if path != "scrapy.extensions.remote_control.RemoteControl"
}
DOWNLOADER_MIDDLEWARES_BASE = {
    path: order
    for path, order in scrapy_defaults.DOWNLOADER_MIDDLEWARES_BASE.items()
    if path != "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
}

# --- What we store and where. ---
SITE_PROFILES_DIR = str(BUNDLED_PROFILES)
PARQUET_DIR = "output"
# Buffered rows live in the crawl's process as Python objects (~2x their text: a real-sized
# article with its removed blocks is ~13 KB of text, ~29 KB as a row), then once more as Arrow
# while they are written, in a thread while the next rows come. A flush comes at whichever
# bound is reached first: 1000 such rows were ~30 MB; the byte bound (their strings' and bytes'
# lengths) at 4 MiB held ~4 MB more of the crawl's peak than at 2 MiB (README: Measuring).
PARQUET_FLUSH_ROWS = 1000
PARQUET_FLUSH_BYTES = 2 * 1024 * 1024
PARQUET_FLUSH_SECONDS = 300.0
# A first crawl spreads its articles over many months: at a flush, a month holding under a
# tenth of a bound waits on local disk (an unnamed temporary file beside the dataset), out of
# memory, for more of its rows, up to this many bounds' worth of rows and bytes (0: every
# month is written at every flush). Devset crawl: ~3x fewer files (README: The dataset).
PARQUET_PARK_BOUNDS = 4.0
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
# Child sitemaps of an index are read when they match the profile's [sitemap_index] follow
# patterns or are dated (lastmod, else a date in their URL) within this many days; 0: no limit.
# A profile's own max_age_days wins. Undated children are read only when this is 0.
SITEMAP_MAX_AGE_DAYS = 0.0
# Host rewrites for tests and mirrors: {"https://www.example.com": "http://127.0.0.1:8080"}.
# Requests keep their real URLs everywhere (patterns, dataset); only the download goes there.
SITE_HOST_MAP: dict[str, str] = {}

ITEM_PIPELINES = {
    "pipelines.section.SectionPipeline": 90,
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.parquet.ParquetPipeline": 900,
}
EXTENSIONS = {
    "pipelines.rejects.RejectsWriter": 500,
    "crawler.monitor.manifest.RunManifest": 600,
    "crawler.optional_components.RemoteControlWhenEnabled": 0,
}
LOG_FORMATTER = "crawler.logformatter.QuietLogFormatter"
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# --- Scale-out: several crawl processes, one Redis frontier (crawler/distributed/). ---
# Empty: a local crawl, Redis not needed. Set: every process with the same REDIS_URL and
# REDIS_CRAWL is a worker of one shared crawl (queue, claims and known articles in Redis).
REDIS_URL = os.environ.get("OPINION_REDIS_URL", "")
REDIS_CRAWL = "opinion"  # namespaces the keys: opinion:<REDIS_CRAWL>:...
DISTRIBUTED_HEARTBEAT_SECONDS = 1.0  # how often a worker publishes its stats and polls the queue
DISTRIBUTED_WORKER_TTL = 30.0  # a worker silent this long is taken for dead
DISTRIBUTED_IDLE_SECONDS = 3.0  # a worker stays this long after joining, idle or not
DISTRIBUTED_JOIN_TIMEOUT = 300.0  # bound on waiting for (and holding) the round's lock
# Redis silent this long (or restarted empty): the worker stops with finish reason
# `frontier_lost` (exit 6) and keeps what it fetched; a re-run recovers the rest.
DISTRIBUTED_FRONTIER_TIMEOUT = 5.0
# After DedupePipeline: the identity it settles is what the workers claim.
ITEM_PIPELINES["crawler.distributed.dedupe.SharedDedupePipeline"] = 310
EXTENSIONS["crawler.distributed.worker.SharedCrawlWorker"] = 700

# --- Working with the data: raw archive, quality drift, progress lines. ---
# Raw pages, content-addressed and zstd-compressed, in PARQUET_DIR/raw (`scrapy reextract`
# rebuilds the articles from them). Off by default: they cost several times the articles'
# disk and keep full copies of publishers' pages, a retention choice an operator should make
# deliberately (`-s RAW_ARCHIVE=True`). `scrapy demo` turns it on.
RAW_ARCHIVE = False
RAW_ARCHIVE_FLUSH_ROWS = 250  # pages buffered per flush: raw bodies are large
RAW_ARCHIVE_FLUSH_BYTES = 16 * 1024 * 1024  # ~85 real-sized pages (250 of them: ~47 MB)
REEXTRACT_BATCH_ROWS = 2000  # rows `scrapy reextract` holds at once; the rest wait on disk
# Per-site quality indicators compared with the previous runs (crawler/monitor/drift.py).
DRIFT_ENABLED = True
DRIFT_WINDOW = 5  # earlier runs the baseline is the median of
DRIFT_MIN_PAGES = 20  # pages of a site a run needs before it is judged (or used as baseline)
DRIFT_MAX_RATE_CHANGE = 0.2  # absolute change of a rate (reject rate 0.05 -> 0.25)
DRIFT_MAX_WORDS_CHANGE = 0.4  # relative change of the median word count
DRIFT_EXIT_CODE = 3  # `scrapy crawl` exit status when drift is found; 0: warn only
# One progress line (pages, rate, articles, rejects, errors) every this many seconds; it
# replaces Scrapy's LogStats line.
PROGRESS_INTERVAL = 5.0
LOGSTATS_INTERVAL = 0.0
ITEM_PIPELINES["pipelines.raw_archive.RawArchivePipeline"] = 50
# Site memory (README: Site memory): blocks repeated across a site's articles are stripped
# wherever they sit; learned per site in PARQUET_DIR/memory/<site>.json.
SITE_MEMORY_ENABLED = True
SITE_MEMORY_MIN_WORDS = 8  # shorter blocks (sub-headings, sign-offs) are never judged
SITE_MEMORY_MIN_CHARS = 40
SITE_MEMORY_MIN_ARTICLES = 3  # distinct articles that must carry a block
SITE_MEMORY_MIN_SHARE = 0.05  # of the site's articles since the block first appeared
SITE_MEMORY_MIN_KEPT_WORDS = 20  # a page the memory would leave shorter keeps everything
ITEM_PIPELINES["pipelines.memory.SiteMemoryPipeline"] = 150
EXTENSIONS["crawler.monitor.drift.DriftMonitor"] = 550
EXTENSIONS["crawler.monitor.sources.SourceMonitor"] = 560
# Permanently failing pages (404/410, not HTML, no article ...) are fetched again after
# doubling intervals, from REJECT_RETRY_DAYS up to REJECT_RETRY_MAX_DAYS (crawler/dataset/
# retries.py); `-a retry_rejects=all` retries every one. Other rejects are retried every run.
REJECT_RETRY_DAYS = 1.0
REJECT_RETRY_MAX_DAYS = 32.0
EXTENSIONS["crawler.monitor.progress.ProgressLog"] = 700
