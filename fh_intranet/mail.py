"""Sending e-mail through the SMTP server named in the configuration."""
import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


def is_configured() -> bool:
    return bool(current_app.config["MAIL_SERVER"])


def send(to: str, subject: str, body: str) -> bool:
    """Send a plain-text mail. Returns False when it was not sent (no server, or it failed)."""
    cfg = current_app.config
    if not is_configured():
        if cfg["ENV_NAME"] == "development":
            log.warning("No MAIL_SERVER set; this mail was not sent:\nTo: %s\nSubject: %s\n\n%s",
                        to, subject, body)
        else:
            log.warning("No MAIL_SERVER set; a mail was not sent.")
        return False
    message = EmailMessage()
    message["From"] = cfg["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    smtp_class = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
    try:
        with smtp_class(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=15) as smtp:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.error("Sending a mail failed: %s", type(exc).__name__)
        return False
    return True
