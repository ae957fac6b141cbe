"""Static files, served by WhiteNoise before Flask sees the request.

Pages reference static files by a name with a hash of their content ("app.3f9c0a1b2c4d.css"), so
a browser may keep them for a year without asking again: a changed file gets a new name. The
hashed copies and their gzip/Brotli forms are made at start-up in the instance folder (static/
stays as checked in, no build step, no Node); WhiteNoise serves them before Flask sees the
request. The plain names ("/static/app.css") keep working, cached briefly.
"""
import gzip
import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path

from flask import url_for

from .security import add_security_headers

log = logging.getLogger(__name__)

HASHED_NAME = re.compile(r"\.[0-9a-f]{12}(\.[A-Za-z0-9]+)?$")
IMMUTABLE = "public, max-age=31536000, immutable"
PLAIN_MAX_AGE = 60  # seconds: a plain name may change its content with the next release
COMPRESS_SUFFIXES = {".css", ".js", ".mjs", ".map", ".svg", ".json", ".txt", ".xml", ".html", ".ico", ".ttf", ".otf"}

# gzip/Brotli forms by content hash, made once per process: every worker and every test app that
# builds its own instance folder would otherwise spend ~0.1 s per file on Brotli's best level.
_compressed: dict[tuple[str, str], bytes | None] = {}


def static_url(filename: str) -> str:
    """URL of a file in static/, by its content-hashed name where there is one."""
    return url_for("static", filename=filename)


def init_app(app) -> None:
    StaticFiles(app)


class StaticFiles:
    def __init__(self, app):
        self.source = Path(app.static_folder)
        self.target = Path(app.instance_path) / "static-build"
        self.refresh = app.config.get("ENV_NAME") == "development"
        self.https = app.config["PREFERRED_URL_SCHEME"] == "https"
        self.manifest: dict[str, str] = {}
        self.seen: dict[str, tuple[int, int]] = {}
        root = self.source
        try:
            self.build()
            root = self.target
        except OSError as error:  # e.g. a read-only instance folder: plain names, short caching
            log.warning("static files served without hashed names: %s", error)
            self.manifest = {}
        from whitenoise import WhiteNoise

        app.wsgi_app = WhiteNoise(
            app.wsgi_app, root=str(root), prefix="static/", max_age=PLAIN_MAX_AGE,
            autorefresh=self.refresh, allow_all_origins=False,
            immutable_file_test=lambda path, url: bool(HASHED_NAME.search(url)),
            add_headers_function=self.add_headers)
        app.url_defaults(self.hashed_name)
        app.extensions["static_files"] = self

    def hashed_name(self, endpoint, values):
        """url_for("static", filename=…) anywhere gives the hashed name."""
        if endpoint != "static" or "filename" not in values:
            return
        name = values["filename"]
        if self.refresh and name in self.seen:
            self.update(name)  # development: an edited file gets its new name without a restart
        values["filename"] = self.manifest.get(name, name)

    def add_headers(self, headers, path, url):
        """WhiteNoise answers before Flask: the headers security.py gives every Flask response."""
        if HASHED_NAME.search(url):
            headers["Cache-Control"] = IMMUTABLE
        add_security_headers(headers, https=self.https)

    def build(self):
        self.target.mkdir(parents=True, exist_ok=True)
        # Temporary files outside the served folder, renamed into it when complete: several
        # workers start at once, and none may index or serve a half-written file.
        self.scratch = self.target.parent / ".static-tmp"
        self.scratch.mkdir(exist_ok=True)
        names = set()
        for path in sorted(self.source.rglob("*")):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(self.source).parts):
                name = path.relative_to(self.source).as_posix()
                names.add(name)
                self.update(name)
        for path in self.target.rglob("*"):  # plain copies of files no longer in static/
            name = path.relative_to(self.target).as_posix()
            plain = re.sub(r"\.(gz|br)$", "", name)
            if path.is_file() and not HASHED_NAME.search(plain) and not {name, plain} & names:
                path.unlink(missing_ok=True)

    def update(self, name: str):
        source = self.source / name
        try:
            stat = source.stat()
        except FileNotFoundError:
            return
        if self.seen.get(name) == (stat.st_mtime_ns, stat.st_size):
            return
        data = source.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        stem, dot, suffix = name.rpartition(".")
        hashed = f"{stem}.{digest[:12]}.{suffix}" if dot and "/" not in suffix else f"{name}.{digest[:12]}"
        self._write(hashed, data, content_addressed=True)
        self._write(name, data, content_addressed=False)
        for encoding in ("gz", "br") if Path(name).suffix.lower() in COMPRESS_SUFFIXES else ():
            done = self.target / f"{hashed}.{encoding}"  # another worker may have made it already
            compressed = done.read_bytes() if done.exists() else _compress_static(digest, data, encoding)
            if compressed is None:
                (self.target / f"{name}.{encoding}").unlink(missing_ok=True)
                continue
            self._write(f"{hashed}.{encoding}", compressed, content_addressed=True)
            self._write(f"{name}.{encoding}", compressed, content_addressed=False)
        self.manifest[name] = hashed
        self.seen[name] = (stat.st_mtime_ns, stat.st_size)

    def _write(self, name: str, data: bytes, content_addressed: bool):
        path = self.target / name
        if path.exists() and (content_addressed or path.read_bytes() == data):
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, scratch = tempfile.mkstemp(dir=self.scratch)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(scratch, 0o644)
        os.replace(scratch, path)


def _compress_static(digest: str, data: bytes, encoding: str) -> bytes | None:
    """The gzip ("gz") or Brotli ("br") form, or None where it would not save 5 %."""
    key = (digest, encoding)
    if key not in _compressed:
        if encoding == "gz":
            compressed = gzip.compress(data, compresslevel=9, mtime=0)
        else:
            try:
                import brotli
            except ImportError:
                compressed = None
            else:
                compressed = brotli.compress(data, quality=11)
        _compressed[key] = compressed if compressed is not None and len(compressed) < 0.95 * len(data) else None
    return _compressed[key]
