"""What sending a page to the extraction pool costs, against extracting it inline.

    python -m tests.benchmarks.pool_ipc [--pages 600]

On the demo site's opinion pages, measures per page: extract() inline (wall and CPU), the
round trip of one page through ExtractionPool with nothing else in flight (minus the
worker's own extraction time: the IPC latency), the workers' CPU beyond extract(), the main
process's CPU per page while the pool is kept busy (pickling the page out and the record
in, the event loop), and the pickled sizes; by page-size quartile, so
that one can tell whether small pages would be cheaper inline.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import pickle
import statistics
import tempfile
import time
from pathlib import Path

import psutil

from crawler.demo import generate
from crawler.profile import load_profiles
from pipelines.extract_pool import ExtractionPool
from pipelines.extraction import ExtractRules, Page, extract
from tests.benchmarks.extract_only import extraction_input
from tests.benchmarks.throughput import opinion_pages
from tests.pool_targets import timed_extract  # by its module's name: workers skip __main__

Sample = tuple[Page, ExtractRules]


def demo_samples(site_dir: Path) -> list[Sample]:
    profiles = load_profiles()
    return [
        extraction_input(
            demo.truth["url"],
            demo.truth["site"],
            demo.content_type,
            demo.path.read_bytes(),
            profiles,
        )
        for demo in opinion_pages(site_dir)
    ]


def inline_costs(samples: list[Sample]) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of extract() per page, in this process."""
    costs = []
    for page, rules in samples:
        wall, cpu = time.perf_counter(), time.process_time()
        extract(page, rules)
        costs.append((time.perf_counter() - wall, time.process_time() - cpu))
    return costs


async def round_trips(pool: ExtractionPool, samples: list[Sample]) -> list[tuple[float, float]]:
    """(round trip, worker extraction) seconds per page, one page in flight at a time."""
    trips = []
    for page, rules in samples:
        started = time.perf_counter()
        _, worker_seconds = await pool.run(page, rules)  # type: ignore[misc]
        trips.append((time.perf_counter() - started, worker_seconds))
    return trips


def pool_cpu() -> float:
    """CPU seconds so far of this process's descendants: the forkserver and the workers."""
    total = 0.0
    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


async def busy_main_cpu(pool: ExtractionPool, samples: list[Sample]) -> tuple[float, float]:
    """Main-process CPU seconds and wall seconds for all pages with the pool kept full."""
    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(pool.run(page, rules) for page, rules in samples))
    return time.process_time() - cpu, time.perf_counter() - wall


def quartiles(samples: list[Sample]) -> list[list[int]]:
    order = sorted(range(len(samples)), key=lambda i: len(samples[i][0].body))
    size = -(-len(order) // 4)
    return [order[i : i + size] for i in range(0, len(order), size)]


def ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):7.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=600, help="demo site article URLs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="opinion-ipc-") as tmp:
        generate(Path(tmp), pages=args.pages, seed=1)
        samples = demo_samples(Path(tmp))
    inline_costs(samples[:20])  # warm up imports and caches
    inline = inline_costs(samples)
    pool = ExtractionPool(workers=2, timeout=60, max_in_flight=8, function=timed_extract)  # type: ignore[arg-type]
    asyncio.run(round_trips(pool, samples[:20]))
    before = pool_cpu()
    trips = asyncio.run(round_trips(pool, samples))
    worker_overhead = pool_cpu() - before - sum(worker for _, worker in trips)
    busy_cpu, busy_wall = asyncio.run(busy_main_cpu(pool, samples))
    pool.close()
    print(f"{len(samples)} opinion pages; medians in ms")
    print(f"{'page bytes':>18}{'inline':>9}{'inl CPU':>9}{'trip':>8}{'worker':>8}{'IPC':>8}"
          f"{'pickle out':>11}{'pickle in':>10}")  # fmt: skip
    for group in quartiles(samples):
        sizes = [len(samples[i][0].body) for i in group]
        out = [len(pickle.dumps(samples[i])) for i in group]
        back = [len(pickle.dumps(extract(*samples[i]))) for i in group]
        print(f"{min(sizes):>8}-{max(sizes):<9}{ms([inline[i][0] for i in group])}"
              f"{ms([inline[i][1] for i in group]):>9}{ms([trips[i][0] for i in group]):>8}"
              f"{ms([trips[i][1] for i in group]):>8}"
              f"{ms([trips[i][0] - trips[i][1] for i in group]):>8}"
              f"{statistics.median(out):>11.0f}{statistics.median(back):>10.0f}")  # fmt: skip
    per_page = 1000 / len(samples)
    print(
        f"pool side, beyond extract(): {worker_overhead * per_page:.2f} ms CPU per page "
        "(unpickling the page, pickling the record)"
    )
    print(f"pool kept full (2 workers, 8 in flight): main process {busy_cpu * per_page:.2f} ms "
          f"CPU per page, {len(samples) / busy_wall:.1f} pages/s; inline extraction "
          f"{sum(c for _, c in inline) * per_page:.2f} ms CPU per page")  # fmt: skip


if __name__ == "__main__":
    main()
