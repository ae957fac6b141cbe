"""Keep secrets and personal data out of the log, whatever LOG_LEVEL says.

- Request lines of the development server (logger "werkzeug") name the path, and three kinds of
  path carry a secret: invitation and reset links and the calendar feed. Those parts are masked.
- peewee logs every SQL statement with its parameters at DEBUG: e-mail addresses, password
  hashes, the calendar feed's token. Its logger stays at INFO even when the app logs at DEBUG.
"""
import logging
import re

SECRET_PATHS = re.compile(r"(/(?:einladung|passwort-neu)/)[^\s\"?/]+()|(/kalender/)[^\s\"?/]+(\.ics)")


def _mask(match: re.Match) -> str:
    prefix, suffix = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    return f"{prefix}***{suffix}"


class MaskSecretPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = SECRET_PATHS.sub(_mask, message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


_installed = MaskSecretPaths()


def init_app(app) -> None:
    werkzeug_log = logging.getLogger("werkzeug")
    if _installed not in werkzeug_log.filters:
        werkzeug_log.addFilter(_installed)
    peewee_log = logging.getLogger("peewee")
    if peewee_log.level < logging.INFO:  # NOTSET (0) included: it would inherit DEBUG
        peewee_log.setLevel(logging.INFO)
