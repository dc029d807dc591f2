"""`scrapy fixture add|check|update`: capture pages as extraction fixtures and keep them green."""

from __future__ import annotations

import argparse
import difflib
import json
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.utils.conf import closest_scrapy_cfg

from crawler.fixtures.capture import (
    Captured,
    CaptureSpider,
    baseline,
    case_name,
    describe,
    profile_rules,
    write_case,
)
from crawler.fixtures.cases import FixtureError, case_id, case_rules, check_case, discover
from crawler.profile import load_profiles
from pipelines import extraction
from pipelines.extraction import Page

__all__ = ["Command", "resolve_case", "text_diff"]

DIFF_LINES = 40


def default_fixtures_dir() -> Path:
    """`tests/fixtures` of the project this command runs in."""
    cfg = closest_scrapy_cfg()
    return (Path(cfg).parent if cfg else Path.cwd()) / "tests" / "fixtures"


def resolve_case(root: Path, name: str) -> Path:
    """The directory of a case named `site/case`, or `case` when that is unambiguous."""
    found = [p.parent for p in discover(root) if name in (case_id(p), p.parent.name)]
    if len(found) != 1:
        what = "no case" if not found else f"{len(found)} cases"
        raise UsageError(f"{what} named {name!r} under {root}")
    return found[0]


def text_diff(expected: str, got: str) -> str:
    """A unified diff of two article texts, one block per line, cut to DIFF_LINES lines."""
    lines = list(difflib.unified_diff(expected.split("\n\n"), got.split("\n\n"),
                                      "expected", "extracted", n=0, lineterm=""))  # fmt: skip
    cut = [line if len(line) <= 160 else line[:159] + "…" for line in lines[:DIFF_LINES]]
    if len(lines) > DIFF_LINES:
        cut.append(f"... {len(lines) - DIFF_LINES} more diff lines")
    return "\n".join(cut)


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "add URL_OR_FILE --site NAME [--case NAME] | check [CASE ...] | update CASE"

    def short_desc(self) -> str:
        return "Capture a page as an extraction fixture, check all fixtures, re-baseline one"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", help="add: fixture site directory (and profile, if any)")
        parser.add_argument("--case", help="add: case name (default: from the URL)")
        parser.add_argument("--url", help="add: the page's URL when reading it from a file")
        parser.add_argument("--content-type", default="text/html; charset=utf-8",
                            help="add: Content-Type of a page read from a file")  # fmt: skip
        parser.add_argument("--force", action="store_true", help="add: replace an existing case")
        parser.add_argument("--fixtures-dir", metavar="DIR", default=None,
                            help="fixtures root (default: tests/fixtures)")  # fmt: skip

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # A capture is one request: nothing may be written to the dataset or its runs.
        self.settings.set("ITEM_PIPELINES", {}, priority="cmdline")
        self.settings.set("EXTENSIONS", {}, priority="cmdline")
        if not opts.loglevel:
            # The review output is what matters here; Scrapy's start-up lines are noise.
            self.settings.set("LOG_LEVEL", "WARNING", priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args or args[0] not in ("add", "check", "update"):
            raise UsageError("give an action: add, check or update")
        root = Path(opts.fixtures_dir) if opts.fixtures_dir else default_fixtures_dir()
        action, rest = args[0], args[1:]
        if action == "add":
            self.add(root, rest, opts)
        elif action == "check":
            self.exitcode = check(root, rest)
        else:
            if len(rest) != 1:
                raise UsageError("update takes exactly one CASE")
            update(resolve_case(root, rest[0]))

    def add(self, root: Path, rest: list[str], opts: argparse.Namespace) -> None:
        if len(rest) != 1 or not opts.site:
            raise UsageError("add takes one URL or file, and --site NAME")
        page = self.capture(rest[0], opts)
        if page is None:
            return
        directory = root / opts.site / (opts.case or case_name(page.url))
        if (directory / "expected.json").exists() and not opts.force:
            raise UsageError(f"{directory} exists: pick another --case, or --force")
        assert self.settings is not None
        profile = load_profiles(Path(self.settings["SITE_PROFILES_DIR"])).get(opts.site)
        rules = profile_rules(profile)
        result = extraction.extract(
            Page(page.url, page.body, page.content_type), case_rules({"rules": rules})
        )
        case, _ = baseline(page, rules, result)
        path = write_case(directory, page, case)
        print(describe(case, result))
        print(f"\nsaved {path.parent}/{{page.html,expected.json}} ({len(page.body)} bytes)")
        print("review the text above; edit expected.json where the extraction is wrong")

    def capture(self, source: str, opts: argparse.Namespace) -> Captured | None:
        if not source.startswith(("http://", "https://")):
            if not opts.url:
                raise UsageError("a page read from a file needs --url URL")
            return Captured(opts.url, Path(source).read_bytes(), opts.content_type)
        assert self.crawler_process is not None
        sink: list[Captured | str] = []
        self.crawler_process.crawl(CaptureSpider, url=source, sink=sink)
        self.crawler_process.start()
        if not sink or isinstance(sink[0], str):
            print(f"could not fetch {source}: {sink[0] if sink else 'no response (robots.txt?)'}")
            self.exitcode = 1
            return None
        return sink[0]


def check(root: Path, names: list[str]) -> int:
    """Run the cases (all, or those named) and print a readable report; the exit code."""
    wanted = {resolve_case(root, n) for n in names}
    paths = [p for p in discover(root) if not wanted or p.parent in wanted]
    failed = 0
    for path in paths:
        try:
            fail = check_case(path)
        except FixtureError as exc:
            failed += 1
            print(f"ERROR {case_id(path)}: {exc}")
            continue
        if not fail:
            continue
        failed += 1
        print(f"FAIL {case_id(path)}: {fail.report()}")
        case = json.loads(path.read_text(encoding="utf-8"))
        text = getattr(fail.result, "text", None)
        diff = text_diff(case["text"], text) if "text" in case and text is not None else ""
        print(f"{diff}\n" if diff else "")
    print(f"{len(paths) - failed} passed, {failed} failed")
    return 1 if failed else 0


def update(directory: Path) -> None:
    """Re-baseline one case from its saved page with the current extraction."""
    expected = directory / "expected.json"
    old = json.loads(expected.read_text(encoding="utf-8"))
    page = Captured(old["url"], (directory / "page.html").read_bytes(),
                    old.get("content_type", "text/html"))  # fmt: skip
    result = extraction.extract(Page(page.url, page.body, page.content_type), case_rules(old))
    case, notes = baseline(page, old.get("rules", {}), result, keep=old)
    if "text" in old and "text" in case:
        print(text_diff(old["text"], case["text"]) or "text unchanged")
    write_case(directory, page, case)
    for note in notes:
        print(f"note: {note}")
    print(f"re-baselined {case_id(expected)}")
