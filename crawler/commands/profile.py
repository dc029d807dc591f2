"""`scrapy profile check NAME` and `scrapy profile new URL --name NAME`: keep sites working."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.profile import ProfileError, load_profile, load_profiles

if TYPE_CHECKING:
    # Imported where used: Scrapy imports every command module in every command, a crawl's
    # process included.
    from crawler.profiling.fetch import Fetcher

__all__ = ["Command"]


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "check NAME [--samples N] | new URL --name NAME [-o FILE]"

    def short_desc(self) -> str:
        return "Check a site profile against its live site, or draft one from a section page"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--samples", type=int, default=3, metavar="N",
                            help="check: sample articles to extract (default 3)")  # fmt: skip
        parser.add_argument("--name", help="new: the profile's name")
        parser.add_argument("-o", "--output", metavar="FILE",
                            help="new: where to write the draft (default ./NAME.toml)")  # fmt: skip
        parser.add_argument("--force", action="store_true", help="new: replace FILE")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 2 or args[0] not in ("check", "new"):
            raise UsageError("give `check NAME` or `new URL --name NAME`")
        if args[0] == "check":
            self.exitcode = self.check(args[1], opts.samples)
        else:
            self.exitcode = self.new(args[1], opts)

    def fetcher(self) -> Fetcher:
        from crawler.profiling.fetch import Fetcher

        assert self.settings is not None
        settings = self.settings
        return Fetcher(
            user_agent=settings["USER_AGENT"],
            timeout=settings.getfloat("DOWNLOAD_TIMEOUT"),
            max_bytes=settings.getint("DOWNLOAD_MAXSIZE"),
            host_map=settings.getdict("SITE_HOST_MAP"),
            obey_robots=settings.getbool("ROBOTSTXT_OBEY"),
        )

    def check(self, name: str, samples: int) -> int:
        assert self.settings is not None
        profiles = load_profiles(Path(self.settings["SITE_PROFILES_DIR"]))
        if name not in profiles:
            raise UsageError(f"unknown site {name!r}; known: {', '.join(sorted(profiles))}")
        from crawler.profiling.check import check_profile

        max_age = self.settings.getfloat("SITEMAP_MAX_AGE_DAYS")
        report = check_profile(profiles[name], self.fetcher(), max(0, samples), max_age)
        print("\n".join(report.lines()))
        return report.exit_code

    def new(self, url: str, opts: argparse.Namespace) -> int:
        if not opts.name:
            raise UsageError("new needs --name NAME")
        target = Path(opts.output or f"{opts.name}.toml")
        if target.stem != opts.name:
            raise UsageError(f"the file must be named {opts.name}.toml (the profile's name)")
        if target.exists() and not opts.force:
            raise UsageError(f"{target} exists: pick another -o FILE, or --force")
        from crawler.profiling.draft import draft_profile

        draft = draft_profile(url, opts.name, self.fetcher())
        print("\n".join([f"found: {f}" for f in draft.found]
                        + [f"could not decide: {u}" for u in draft.undecided]))  # fmt: skip
        if not draft.ok:
            print("no profile written: no article URL form found")
            return 1
        target.write_text(draft.toml, encoding="utf-8")
        try:
            load_profile(target)
        except ProfileError as exc:
            print(f"draft written to {target} but it does not load: {exc}")
            return 1
        print(f"draft written to {target}; review it, then: scrapy profile check {opts.name}")
        return 0
