"""Long lists a page at a time: one COUNT and one LIMIT/OFFSET query, whatever the list's length.

The page number travels in the query string (`seite`) next to the list's filters, so every page
is a plain link that works without JavaScript; htmx swaps only the list's region (see
templates/_paging.html).
"""
from dataclasses import dataclass

from flask import request, url_for

PAGE_ARG = "seite"
PAGE_SIZE = 50


@dataclass
class Page:
    items: list
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.number * self.size)

    def url(self, number: int) -> str:
        """This list with the same filters, on page `number`."""
        args = request.args.to_dict()
        args[PAGE_ARG] = number
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __bool__(self):
        return bool(self.items)


def paginate(query, pages_of: int = 1) -> Page:
    """The requested page of `query` (ordered by the caller, with a unique last sort key), of
    `pages_of` × PAGE_SIZE rows. A page number past the end shows the last page."""
    size = PAGE_SIZE * pages_of
    total = query.count()
    pages = max(1, -(-total // size))
    number = min(max(1, request.args.get(PAGE_ARG, 1, type=int) or 1), pages)
    items = list(query.paginate(number, size)) if total else []
    return Page(items, number, size, total)
