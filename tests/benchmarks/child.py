"""Benchmarks' child processes: run code in a fresh interpreter, read back its own peak RSS."""

from __future__ import annotations

import json
import subprocess
import sys

__all__ = ["PEAK_RSS", "measure"]

# The high-water mark of the child's own address space. Not ru_maxrss: Linux keeps the peak of
# the forking parent (here the builder, holding every row) in the exec'ed child's ru_maxrss.
PEAK_RSS = """
def peak_rss_mb():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
"""


def measure(code: str, *args: str) -> dict:
    """Run `code` in a fresh interpreter; the JSON line it prints (with its own peak RSS)."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=3600, check=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])
