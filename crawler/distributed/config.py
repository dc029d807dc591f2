"""The switch: a dataset root given as a URI, and REDIS_URL turning a crawl into a worker."""

from __future__ import annotations

import importlib.util

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from crawler.distributed.keys import CrawlKeys, default_worker_id

__all__ = ["dataset_root", "redis_url", "update_settings"]


def redis_url(settings: BaseSettings) -> str:
    """The shared frontier's Redis URL, or '' for a local crawl."""
    return str(settings.get("REDIS_URL") or "").strip()


def dataset_root(value: str) -> str:
    """A local path for PARQUET_DIR given as a path or a `file://` URI.

    Object stores (`s3://`, `gs://` ...) are refused: the writer, the run manifest, the
    writers' lock and the incremental reader all work on local (or mounted) paths.
    """
    if "://" not in value:
        return value
    scheme = value.split("://", 1)[0].lower()
    if scheme != "file":
        raise ValueError(
            f"PARQUET_DIR={value}: only local paths and file:// URIs are supported; mount the "
            "store (NFS, CephFS, EFS ...) on every machine and give its path instead"
        )
    from pyarrow.fs import FileSystem

    _, path = FileSystem.from_uri(value)
    return str(path)


def update_settings(settings: BaseSettings) -> None:
    """Called from the spider's `update_settings`, before any component reads a setting."""
    root = str(settings["PARQUET_DIR"])
    if (local := dataset_root(root)) != root:
        # `scrapy crawl` merges its command-line settings into the crawler again after this,
        # replacing values of equal priority: the resolved path must rank above them.
        settings.set("PARQUET_DIR", local, priority=SETTINGS_PRIORITIES["cmdline"] + 1)
    if not redis_url(settings):
        return
    if importlib.util.find_spec("scrapy_redis") is None:
        raise RuntimeError(
            "REDIS_URL is set but scrapy-redis is not installed: pip install -e '.[redis]'"
        )
    keys = CrawlKeys(settings.get("REDIS_CRAWL") or "opinion")
    shared = {
        "SCHEDULER": "crawler.distributed.scheduler.RedisScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # A worker that finishes must not flush a queue the others still work on; the first
        # worker of a new round resets it instead (crawler.distributed.round).
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        # JSON instead of scrapy-redis's default pickle: whoever can write to Redis must not
        # be able to run code on every worker.
        "SCHEDULER_SERIALIZER": "crawler.distributed.serializer",
    }
    for name, value in shared.items():
        settings.set(name, value, priority="spider")
    # Two workers must never share a file prefix; an explicit -s WORKER_ID still wins.
    settings.set("WORKER_ID", default_worker_id(), priority="spider")
