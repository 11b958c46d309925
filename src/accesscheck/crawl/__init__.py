"""The crawl: which URLs to visit, in what order, and which to leave alone.

Each policy is one small module with its own settings (scope, robots, traps, priority, sitemaps),
in the manner of Scrapy's downloader middlewares; `frontier` combines them.
"""
