"""The crawl's own process stays light: extraction runs in the pool, pandas only reads data."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.crawling import REPO

# What `scrapy crawl opinion` imports before its first request: Scrapy imports every command
# module of the project to list them, then the spider and the components in the settings.
CRAWL_IMPORTS = """
import sys
from scrapy.cmdline import _get_commands_dict
from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings

settings = get_project_settings()
_get_commands_dict(settings, inproject=True)
import crawler.spiders.opinion
for name in [*settings.getdict("ITEM_PIPELINES"), *settings.getdict("EXTENSIONS"),
             *settings.getdict("DOWNLOADER_MIDDLEWARES"), *settings.getdict("SPIDER_MIDDLEWARES")]:
    if name.startswith(("crawler.", "pipelines.")):
        load_object(name)
import pyarrow.parquet  # the writers' import, whichever component comes first
print(" ".join(m for m in ("trafilatura", "htmldate", "justext", "pandas", "pyarrow.compute",
                           "pyarrow._s3fs", "pyarrow._gcsfs", "pyarrow._azurefs", "pyarrow._hdfs",
                           "crawler.demo.generator", "crawler.profiling.draft")
               if sys.modules.get(m) is not None))
"""


def _printed(script: str, env: dict[str, str] | None = None) -> str:
    """What the script prints, run in a fresh interpreter (a clean sys.modules) from the repo."""
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                            text=True, timeout=120, env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


def test_a_first_crawl_imports_neither_extraction_nor_pandas() -> None:
    # trafilatura and its helpers belong to the pool's workers (~35 MB in the crawl's process
    # for nothing); pyarrow.dataset imports pandas (~50 MB, and ~0.6 s at every start) and is
    # needed only to read an existing dataset; pyarrow.compute (~9 MB) only to read one back;
    # pyarrow's object-store filesystems (4-8 MB, the AWS SDK's among them) never, since
    # PARQUET_DIR refuses object stores; the demo's generator and the profile drafter (~2 MB)
    # belong to their commands. Import such modules where they are used.
    imported = _printed(CRAWL_IMPORTS)
    assert imported == "", f"the crawl's process imports {imported}"


FLUSH = """
import sys, tempfile
from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS
from crawler.dataset.writer import DatasetWriter
from tests.conftest import make_record

writer = DatasetWriter(tempfile.mkdtemp(), ARTICLE_SCHEMA, PARTITION_FIELDS, "p", flush_rows=2)
for i in range(3):
    writer.write(make_record(i).to_row())
writer.close()
print(writer.rows_written, "pandas" in sys.modules)
"""


def test_writing_the_dataset_does_not_import_pandas() -> None:
    # pa.Table.from_pylist asks whether its input is a pandas object, and asking imports
    # pandas: +50 MB in the crawl's process from its first flush on.
    assert _printed(FLUSH) == "3 False"


POOL = """
import pyarrow as pa
from scrapy.utils.test import get_crawler
from pipelines.parquet import writer_from_settings
from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS

settings = get_crawler(settings_dict={"RUN_ID": "r", "PARQUET_DIR": "unused"}).settings
writer_from_settings(settings, "articles", ARTICLE_SCHEMA, PARTITION_FIELDS)
print(pa.default_memory_pool().backend_name)
"""


def test_the_crawl_writers_give_freed_arrow_memory_back() -> None:
    # Arrow's default pool (mimalloc) kept ~75 MB that flushes had freed in a crawl's process.
    assert _printed(POOL) == "system"


ARROW_CPP_POOL = """
import io
from scrapy.utils.project import get_project_settings

get_project_settings()  # what every scrapy command loads first
import pyarrow as pa
import pyarrow.parquet as pq

pq.write_table(pa.table({"text": ["words " * 200] * 100}), io.BytesIO(), compression="zstd")
try:
    kept = pa.mimalloc_memory_pool().max_memory()
except NotImplementedError:  # a pyarrow built without mimalloc
    kept = 0
print(pa.default_memory_pool().backend_name, kept)
"""


def test_arrow_code_in_a_scrapy_process_allocates_through_malloc() -> None:
    # Parquet's encoders and compressors allocate from Arrow's C++ default pool, which
    # pa.set_memory_pool() does not change: in mimalloc they kept ~40 MB in the crawl's process.
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    assert _printed(ARROW_CPP_POOL, env) == "system 0"


NIGHTLY_START = """
import sys, tempfile
from pathlib import Path
from crawler.dataset.known import KnownArticles
from crawler.dataset.retries import KnownRejects
from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS, REJECT_SCHEMA
from crawler.dataset.settled import settled_urls
from crawler.dataset.writer import DatasetWriter
from tests.conftest import NOW, make_record

root = Path(tempfile.mkdtemp())
articles = DatasetWriter(root / "articles", ARTICLE_SCHEMA, PARTITION_FIELDS, "p")
articles.write(make_record(1).to_row())
articles.close()
rejects = DatasetWriter(root / "rejects", REJECT_SCHEMA, PARTITION_FIELDS, "p")
for n, reason in enumerate(["wrong_section", "http_error"]):
    rejects.write({"url": f"http://www.example.test/news/{n}", "site": "example", "reason": reason,
                   "http_status": 404, "fetched_at": NOW, "run_id": "r", "month": "2026-11"})
rejects.close()
known = KnownArticles.from_dataset(root, ["example"])
stored = known.get(make_record(1).url)
print(len(known), stored.fetched_at == NOW, len(settled_urls(root, ["example"])),
      len(KnownRejects.from_dataset(root, ["example"])), "pandas" in sys.modules,
      "pyarrow.compute" in sys.modules)
"""


def test_a_nightly_crawl_reads_what_the_dataset_holds_without_pandas() -> None:
    # pyarrow.dataset, and a tz-aware timestamp's conversion to Python, import pandas; a
    # cast imports pyarrow's compute functions (~9 MB).
    assert _printed(NIGHTLY_START) == "1 True 1 2 False False"


MEMORY_CLOSE = """
import sys, tempfile
from pathlib import Path
from crawler.dataset.memory_clean import rewrite_rows, site_files
from crawler.dataset.schema import ARTICLE_SCHEMA, PARTITION_FIELDS
from crawler.dataset.writer import DatasetWriter
from tests.conftest import make_record
import pyarrow.parquet as pq

root = Path(tempfile.mkdtemp())
articles = DatasetWriter(root / "articles", ARTICLE_SCHEMA, PARTITION_FIELDS, "p")
for i in range(3):
    articles.write(make_record(i).to_row())
articles.close()
files = site_files(root, make_record(0).site)
before = [pq.ParquetFile(f).read(columns=["url", "fetched_at", "published_at"]) for f in files]
done = rewrite_rows(files, lambda row: {**row, "text": row["text"] + " cleaned"})
after = [pq.ParquetFile(f).read(columns=["url", "fetched_at", "published_at"]) for f in files]
texts = [t for f in files for t in pq.ParquetFile(f).read(columns=["text"])["text"].to_pylist()]
print(done.cleaned, before == after, all(t.endswith(" cleaned") for t in texts),
      "pandas" in sys.modules)
"""

RAW_HASHES = """
import sys, tempfile
from datetime import UTC, datetime
from pathlib import Path
from crawler.dataset.raw import RAW_SCHEMA, RawArchive, RawPage
from crawler.dataset.schema import PARTITION_FIELDS
from crawler.dataset.writer import DatasetWriter

root = Path(tempfile.mkdtemp())
writer = DatasetWriter(root / "raw", RAW_SCHEMA, PARTITION_FIELDS, "p")
page = RawPage(url="http://www.example.test/a", site="example", status=200, body=b"<p>a</p>",
               body_hash="h1", body_size=8, fetched_at=datetime(2026, 11, 3, tzinfo=UTC))
writer.write(page.to_row())
writer.close()
print(len(RawArchive(root).hashes(["example"])), "pandas" in sys.modules)
"""


def test_the_site_memory_cleans_rows_at_the_close_without_pandas() -> None:
    # the close-time rewrite read rows with to_pylist() and wrote them with from_pylist():
    # both imported pandas, +50 MB at the crawl process's peak
    assert _printed(MEMORY_CLOSE) == "3 True True False"


def test_a_crawl_with_the_raw_archive_reads_its_hashes_without_pandas() -> None:
    # read_table() goes through pyarrow.dataset, which imports pandas
    assert _printed(RAW_HASHES) == "1 False"


def test_the_extraction_workers_forkserver_does_not_import_pyarrow() -> None:
    # the workers use the record dataclasses, never an Arrow schema: pyarrow in their
    # forkserver cost ~27 MB shared by every worker and ~0.6 s at each crawl's start
    imported = _printed(
        "import sys; import pipelines.extraction.preload; "  # warms up as the forkserver does
        "print(sorted(m for m in sys.modules if m.startswith('pyarrow')))"
    )
    assert imported == "[]"


# The crawl's extensions and downloader middlewares, built from the project's settings as a
# crawl builds them; prints which optional Scrapy components run and which of their heavy
# imports were made.
OPTIONAL_COMPONENTS = """
import sys, tempfile
from scrapy.utils.reactor import install_reactor
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.extension import ExtensionManager
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler
from crawler.spiders.opinion import OpinionSpider

settings = get_project_settings()
settings.set("PARQUET_DIR", tempfile.mkdtemp())
for override in sys.argv[1:]:
    settings.set(*override.split("="), priority="cmdline")
crawler = get_crawler(OpinionSpider, settings.copy_to_dict())
built = [*ExtensionManager.from_crawler(crawler).middlewares,
         *DownloaderMiddlewareManager.from_crawler(crawler).middlewares]
names = {type(c).__name__ for c in built} & {"RemoteControl", "CookiesMiddleware"}
print(sorted(names), sorted(m for m in ("aiohttp", "tldextract") if m in sys.modules))
"""


def test_a_crawl_neither_runs_nor_imports_scrapy_s_remote_control_and_cookies() -> None:
    # Scrapy 2.19 runs an HTTP server executing the code sent to it in every crawl, by
    # default, and imports components set to None: ~13 MB of the crawl's process for nothing
    result = subprocess.run([sys.executable, "-c", OPTIONAL_COMPONENTS], cwd=REPO,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[] []"


def test_a_crawl_that_turns_them_on_gets_scrapy_s_remote_control_and_cookies() -> None:
    on = ["REMOTE_CONTROL_ENABLED=True", "COOKIES_ENABLED=True"]
    result = subprocess.run([sys.executable, "-c", OPTIONAL_COMPONENTS, *on], cwd=REPO,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().startswith("['CookiesMiddleware', 'RemoteControl']")
