"""Project scrapy commands (`scrapy demo`, ...)."""
