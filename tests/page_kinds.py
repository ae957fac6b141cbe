"""The demo's pages, a few of each kind, for the crawls that check every page (the Nu checker,
pa11y, the phone crawl in the browser).

A kind of page is the view that answers it: the 19 sectors' edit forms are one kind, and so are a
list and its filtered variants. A few pages per kind catch what differs with the data (an empty
list, a long one, a comment thread) without checking the same form nineteen times.
"""
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

from .form_crawl import endpoint_of

PAGES_PER_KIND = 3
SKIP_PATHS = ("/static/", "/konto/export", "/dateien/")  # files, not pages
SKIP_SUFFIXES = ("/pdf", ".pdf", ".csv", ".ics", ".zip", ".json")


def kind_of(app, path: str) -> str:
    return endpoint_of(app, urlsplit(path).path, "GET") or urlsplit(path).path


def page_link(href: str, origin: str = "") -> str | None:
    """The path and query of a link to a page of the site (origin: the site's, for absolute links)."""
    parts = urlsplit(href)
    if f"{parts.scheme}://{parts.netloc}" not in ("://", origin) or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PATHS) or parts.path.endswith(SKIP_SUFFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def walk(app, start: str, visit, per_kind: int, origin: str = "") -> None:
    """Breadth first along the site's links from `start`, at most `per_kind` pages of each kind.
    `visit(path)` opens a page and returns the links on it, or None when it was no page to count."""
    seen, per = set(), {}
    queue = deque([start])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        kind = kind_of(app, path)
        if per.get(kind, 0) >= per_kind:
            continue
        links = visit(path)
        if links is None:
            continue
        per[kind] = per.get(kind, 0) + 1
        queue.extend(target for href in links if (target := page_link(href, origin)) and target not in seen)


def collect_pages(app, client, start="/", per_kind=PAGES_PER_KIND) -> dict[str, str]:
    """Path → HTML of every page reachable by links from `start` with the test client, a few per kind."""
    pages = {}

    def visit(path):
        response = client.get(path)
        assert response.status_code < 500, f"{path} answered {response.status_code}"
        if response.status_code != 200 or response.mimetype != "text/html":
            return None
        pages[path] = response.get_data(as_text=True)
        return links_in(pages[path])

    walk(app, start, visit, per_kind)
    return pages


def links_in(html: str) -> list[str]:
    found = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "a" and (href := dict(attrs).get("href")):
                found.append(href)

    Links().feed(html)
    return found
