"""„Meistgelesen“: what readers read, counted without cookies and without personal data.

nginx writes one line per page view to its own log (hour, status, a bot/prefetch flag and
the path; no address, no browser), including every view its cache answered, which the app
never sees. A periodic job (`jobs.count_article_views`) adds them up per article and hour
and empties the log; the box on the home page and the section pages, and the API, read the
sums of the last 24 hours and 7 days. See docs/api.md and the privacy page."""
