"""opinion-scraper: crawl opinion sections into a clean, typed Parquet dataset."""
