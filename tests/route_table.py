"""The declared access table: expected status per route and role.

Every route of the app must have a row here (test_routes checks this against app.url_map), so a
new route cannot ship without deciding who may use it. POST rows send an empty form: 422 means
"allowed, input refused", 303 "allowed and done", 403 "not allowed", 302 "log in first".
URL placeholders: {member}, {deactivated}, {invited} (person ids), {organisation}; agreements by state
{draft}, {consultation}, {adopted}; {comment} (a member's comment on the consultation). A route may
have several rows, e.g. for a draft (hidden from partners: 404) and an adopted agreement.
Meetings: {body}, {draft_meeting}, {published_meeting}, {draft_item}/{published_item} (agenda items),
{draft_decision}, {draft_action} (partner's item in draft minutes), {published_action} (member's),
{feed} (the member's calendar token).
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
    R("bodies.index",             "GET",  "/gremien/",                                 302, 200, 200, 200),
    R("bodies.detail",            "GET",  "/gremien/{body}",                           302, 200, 200, 200),
    R("bodies.create",            "GET",  "/gremien/neu",                              302, 403, 403, 200),
    R("bodies.create",            "POST", "/gremien/neu",                              302, 403, 403, 422),
    R("bodies.edit",              "GET",  "/gremien/{body}/bearbeiten",                302, 403, 403, 200),
    R("bodies.edit",              "POST", "/gremien/{body}/bearbeiten",                302, 403, 403, 422),
    R("bodies.members",           "GET",  "/gremien/{body}/mitglieder",                302, 403, 403, 200),
    R("bodies.members",           "POST", "/gremien/{body}/mitglieder",                302, 403, 403, 303),
    R("bodies.archive",           "POST", "/gremien/{body}/archivieren",               302, 403, 403, 303),
    R("meetings.index",           "GET",  "/sitzungen/",                               302, 200, 200, 200),
    R("meetings.detail",          "GET",  "/sitzungen/{draft_meeting}",                302, 200, 200, 200),
    R("meetings.detail",          "GET",  "/sitzungen/{published_meeting}",            302, 200, 200, 200),
    R("meetings.create",          "GET",  "/sitzungen/neu?gremium={body}",             302, 403, 403, 200),
    R("meetings.create",          "POST", "/sitzungen/neu?gremium={body}",             302, 403, 403, 422),
    R("meetings.edit",            "GET",  "/sitzungen/{draft_meeting}/bearbeiten",     302, 403, 403, 200),
    R("meetings.edit",            "POST", "/sitzungen/{draft_meeting}/bearbeiten",     302, 403, 403, 422),
    R("meetings.edit",            "GET",  "/sitzungen/{published_meeting}/bearbeiten", 302, 403, 403, 403),
    R("meetings.add_item",        "POST", "/sitzungen/{draft_meeting}/top",            302, 403, 403, 303),
    R("meetings.add_item",        "POST", "/sitzungen/{published_meeting}/top",        302, 403, 403, 403),
    R("meetings.edit_item",       "GET",  "/sitzungen/top/{draft_item}/bearbeiten",    302, 403, 403, 200),
    R("meetings.edit_item",       "POST", "/sitzungen/top/{draft_item}/bearbeiten",    302, 403, 403, 422),
    R("meetings.edit_item",       "POST", "/sitzungen/top/{published_item}/bearbeiten", 302, 403, 403, 403),
    R("meetings.move_item",       "POST", "/sitzungen/top/{draft_item}/verschieben",   302, 403, 403, 303),
    R("meetings.delete_item",     "POST", "/sitzungen/top/{draft_item}/loeschen",      302, 403, 403, 303),
    R("meetings.delete_item",     "POST", "/sitzungen/top/{published_item}/loeschen",  302, 403, 403, 403),
    R("meetings.add_decision",    "POST", "/sitzungen/top/{draft_item}/beschluesse",   302, 403, 403, 303),
    R("meetings.delete_decision", "POST", "/sitzungen/beschluesse/{draft_decision}/loeschen", 302, 403, 403, 303),
    R("meetings.edit_decision",   "GET",  "/sitzungen/beschluesse/{draft_decision}/bearbeiten", 302, 403, 403, 200),
    R("meetings.edit_decision",   "POST", "/sitzungen/beschluesse/{draft_decision}/bearbeiten", 302, 403, 403, 422),
    R("meetings.edit_action",     "GET",  "/sitzungen/aufgaben/{draft_action}/bearbeiten", 302, 403, 403, 200),
    R("meetings.edit_action",     "POST", "/sitzungen/aufgaben/{draft_action}/bearbeiten", 302, 403, 403, 422),
    R("meetings.edit_action",     "POST", "/sitzungen/aufgaben/{published_action}/bearbeiten", 302, 403, 403, 403),
    R("meetings.add_action",      "POST", "/sitzungen/top/{draft_item}/aufgaben",      302, 403, 403, 303),
    R("meetings.delete_action",   "POST", "/sitzungen/aufgaben/{draft_action}/loeschen", 302, 403, 403, 303),
    R("meetings.record_attendance", "POST", "/sitzungen/{draft_meeting}/anwesenheit",  302, 403, 403, 303),
    R("meetings.add_guest",       "POST", "/sitzungen/{draft_meeting}/gaeste",         302, 403, 403, 303),
    R("meetings.comment",         "POST", "/sitzungen/{draft_meeting}/anmerkungen",    302, 403, 303, 303),
    R("meetings.comment",         "POST", "/sitzungen/{published_meeting}/anmerkungen", 302, 403, 403, 403),
    R("meetings.publish",         "POST", "/sitzungen/{draft_meeting}/veroeffentlichen", 302, 403, 403, 303),
    R("meetings.correct",         "GET",  "/sitzungen/{published_meeting}/korrektur",  302, 403, 403, 200),
    R("meetings.correct",         "POST", "/sitzungen/{published_meeting}/korrektur",  302, 403, 403, 422),
    R("meetings.correct",         "GET",  "/sitzungen/{draft_meeting}/korrektur",      302, 403, 403, 403),
    R("meetings.revision",        "GET",  "/sitzungen/{published_meeting}/fassungen/1", 302, 200, 200, 200),
    R("meetings.revision",        "GET",  "/sitzungen/{draft_meeting}/fassungen/1",    302, 403, 404, 404),
    R("meetings.print_view",      "GET",  "/sitzungen/{published_meeting}/druck",      302, 200, 200, 200),
    R("meetings.print_view",      "GET",  "/sitzungen/{draft_meeting}/druck",          302, 403, 200, 200),
    R("meetings.pdf_download",    "GET",  "/sitzungen/{published_meeting}/pdf",        302, 200, 200, 200),
    R("meetings.pdf_download",    "GET",  "/sitzungen/{draft_meeting}/pdf",            302, 403, 200, 200),
    R("meetings.ics",             "GET",  "/sitzungen/{draft_meeting}/termin.ics",     302, 200, 200, 200),
    R("registers.actions",        "GET",  "/aufgaben/",                                302, 200, 200, 200),
    R("registers.actions_csv",    "GET",  "/aufgaben.csv",                             302, 200, 200, 200),
    R("registers.tick",           "POST", "/aufgaben/{published_action}/erledigt",     302, 403, 303, 303),
    R("registers.tick",           "POST", "/aufgaben/{draft_action}/erledigt",         302, 404, 403, 303),
    R("registers.decisions",      "GET",  "/beschluesse/",                             302, 200, 200, 200),
    R("registers.decisions_csv",  "GET",  "/beschluesse.csv",                          302, 200, 200, 200),
    R("registers.calendar_page",  "GET",  "/kalender/",                                302, 200, 200, 200),
    R("registers.reset_feed",     "POST", "/kalender/neu",                             302, 303, 303, 303),
    R("registers.feed",           "GET",  "/kalender/{feed}.ics",                      200, 200, 200, 200),
    R("registers.feed",           "GET",  "/kalender/falsch.ics",                      404, 404, 404, 404),
]
