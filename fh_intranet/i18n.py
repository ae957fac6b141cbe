"""Language and time zone: German by default, English per person."""
import flask_babel
from flask import g, request
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

LOCALES = ("de", "en")
LOCALE_COOKIE = "lang"


def select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = request.cookies.get(LOCALE_COOKIE)
    return chosen if chosen in LOCALES else "de"


def translations():
    """The translations of the current locale, looked up once per request and locale. Flask-Babel
    looks them up for every string (its context, the locale, the locale's name as the cache key).
    `force_locale` (a mail in its recipient's language) sets another Locale object, which the
    identity check sees."""
    locale = flask_babel.get_locale()
    cached = g.get("_fh_translations")
    if cached is None or cached[0] is not locale:
        cached = g._fh_translations = (locale, flask_babel.get_translations())
    return cached[1]


def install_template_gettext(app):
    """Templates' _(), ngettext() and their context variants. Each rendering gets them bound to the
    translations in force (`_bound_gettext`, a context processor, so a rendering under
    `force_locale` gets its own); the globals here serve what renders without that context
    (macros imported without context, templates rendered outside a request)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.context_processor(_bound_gettext)


def _bound_gettext() -> dict:
    """The newstyle gettext functions of Jinja's i18n extension (the string is always a format
    string, autoescaped), on one catalog: a list of 50 rows with a label per cell spent a fifth of
    its time finding the catalog again for every string."""
    catalog = translations()

    def formatted(context, text, variables):
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    @pass_context
    def gettext(context, string, **variables):
        return formatted(context, catalog.ugettext(string), variables)

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return formatted(context, catalog.ungettext(singular, plural, num), variables)

    @pass_context
    def pgettext(context, string_context, string, **variables):
        variables.setdefault("context", string_context)
        return formatted(context, catalog.upgettext(string_context, string), variables)

    @pass_context
    def npgettext(context, string_context, singular, plural, num, **variables):
        variables.setdefault("context", string_context)
        variables.setdefault("num", num)
        return formatted(context, catalog.unpgettext(string_context, singular, plural, num), variables)

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}
