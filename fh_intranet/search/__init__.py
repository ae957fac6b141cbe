"""Search over everything a person may read (see registry.py for how a kind plugs in)."""
from ..db import before_commit
from . import kinds  # noqa: F401  (registers the kinds of content)
from .index import rebuild, reindex_touched
from .query import search
from .registry import Document, Kind, register

before_commit(reindex_touched)

__all__ = ["Document", "Kind", "rebuild", "register", "search"]
