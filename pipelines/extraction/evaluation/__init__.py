"""Scoring the extraction layer against pages with known bodies (`scrapy evaluate`)."""
