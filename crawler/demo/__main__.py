"""Command line: `python -m crawler.demo generate|serve|export-devset ...`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.demo.devset import export_devset
from crawler.demo.generator import generate
from crawler.demo.server import serve
from crawler.demo.weight import WEIGHTS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crawler.demo", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write the demo site into DIR")
    gen.add_argument("dir", type=Path)
    gen.add_argument("--pages", type=int, default=50, help="article URLs over all publishers")
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--weight", choices=WEIGHTS, default="light",
                     help="real: article pages of 100-250 KB, like real sites'")  # fmt: skip
    srv = commands.add_parser("serve", help="serve DIR as an HTTP proxy until Ctrl-C")
    srv.add_argument("dir", type=Path)
    srv.add_argument("--port", type=int, default=0)
    srv.add_argument("--host", default="127.0.0.1")
    dev = commands.add_parser("export-devset", help="export opinion pages in eval-set layout")
    dev.add_argument("dir", type=Path)
    dev.add_argument("out", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "generate":
        site = generate(args.dir, pages=args.pages, seed=args.seed, weight=args.weight)
        print(f"wrote {site.pages} article URLs for {', '.join(site.profiles)} into {site.root}")
    elif args.command == "export-devset":
        count = export_devset(args.dir, args.out)
        print(f"exported {count} opinion pages into {args.out}")
    else:
        server = serve(args.dir, host=args.host, port=args.port)
        print(server.proxy_url, flush=True)
        print("serving until Ctrl-C; use the URL above as http_proxy", file=sys.stderr)
        try:
            server.wait()
        except KeyboardInterrupt:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
