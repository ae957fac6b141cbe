"""Language and time zone: German by default, English per person."""
from flask import request
from flask_login import current_user

LOCALES = ("de", "en")
LOCALE_COOKIE = "lang"


def select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = request.cookies.get(LOCALE_COOKIE)
    return chosen if chosen in LOCALES else "de"
