"""Mail on the wire: building a message from an outbox row and talking to the configured SMTP server.

Nothing here is called inside a request: requests write to the outbox
(`notifications.outbox.enqueue`), the worker (`flask --app fh_intranet send-mail`) delivers.
"""
from __future__ import annotations

import json
import re
import smtplib
from contextlib import contextmanager
from datetime import timezone
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app

from .db import utcnow


def is_configured() -> bool:
    return bool(current_app.config["MAIL_SERVER"])


# Line breaks and other control characters end a header line. People write them into what becomes
# a subject (a two-line message in the public accessibility form, a pasted meeting title), and
# Python refuses such a header, which stopped the worker for every mail behind it.
_BREAKS = re.compile(r"[\x00-\x1f\x7f]+")


def one_line(value: str) -> str:
    """A header value on one line: every run of line breaks and control characters is a space."""
    return _BREAKS.sub(" ", str(value)).strip()


def build_message(row) -> EmailMessage:
    """The mail an outbox row describes: plain text, an HTML alternative and an .ics attachment
    where the row has them, plus its extra headers (List-Unsubscribe …)."""
    cfg = current_app.config
    message = EmailMessage()
    message["From"] = cfg["MAIL_FROM"]
    message["To"] = row.recipient
    _set_text(message, "Subject", one_line(row.subject))
    message["Date"] = format_datetime(utcnow().replace(tzinfo=timezone.utc))
    message["Message-ID"] = make_msgid(idstring=f"outbox{row.id}", domain=_mail_domain(cfg["BASE_URL"]))
    message["Auto-Submitted"] = "auto-generated"
    for name, value in json.loads(row.headers or "{}").items():
        message[name] = one_line(value)
    message.set_content(row.text_body)
    if row.html_body:
        message.add_alternative(row.html_body, subtype="html")
    if row.ics:
        # As calendar services send invitations: the iTIP part as the message's last alternative,
        # where Outlook finds it and offers to add or decline the appointment (an attachment alone
        # is shown as a file to open), and the same file attached for programs that look there.
        message.add_alternative(row.ics, subtype="calendar", params={"method": row.ics_method or "PUBLISH"})
        message.add_attachment(row.ics.encode(), maintype="application", subtype="ics", filename="termin.ics")
    return message


def _set_text(message: EmailMessage, name: str, value: str) -> None:
    """A free-text header. With umlauts it is encoded by `email.header` (the spaces inside its
    encoded words) and stored as it is: the folding of the default policy cuts a long German
    subject into encoded words with the spaces between them, which readers drop
    ("über Übergänge" arrived as "überÜbergänge")."""
    if value.isascii():
        message[name] = value
    else:
        message.set_raw(name, Header(value, "utf-8", header_name=name).encode(linesep="\n"))


def _mail_domain(base_url: str) -> str:
    return base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


@contextmanager
def smtp_connection():
    """One connection to the configured server, logged in and encrypted as configured."""
    cfg = current_app.config
    smtp_class = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        yield smtp


SEND_ERRORS = (OSError, smtplib.SMTPException)


def send(to: str, subject: str, body: str) -> bool:
    """Queue a plain-text mail for the worker (the interface from before the outbox; new code
    calls `notifications.outbox.enqueue` inside its change's transaction). True when a mail
    server is configured, i.e. the mail will go out."""
    from .db import write_transaction
    from .notifications import outbox

    with write_transaction():  # a savepoint when the caller's transaction is open already
        outbox.enqueue(to, subject, body)
    return is_configured()
