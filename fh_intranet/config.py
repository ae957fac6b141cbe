"""Configuration read from the environment.

Every variable read here is listed in the README's configuration table.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path


class ConfigError(RuntimeError):
    pass


# The federal body (§ 16 BGG); a municipal network names its Land's enforcement body instead.
DEFAULT_ENFORCEMENT = ("Schlichtungsstelle nach dem Behindertengleichstellungsgesetz bei dem Beauftragten der "
                       "Bundesregierung für die Belange von Menschen mit Behinderungen, Mauerstraße 53, "
                       "10117 Berlin, www.schlichtungsstelle-bgg.de")


def _bool(value, default=False):
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret_key(instance_path: Path) -> str:
    """Development keeps one generated key in instance/ so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def from_environment(instance_path: Path, environ=os.environ, overrides: dict | None = None) -> dict:
    """Settings from `environ`; string `overrides` (create_app's argument) win over it."""
    environ = {**environ, **{k: v for k, v in (overrides or {}).items() if isinstance(v, str)}}
    env = environ.get("FH_ENV", "production").strip().lower()
    if env not in {"production", "development", "test"}:
        raise ConfigError(f"FH_ENV must be production, development or test, not {env!r}")

    secret_key = environ.get("SECRET_KEY")
    if not secret_key:
        if env == "production":
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value in production, "
                "or set FH_ENV=development for local use."
            )
        secret_key = _dev_secret_key(instance_path)

    # Without BASE_URL, links point at the port this process serves (`make run PORT=…`).
    base_url = environ.get("BASE_URL", f"http://127.0.0.1:{environ.get('PORT', '5000')}").rstrip("/")
    https = base_url.startswith("https://")

    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret_key,
        "DATABASE_URL": environ.get(
            "DATABASE_URL", f"sqlite:///{instance_path / 'fh_intranet.sqlite3'}"
        ),
        # Connections each app process keeps open for its requests (a pool).
        "DATABASE_MAX_CONNECTIONS": int(environ.get("DATABASE_MAX_CONNECTIONS", "20")),
        "BASE_URL": base_url,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "TRUSTED_PROXIES": int(environ.get("TRUSTED_PROXIES", "0")),
        # Mail: without MAIL_SERVER, mails go to the log and the coordinator sees links.
        "MAIL_SERVER": environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(environ.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _bool(environ.get("MAIL_USE_SSL")),
        "MAIL_FROM": environ.get("MAIL_FROM", "FH-Intranet <noreply@localhost>"),
        # Cookies: Secure whenever the site is served over HTTPS.
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(environ.get("REMEMBER_DAYS", "14"))),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        # Login throttling: failures allowed per window, per account and per client address.
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": int(environ.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", "5")),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": int(environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "20")),
        "LOGIN_THROTTLE_MINUTES": int(environ.get("LOGIN_THROTTLE_MINUTES", "15")),
        # The accessibility statement: who enforces BITV for this network's public body, and how to
        # reach the coordination besides the form.
        "ACCESSIBILITY_ENFORCEMENT": environ.get("ACCESSIBILITY_ENFORCEMENT", DEFAULT_ENFORCEMENT),
        "ACCESSIBILITY_CONTACT": environ.get("ACCESSIBILITY_CONTACT", ""),
        # Offerings not confirmed for this many days count as stale: marked in the intranet, left out
        # of the directory's exports and public page until their organisation confirms them.
        "OFFERINGS_STALE_DAYS": int(environ.get("OFFERINGS_STALE_DAYS", "365")),
        # The published directory as a public page without login (and its exports for the portal).
        "PUBLIC_DIRECTORY": _bool(environ.get("PUBLIC_DIRECTORY")),
        "MAX_UPLOAD_MB": int(environ.get("MAX_UPLOAD_MB", "10")),
        # A whole form may carry a few files; each file is checked against MAX_UPLOAD_MB on its own.
        "MAX_CONTENT_LENGTH": 4 * int(environ.get("MAX_UPLOAD_MB", "10")) * 1024 * 1024 + 256 * 1024,
        # Uploaded images, checked from the header before decoding: refused above this many pixels
        # (a phone photo has 12–50), or when decoding would take more memory than this (JPEG photos
        # are decoded at a smaller scale where that suffices); at most this many decoded at once
        # per process, the next waits a few seconds and is then asked to try again.
        "UPLOAD_MAX_MEGAPIXELS": float(environ.get("UPLOAD_MAX_MEGAPIXELS", "50")),
        "UPLOAD_MAX_DECODED_MB": int(environ.get("UPLOAD_MAX_DECODED_MB", "64")),
        "UPLOAD_CONVERSIONS": int(environ.get("UPLOAD_CONVERSIONS", "2")),
        # Seconds between the header's looks for new notifications (htmx polling).
        "NOTIFICATION_POLL_SECONDS": int(environ.get("NOTIFICATION_POLL_SECONDS", "30")),
        "LOG_LEVEL": environ.get("LOG_LEVEL", "INFO"),
        "BABEL_DEFAULT_LOCALE": "de",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    }
