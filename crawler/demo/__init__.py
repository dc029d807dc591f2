"""A generated, locally served demo site of three fictional publishers, with known truth.

`generate()` writes the site and `truth.jsonl`, `serve()` answers for the `.test` hosts (also
as a forward HTTP proxy), and `export_devset()` writes the opinion pages in eval-set layout.
"""

from __future__ import annotations

from crawler.demo.devset import export_devset
from crawler.demo.generator import generate
from crawler.demo.server import DemoServer, serve
from crawler.demo.site import DemoSite

__all__ = ["DemoServer", "DemoSite", "export_devset", "generate", "serve"]
