"""Spiders: they find and fetch pages, never parse article content."""
