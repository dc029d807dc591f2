"""Tools behind `scrapy profile`: check a profile against its live site, draft a new one."""
