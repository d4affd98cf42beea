"""What a page's head makes the browser do before it can draw the page."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_page_waits_for_its_stylesheets_before_domcontentloaded(client, home):
    """A deferred script after the last stylesheet holds DOMContentLoaded until the CSS is in:
    without it Chromium laid the whole page out once unstyled (a long task: Total Blocking
    Time on the home and comparison pages)."""
    html = client.get("/").content.decode()
    head = html[: html.index("</head>")]
    stylesheets = [m.start() for m in re.finditer(r'<link rel="stylesheet"', head)]
    deferred = [
        m.start() for m in re.finditer(r'<script src="[^"]*/styles-first\.[\w.]*js" defer>', head)
    ]
    assert stylesheets and deferred
    assert max(stylesheets) < deferred[0]
    # Nothing else may block parsing: every other script in the head is deferred or data.
    for tag in re.findall(r"<script\b[^>]*>", head):
        assert " defer" in tag or 'type="application/ld+json"' in tag, tag
