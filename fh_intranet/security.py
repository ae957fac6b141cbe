"""Response headers that every answer carries."""
from flask import request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def init_app(app):
    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "geolocation=(), microphone=(), camera=(), payment=()"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config["PREFERRED_URL_SCHEME"] == "https":
            headers["Strict-Transport-Security"] = "max-age=31536000"
        response.vary.add("HX-Request")
        if response.mimetype == "text/html" and request.endpoint != "static":
            # Pages may hold personal data: keep them out of shared caches and disk caches.
            headers["Cache-Control"] = "no-store"
        return response
