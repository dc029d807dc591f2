"""Every process that imports the project runs with malloc settings that return freed memory."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.crawling import REPO

glibc_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="glibc's malloc settings (mallopt)"
)

HEAP_GROWTH = """
import crawler

def heap_bytes():
    with open("/proc/self/maps") as maps:
        for line in maps:
            if line.rstrip().endswith("[heap]"):
                start, end = line.split()[0].split("-")
                return int(end, 16) - int(start, 16)
    return 0

big = bytearray(8 << 20)  # mmapped, and freed: glibc's own rule raises its mmap threshold
del big
before = heap_bytes()
pages = [bytearray(512 << 10) for _ in range(16)]  # 8 MiB in blocks the size of large pages
print((heap_bytes() - before) >> 20)
"""

ARENAS = """
import ctypes, tempfile, threading
import crawler

libc = ctypes.CDLL("libc.so.6")
libc.fopen.restype = ctypes.c_void_p
barrier = threading.Barrier(6)

def allocate():
    block = bytearray(100_000)  # malloc from this thread: glibc gives it an arena
    barrier.wait()

threads = [threading.Thread(target=allocate) for _ in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with tempfile.NamedTemporaryFile() as report:
    stream = ctypes.c_void_p(libc.fopen(report.name.encode(), b"w"))
    libc.malloc_info(0, stream)
    libc.fclose(stream)
    print(open(report.name).read().count("<heap nr="))
"""


def _printed(script: str) -> str:
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


@glibc_only
def test_large_blocks_stay_mmapped_after_a_larger_one_was_freed() -> None:
    # Otherwise every large page after the first freed one fills the heap's holes for good.
    assert int(_printed(HEAP_GROWTH)) <= 1


@glibc_only
def test_threads_share_at_most_two_arenas() -> None:
    assert int(_printed(ARENAS)) <= 2
