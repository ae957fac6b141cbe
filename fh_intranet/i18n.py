"""Language and time zone: German by default, English per person."""
import flask_babel
from flask import g, request
from flask_login import current_user

LOCALES = ("de", "en")
LOCALE_COOKIE = "lang"


def select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = request.cookies.get(LOCALE_COOKIE)
    return chosen if chosen in LOCALES else "de"


def translations():
    """The translations of the current locale, looked up once per request and locale. Flask-Babel
    looks them up for every string (its context, the locale, the locale's name as the cache key):
    a list of 50 rows with a label per cell spent a seventh of its time there. `force_locale` (a
    mail in its recipient's language) sets another Locale object, which the identity check sees."""
    locale = flask_babel.get_locale()
    cached = g.get("_fh_translations")
    if cached is None or cached[0] is not locale:
        cached = g._fh_translations = (locale, flask_babel.get_translations())
    return cached[1]


def install_template_gettext(app):
    """Templates' _(), ngettext() and their context variants, on `translations()`."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
