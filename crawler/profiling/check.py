"""`scrapy profile check`: a profile against its site, in one readable report and an exit code."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.profile import SiteProfile
from crawler.profiling.fetch import Fetcher
from crawler.profiling.samples import SampleReport, check_sample
from crawler.profiling.sources import SourceReport, read_sources

__all__ = ["CheckReport", "check_profile"]


@dataclass
class CheckReport:
    """Everything `profile check` found, and whether the profile works."""

    profile: SiteProfile
    robots: list[str] = field(default_factory=list)
    sources: list[SourceReport] = field(default_factory=list)
    samples: list[SampleReport] = field(default_factory=list)

    @property
    def accepted(self) -> list[str]:
        """Distinct article URLs the sources gave, in source order."""
        return list(dict.fromkeys(u for s in self.sources for u in s.accepted))

    def sample_urls(self, count: int) -> list[str]:
        """Up to `count` accepted URLs taken from the sources in turn, so each gets a sample."""
        queues = [list(s.accepted) for s in self.sources if s.accepted]
        chosen: dict[str, None] = {}
        while len(chosen) < count and any(queues):
            for queue in queues:
                if queue and len(chosen) < count:
                    chosen.setdefault(queue.pop(0), None)
        return list(chosen)

    @property
    def stale_rules(self) -> list[str]:
        """Strip selectors and patterns that hit nothing on any sample article."""
        hits: Counter[str] = Counter()
        for sample in self.samples:
            hits.update(sample.selector_hits)
            hits.update(sample.pattern_hits)
        rules = [*self.profile.strip_selectors, *self.profile.strip_patterns]
        return [rule for rule in rules if not hits[rule]] if self.samples else []

    @property
    def exit_code(self) -> int:
        """1 when a source failed or no article URL was accepted, else 0."""
        return 1 if any(s.failed for s in self.sources) or not self.accepted else 0

    def lines(self) -> list[str]:
        """The report as printed."""
        out = [f"profile {self.profile.name} ({self.profile.source})", *self.robots, "sources:"]
        for s in self.sources:
            state = "FAIL" if s.failed else "ok"
            problem = f" {s.error}" if s.error else ""
            out.append(
                f"  {state:4} {s.kind:13} {s.url}  status {s.status}{problem}, "
                f"{s.entries} entries, {len(s.accepted)} accepted"
                + (f" ({s.note})" if s.note else "")
            )
        out.append(f"accepted article URLs: {len(self.accepted)}")
        out.extend(_sample_lines(self.samples))
        for rule in self.stale_rules:
            out.append(f"STALE strip rule (no hit on any sample): {rule}")
        out.append("result: " + ("FAILED" if self.exit_code else "ok"))
        return out


def _sample_lines(samples: list[SampleReport]) -> list[str]:
    out = [f"samples: {len(samples)}"] if samples else []
    for s in samples:
        removed = ", ".join(f"{k} {n}" for k, n in sorted(s.removed.items())) or "nothing"
        if s.outcome == "article":
            out.append(f"  {s.url}: {s.words} words, paywall {'yes' if s.paywalled else 'no'}, "
                       f"removed {removed}")  # fmt: skip
        else:
            out.append(f"  {s.url}: {s.outcome}: {s.detail}")
        out.append(f"    sections {s.sections or 'not stated'}")
        hits = {**s.selector_hits, **s.pattern_hits}
        out.extend(f"    rule {rule!r}: {count} hit(s)" for rule, count in hits.items())
    return out


def check_profile(
    profile: SiteProfile, fetcher: Fetcher, samples: int = 3, max_age_days: float = 0.0
) -> CheckReport:
    """Read robots.txt and every source, then run `samples` accepted articles through extraction."""
    report = CheckReport(profile)
    origins = dict.fromkeys(
        f"{urlsplit(u).scheme}://{urlsplit(u).netloc}"
        for u in (*profile.feeds, *profile.sitemaps, *profile.start_urls)
    )
    for origin in origins:
        fetched, rules = fetcher.robots(origin + "/")
        state = f"status {fetched.status}" + (f" {fetched.error}" if fetched.error else "")
        report.robots.append(f"robots.txt {origin}/robots.txt: {state}"
                             + ("" if rules else " (no rules: everything allowed)"))  # fmt: skip
    report.sources = read_sources(profile, fetcher, max_age_days)
    report.samples = [check_sample(url, profile, fetcher) for url in report.sample_urls(samples)]
    return report
