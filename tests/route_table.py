"""The declared access table: expected status per route and role.

Every route of the app must have a row here (test_routes checks this against app.url_map), so a
new route cannot ship without deciding who may use it. POST rows send an empty form: 422 means
"allowed, input refused", 303 "allowed and done", 403 "not allowed", 302 "log in first".
URL placeholders: {member}, {deactivated}, {invited} (person ids), {organisation}; agreements by state
{draft}, {consultation}, {adopted}; {comment} (a member's comment on the consultation). A route may
have several rows, e.g. for a draft (hidden from partners: 404) and an adopted agreement.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    url: str
    anonymous: int
    partner: int
    member: int
    coordinator: int

    def expected(self, role: str) -> int:
        return getattr(self, role)


def R(endpoint, method, url, anonymous, partner, member, coordinator):
    return Route(endpoint, method, url, anonymous, partner, member, coordinator)


ROUTES = [
    # endpoint                    method  url                                        anon partner member coord
    R("static",                   "GET",  "/static/app.css",                          200, 200, 200, 200),
    R("main.start",               "GET",  "/",                                        302, 200, 200, 200),
    R("main.choose_language",     "POST", "/sprache",                                 303, 303, 303, 303),
    R("main.health",              "GET",  "/healthz",                                 200, 200, 200, 200),
    R("auth.login",               "GET",  "/anmelden",                                200, 303, 303, 303),
    R("auth.login",               "POST", "/anmelden",                                422, 303, 303, 303),
    R("auth.logout",              "POST", "/abmelden",                                303, 303, 303, 303),
    R("auth.forgot_password",     "GET",  "/passwort-vergessen",                      200, 200, 200, 200),
    R("auth.forgot_password",     "POST", "/passwort-vergessen",                      422, 422, 422, 422),
    R("auth.reset_password",      "GET",  "/passwort-neu/ungueltig",                  410, 410, 410, 410),
    R("auth.reset_password",      "POST", "/passwort-neu/ungueltig",                  410, 410, 410, 410),
    R("auth.accept_invitation",   "GET",  "/einladung/ungueltig",                     410, 410, 410, 410),
    R("auth.accept_invitation",   "POST", "/einladung/ungueltig",                     410, 410, 410, 410),
    R("account.show",             "GET",  "/konto/",                                  302, 200, 200, 200),
    R("account.change_password",  "POST", "/konto/passwort",                          302, 422, 422, 422),
    R("account.export",           "GET",  "/konto/export",                            302, 200, 200, 200),
    R("people.index",             "GET",  "/personen/",                               302, 403, 200, 200),
    R("people.invite",            "GET",  "/personen/einladen",                       302, 403, 403, 200),
    R("people.invite",            "POST", "/personen/einladen",                       302, 403, 403, 422),
    R("people.detail",            "GET",  "/personen/{member}",                       302, 403, 200, 200),
    R("people.edit",              "GET",  "/personen/{member}/bearbeiten",            302, 403, 403, 200),
    R("people.edit",              "POST", "/personen/{member}/bearbeiten",            302, 403, 403, 422),
    R("people.deactivate",        "POST", "/personen/{member}/deaktivieren",          302, 403, 403, 303),
    R("people.reactivate",        "POST", "/personen/{deactivated}/reaktivieren",     302, 403, 403, 303),
    R("people.reinvite",          "POST", "/personen/{invited}/einladung",            302, 403, 403, 303),
    R("organisations.index",      "GET",  "/organisationen/",                         302, 200, 200, 200),
    R("organisations.detail",     "GET",  "/organisationen/{organisation}",           302, 200, 200, 200),
    R("organisations.create",     "GET",  "/organisationen/neu",                      302, 403, 403, 200),
    R("organisations.create",     "POST", "/organisationen/neu",                      302, 403, 403, 422),
    R("organisations.edit",       "GET",  "/organisationen/{organisation}/bearbeiten", 302, 403, 403, 200),
    R("organisations.edit",       "POST", "/organisationen/{organisation}/bearbeiten", 302, 403, 403, 422),
    R("agreements.index",         "GET",  "/vereinbarungen/",                          302, 200, 200, 200),
    R("agreements.detail",        "GET",  "/vereinbarungen/{draft}",                   302, 404, 200, 200),
    R("agreements.detail",        "GET",  "/vereinbarungen/{adopted}",                 302, 200, 200, 200),
    R("agreements.create",        "GET",  "/vereinbarungen/neu",                       302, 403, 403, 200),
    R("agreements.create",        "POST", "/vereinbarungen/neu",                       302, 403, 403, 422),
    R("agreements.edit",          "GET",  "/vereinbarungen/{draft}/bearbeiten",        302, 403, 403, 200),
    R("agreements.edit",          "POST", "/vereinbarungen/{draft}/bearbeiten",        302, 403, 403, 422),
    R("agreements.edit",          "GET",  "/vereinbarungen/{adopted}/bearbeiten",      302, 403, 403, 403),
    R("agreements.edit",          "POST", "/vereinbarungen/{adopted}/bearbeiten",      302, 403, 403, 403),
    R("agreements.edit_details",  "GET",  "/vereinbarungen/{draft}/angaben",           302, 403, 403, 200),
    R("agreements.edit_details",  "POST", "/vereinbarungen/{draft}/angaben",           302, 403, 403, 422),
    R("agreements.edit_details",  "POST", "/vereinbarungen/{adopted}/angaben",         302, 403, 403, 403),
    R("agreements.change_state",  "POST", "/vereinbarungen/{draft}/status",            302, 403, 403, 303),
    R("agreements.compare",       "GET",  "/vereinbarungen/{draft}/vergleich",         302, 404, 200, 200),
    R("agreements.compare",       "GET",  "/vereinbarungen/{adopted}/vergleich",       302, 200, 200, 200),
    R("agreements.comment",       "GET",  "/vereinbarungen/{consultation}/abschnitte/s-1-ziele/kommentar", 302, 404, 200, 200),
    R("agreements.comment",       "POST", "/vereinbarungen/{consultation}/abschnitte/s-1-ziele/kommentar", 302, 404, 422, 422),
    R("agreements.comment",       "GET",  "/vereinbarungen/{adopted}/abschnitte/s-1-ziele/kommentar",      302, 403, 403, 403),
    R("agreements.reply",         "GET",  "/vereinbarungen/kommentare/{comment}/antwort",     302, 404, 200, 200),
    R("agreements.reply",         "POST", "/vereinbarungen/kommentare/{comment}/antwort",     302, 404, 422, 422),
    R("agreements.edit_comment",  "GET",  "/vereinbarungen/kommentare/{comment}/bearbeiten",  302, 404, 200, 403),
    R("agreements.edit_comment",  "POST", "/vereinbarungen/kommentare/{comment}/bearbeiten",  302, 404, 422, 403),
    R("agreements.resolve",       "POST", "/vereinbarungen/kommentare/{comment}/erledigt",    302, 403, 403, 303),
    R("agreements.reopen",        "POST", "/vereinbarungen/kommentare/{comment}/wieder-offen", 302, 403, 403, 303),
    R("agreements.sign",          "POST", "/vereinbarungen/{adopted}/unterschriften",  302, 403, 422, 422),
    R("agreements.sign",          "POST", "/vereinbarungen/{draft}/unterschriften",    302, 404, 403, 403),
    R("agreements.print_view",    "GET",  "/vereinbarungen/{adopted}/druck",           302, 200, 200, 200),
    R("agreements.print_view",    "GET",  "/vereinbarungen/{draft}/druck",             302, 404, 200, 200),
    R("agreements.pdf_download",  "GET",  "/vereinbarungen/{adopted}/pdf",             302, 200, 200, 200),
    R("agreements.pdf_download",  "GET",  "/vereinbarungen/{draft}/pdf",               302, 404, 200, 200),
]
