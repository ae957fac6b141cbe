"""Compressed answers: pages, fragments and exports are text that shrinks to a fifth or less.

Formats that are already compressed (PDF, JPEG, PNG, WebP) are left alone; static files come
precompressed from WhiteNoise (see static_files.py).
"""
import gzip
import zlib

from flask import Flask, request

try:
    import brotli
except ImportError:  # optional: gzip alone does the job
    brotli = None

COMPRESSIBLE = {"text/html", "text/csv", "text/calendar", "text/plain", "text/css", "text/javascript",
                "application/json", "application/javascript", "application/xml", "text/xml", "image/svg+xml"}
MIN_COMPRESS_BYTES = 500  # below this the saving does not pay for the headers and the CPU
GZIP_LEVEL = 6
BROTLI_QUALITY = 4  # per request: a little smaller than gzip 6 at its speed (11 is for static files)
# BREACH: an attacker who can send requests from the victim's browser and watch the encrypted
# sizes could guess secrets in a compressed page (the CSRF token) byte by byte. Such requests come
# from another site; browsers say so in Sec-Fetch-Site, and those answers are sent uncompressed.
COMPRESS_FETCH_SITES = {None, "same-origin", "none"}


def init_app(app: Flask) -> None:
    @app.after_request
    def _compress(response):
        if response.mimetype not in COMPRESSIBLE:
            return response
        response.vary.add("Accept-Encoding")
        if (response.status_code < 200 or response.status_code in (204, 206, 304)
                or "Content-Encoding" in response.headers or response.direct_passthrough
                or request.headers.get("Sec-Fetch-Site") not in COMPRESS_FETCH_SITES):
            return response
        accepted = request.accept_encodings
        encoding = ("br" if brotli and accepted.quality("br") > 0
                    else "gzip" if accepted.quality("gzip") > 0 else None)
        length = response.content_length  # known for most bodies, also for redirects run as WSGI apps
        if encoding is None or (length is not None and length < MIN_COMPRESS_BYTES):
            return response
        if response.is_streamed:
            response.response = _compress_stream(response.response, response.iter_encoded(), encoding)
            response.headers.pop("Content-Length", None)
        else:
            body = response.get_data()
            if len(body) < MIN_COMPRESS_BYTES:
                return response
            response.set_data(brotli.compress(body, quality=BROTLI_QUALITY) if encoding == "br"
                              else gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
        response.headers["Content-Encoding"] = encoding
        etag, weak = response.get_etag()
        if etag and not weak:  # the compressed bytes are not the ones the strong tag names
            response.set_etag(etag, weak=True)
        return response


def _compress_stream(body, chunks, encoding):
    """Compress a streamed body (e.g. a long CSV) as it is produced, without holding it whole."""
    if encoding == "br":
        compressor = brotli.Compressor(quality=BROTLI_QUALITY)
        process, finish = compressor.process, compressor.finish
    else:
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip framing
        process, finish = compressor.compress, compressor.flush
    try:
        for chunk in chunks:
            if data := process(chunk):
                yield data
        yield finish()
    finally:
        if hasattr(body, "close"):  # e.g. a generator holding a database cursor
            body.close()
