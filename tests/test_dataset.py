"""The loader: schema-derived dtypes, partition pruning, latest revision per article."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pyarrow as pa

from crawler.dataset import dataset_schema, load, load_rejects, pandas_dtype
from tests.conftest import NOW, make_record


def test_dtypes_follow_the_record_schema(write_articles):
    df = load(write_articles([make_record(i) for i in range(3)]))
    assert str(df["published_at"].dtype) == "datetime64[us, UTC]"
    assert str(df["fetched_at"].dtype) == "datetime64[us, UTC]"
    assert isinstance(df["site"].dtype, pd.StringDtype)
    assert isinstance(df["text"].dtype, pd.StringDtype)
    assert df["authors"].dtype == pd.ArrowDtype(pa.list_(pa.string()))
    assert df["word_count"].dtype == "int32"
    assert df["paywalled"].dtype == bool
    assert list(df["authors"].iloc[0]) == ["Ada Writer"]
    assert df["removed"].iloc[0][0] == {"kind": "appeal", "text": "Please support us"}
    expected = [n for n in dataset_schema("articles").names if n != "month"]
    assert list(df.columns) == expected


def test_every_schema_type_has_a_pandas_mapping():
    for field in dataset_schema("articles"):
        dtype = pandas_dtype(field.type)
        assert dtype is None or isinstance(dtype, (pd.StringDtype, pd.ArrowDtype))


def test_filter_by_site_and_date_range(write_articles):
    records = [make_record(i) for i in range(60)] + [make_record(100, site="other")]
    root = write_articles(records)
    df = load(root, sites="example", start=NOW - timedelta(days=7), end=NOW)
    assert len(df) == 7
    assert set(df["site"]) == {"example"}
    assert df["published_at"].min() >= NOW - timedelta(days=7)
    assert df["published_at"].max() < NOW


def test_filters_never_open_partitions_outside_the_range(write_articles):
    root = write_articles([make_record(0), make_record(90)])
    # A broken file in an old month: a filtered load must not even open it.
    old = next((root / "articles" / "site=example").glob("month=2026-08"))
    (old / "part-broken.parquet").write_bytes(b"not parquet at all")
    df = load(root, sites="example", start=NOW - timedelta(days=3))
    assert len(df) == 1


def test_latest_revision_per_article_by_default(write_articles):
    first = make_record(1, text="old text", fetched_at=NOW)
    second = make_record(1, text="new text", fetched_at=NOW + timedelta(days=1), run_id="run-2")
    root = write_articles([first, second, make_record(2)])
    latest = load(root)
    assert len(latest) == 2
    assert latest.set_index("canonical_url").loc[first.canonical_url, "text"] == "new text"
    assert len(load(root, latest=False)) == 3


def test_missing_dataset_loads_empty_with_the_right_columns(tmp_path):
    df = load(tmp_path)
    assert df.empty
    assert "published_at" in df.columns
    assert load_rejects(tmp_path).empty
