"""The demo site's real page weight: real-sized, real-shaped pages whose truth stays exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.demo import DemoSite, generate
from crawler.demo.routes import load_routes, lookup
from crawler.profile import load_profiles
from pipelines.extraction import Rejection, extract
from tests.benchmarks.extract_only import extraction_input

PAGES = 36
# Texts only the added weight carries: none may reach an extracted article.
WEIGHT_TEXTS = ("Advertisement", "More stories", "is talking about", "All rights reserved",
                "App Store", "__APP_STATE__", "webpackChunk")  # fmt: skip
WEIGHT_MARKUP = (b"<style>", b"webpackChunk", b'id="__APP_STATE__"', b'class="mega-menu"',
                 b'class="ad-slot', b'class="related-grid"', b'class="global-footer"')  # fmt: skip


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DemoSite]:
    root = tmp_path_factory.mktemp("weights")
    return {w: generate(root / w, pages=PAGES, seed=3, weight=w) for w in ("light", "real")}


def opinion_pages(site: DemoSite) -> list[tuple[dict, str, bytes]]:
    """(truth, Content-Type, body) of every opinion page."""
    routes = load_routes(site.root)
    pages = []
    for truth in site.truth():
        route = lookup(routes, truth["url"])
        if truth["kind"] == "opinion" and route is not None:
            pages.append((truth, route.content_type, (site.root / route.file).read_bytes()))
    return pages


def extracted_text(truth: dict, content_type: str, body: bytes) -> str:
    profiles = load_profiles()
    result = extract(*extraction_input(truth["url"], truth["site"], content_type, body, profiles))
    assert not isinstance(result, Rejection), (truth["url"], result)
    return result.text


def test_real_weight_pages_are_real_sized_and_shaped(sites: dict[str, DemoSite]) -> None:
    pages = opinion_pages(sites["real"])
    sizes = sorted(len(body) for _, _, body in pages)
    assert sizes[0] >= 100_000 and sizes[-1] <= 260_000, sizes
    assert sizes[len(sizes) // 2] > 150_000
    for truth, _, body in pages:
        for part in WEIGHT_MARKUP:
            assert part in body, (truth["url"], part)
    assert sites["real"].weight == "real"
    assert DemoSite.load(sites["real"].root).weight == "real"


def test_light_weight_is_the_default_and_unchanged(sites: dict[str, DemoSite]) -> None:
    assert all(len(body) < 40_000 for _, _, body in opinion_pages(sites["light"]))
    assert DemoSite.load(sites["light"].root).weight == "light"


def test_truth_is_the_same_whatever_the_weight(sites: dict[str, DemoSite]) -> None:
    assert sites["light"].truth() == sites["real"].truth()


def test_extraction_on_weighted_pages_matches_the_truth(sites: dict[str, DemoSite]) -> None:
    light = {truth["url"]: (truth, ct, body) for truth, ct, body in opinion_pages(sites["light"])}
    exact = 0
    for truth, content_type, body in opinion_pages(sites["real"]):
        text = extracted_text(truth, content_type, body)
        assert text == extracted_text(*light[truth["url"]]), truth["url"]
        assert not [t for t in WEIGHT_TEXTS if t in text], truth["url"]
        assert not [s for s in truth["boilerplate"] if s in text], truth["url"]
        exact += text == truth["body"]
    assert exact >= 0.9 * len(light)


def test_unknown_weight_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="weight"):
        generate(tmp_path, pages=3, weight="heavy")
