"""Language and time zone: German by default, English per person."""
import flask_babel
from flask import g, has_request_context, request, session
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

LOCALES = ("de", "en")
LOCALE_COOKIE = "lang"
# A language chosen before logging in (on the login page): the login makes it the person's own.
CHOSEN_BEFORE_LOGIN = "locale_chosen"


def locale_of(person) -> str:
    """The language a person reads: for what reaches them outside their own session (mails, the
    calendar feed, pages opened from a mail's link)."""
    return person.locale if person.locale in LOCALES else "de"


def select_locale() -> str:
    if not has_request_context():  # a command or the demo seed, without a forced locale
        return "de"
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = request.cookies.get(LOCALE_COOKIE)
    return chosen if chosen in LOCALES else "de"


LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}  # each in its own language


def keep_locale(response, locale: str) -> None:
    """Remember the language in this browser: pages shown without a login (the login page after a
    logout, too) stay in it."""
    response.set_cookie(LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                        secure=request.is_secure)


def choose_before_login(locale: str) -> None:
    session[CHOSEN_BEFORE_LOGIN] = locale


def chosen_before_login() -> str | None:
    """The language chosen in this browser session before logging in, if any: read it before the
    login clears the session."""
    chosen = session.get(CHOSEN_BEFORE_LOGIN)
    return chosen if chosen in LOCALES else None


class RequestCachedDomain(flask_babel.Domain):
    """Flask-Babel's message domain, finding the catalog once per request and locale. Flask-Babel
    finds it again for every string it translates (its context, the locale, the locale's name as
    the cache key), the lazy labels of a list's rows too: a quarter of the round list's time.
    `force_locale` (a mail in its recipient's language) sets another Locale object, which the
    identity check sees."""

    def get_translations(self):
        locale = flask_babel.get_locale()
        if locale is None:  # outside a request
            return super().get_translations()
        cached = g.get("_fh_translations")
        if cached is None or cached[0] is not locale:
            cached = g._fh_translations = (locale, super().get_translations())
        return cached[1]


def install_domain(app, babel: flask_babel.Babel) -> None:
    """Every gettext of Flask-Babel, lazy or not, through `RequestCachedDomain`."""
    babel.domain_instance = RequestCachedDomain(domain=app.extensions["babel"].default_domain)


def translations():
    """The translations of the current locale (once per request and locale)."""
    return flask_babel.get_translations()


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

    # Parameter names as Jinja's own (double underscore): `num=` or `context=` stay free for the string.
    def formatted(__context, __text, variables):
        return (Markup(__text) if __context.eval_ctx.autoescape else __text) % variables

    plain = {}  # (string, autoescape) -> the text: a table repeats its cells' labels in every row

    @pass_context
    def gettext(__context, __string, **variables):
        if variables:
            return formatted(__context, catalog.ugettext(__string), variables)
        key = (__string, __context.eval_ctx.autoescape)
        text = plain.get(key)
        if text is None:
            text = plain[key] = formatted(__context, catalog.ugettext(__string), variables)
        return text

    @pass_context
    def ngettext(__context, __singular, __plural, __num, **variables):
        variables.setdefault("num", __num)
        return formatted(__context, catalog.ungettext(__singular, __plural, __num), variables)

    @pass_context
    def pgettext(__context, __string_ctx, __string, **variables):
        variables.setdefault("context", __string_ctx)
        return formatted(__context, catalog.upgettext(__string_ctx, __string), variables)

    @pass_context
    def npgettext(__context, __string_ctx, __singular, __plural, __num, **variables):
        variables.setdefault("context", __string_ctx)
        variables.setdefault("num", __num)
        return formatted(__context, catalog.unpgettext(__string_ctx, __singular, __plural, __num), variables)

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}
