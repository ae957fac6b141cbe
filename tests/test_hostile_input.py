"""Hostile input never answers 500: every form, every field, every id in a URL, for every role.

The battery collects its forms from the route table and the rendered pages (tests/form_crawl.py
for the POST forms; filter forms and links with a query string from the same pages), so a new
form is covered without new test code. Each form's empty fields are first filled with plausible
values (a title, a date, two topics …), so one odd value at a time reaches the validators and,
when they let it pass, the workflow behind them. Then each field in turn gets, plainly:

- a 1 MB string (which must not be stored), a number ≥ 2^63, the dates 0001-01-01, 9999-12-31,
  31.02.2026 and 2026-02-31 (date and time fields in their own format; a field that holds no date
  gets only the last) and the empty value;
- a NUL byte (refused with 400 before any view), and what fits the field: negative numbers (-1,
  -2^63-1) for numbers, choices and hidden fields; right-to-left and combining characters for
  text; the field left out altogether;

and via htmx the 1 MB string, the empty value and, in date fields, 0001-01-01 (the htmx answers
differ by outcome — form message, conflict, redirect — not by the value). Once per form every field that is not
required is left empty. A date must be refused with a form message, never with 400.

A request that changed data is followed by a look at the page it leads to (a stored odd value
must not break it); then the rows it changed go back to the state the pages were crawled in, so
the crawled form — its version, its one-time token, the objects it names — stays valid for the
next value. Every failure is collected and reported together.
"""
import json
import re
import time
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import peewee
import pytest

from fh_intranet.db import database

from .conftest import csrf_from, submit
from .form_crawl import crawl, endpoint_of
from .html_forms import Form, forms_of
from .route_table import ROUTES
from .snapshot import Snapshot

ROLES = ["anonymous", "partner", "member", "coordinator"]

LONG = ("Sehr langer Text ohne Ende " * 40_000)[:1_000_000]  # 1 MB

# (label, value); None leaves the field out of the request.
EVERY_FIELD = [
    ("1 MB", LONG),
    ("2^63", str(2**63)),
    ("0001-01-01", "0001-01-01"),
    ("9999-12-31", "9999-12-31"),
    ("31.02.2026", "31.02.2026"),
    ("2026-02-31", "2026-02-31"),
    ("empty", ""),
]
ODD_DATES = {"0001-01-01", "9999-12-31", "31.02.2026", "2026-02-31"}
ONE_ODD_DATE = "2026-02-31"
DATE_SHAPED = re.compile(r"\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4}")
VIA_HTMX = {"1 MB", "0001-01-01", "empty"}
# Values that, once stored, could break the pages showing them (an empty value is checked once per
# form, with all optional fields empty).
LOOK_AFTER = {"1 MB", "2^63", "-1", "-2^63-1", "right-to-left", "combining"} | ODD_DATES
NUL = ("NUL", "a\x00b")
ABSENT = ("absent", None)
MORE_FOR_TEXT = [NUL, ("right-to-left", "\u202eabc\u202c \u05e9\u05dc\u05d5\u05dd"),
                 ("combining", "a\u0301\u0301\u0301\u0308\u0308"), ABSENT]
MORE_FOR_NUMBERS = [NUL, ("-1", "-1"), ("-2^63-1", str(-2**63 - 1)), ABSENT]
MORE_FOR_DATES = [NUL, ("-1", "-1"), ABSENT]
TEXT_KINDS = {"text", "textarea", "email", "password", "search", "tel", "url"}
DATE_KINDS = {"date", "datetime-local"}

BAD_IDS = ["0", "-1", str(2**31), str(2**63), str(2**64), "keine-zahl"]

NOT_MUTATED = {"csrf_token"}
# Logging out would end the battery's own session (the copy of the database cannot bring it back).
NOT_SENT = {"auth.logout"}
NOT_FILLED = {"hidden", "submit", "button", "image", "reset", "file", "checkbox", "radio", "password"}


# --- the forms and what the page says about their controls -----------------------------------------

@dataclass
class Control:
    kind: str  # input type, "textarea", "select" or "button"
    required: bool = False
    multiple: bool = False
    options: list[str] = field(default_factory=list)


class _ControlParser(HTMLParser):
    """The controls of each form on a page, in the order forms_of() returns the forms."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Control]] = []
        self.select: Control | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif self.forms and tag in ("input", "textarea", "select", "button") and a.get("name"):
            kind = (a.get("type") or "text").lower() if tag == "input" else tag
            control = self.forms[-1].setdefault(a["name"], Control(kind, "required" in a, "multiple" in a))
            if tag == "select":
                self.select = control
        elif tag == "option" and self.select is not None:
            self.select.options.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href and href.startswith("/") and "?" in href:
            self.links.append(href.split("#")[0])


@dataclass
class Target:
    """A form (or a link with a query string) to feed."""
    page: str
    endpoint: str
    form: Form
    controls: dict[str, Control]


def controls_of(html: str) -> list[dict[str, Control]]:
    parser = _ControlParser()
    parser.feed(html)
    return parser.forms


def targets_of(app, found, pages) -> list[Target]:
    """POST forms from the crawl, GET forms and query-string links from the pages it opened; one
    of each kind (endpoint and field names)."""
    seen, targets = set(), []

    def add(page, endpoint, form, controls):
        key = (form.method, endpoint, frozenset(form.names))
        if endpoint is None or endpoint in NOT_SENT or key in seen:
            return
        seen.add(key)
        targets.append(Target(page, endpoint, form, controls))

    for _role, url, endpoint, form in found:
        html = pages.get(url, "")
        index = forms_of(html, url).index(form) if form in forms_of(html, url) else None
        controls = controls_of(html)
        add(url, endpoint, form, controls[index] if index is not None and index < len(controls) else {})
    for url, html in pages.items():
        for form, controls in zip(forms_of(html, url), controls_of(html), strict=True):
            if form.method == "GET":
                add(url, endpoint_of(app, form.action, "GET"), form, controls)
        links = _LinkParser()
        links.feed(html)
        for link in links.links:
            path, _, query = link.partition("?")
            params = parse_qsl(query, keep_blank_values=True)
            form = Form(action=path, method="GET", fields=params, names={name for name, _ in params})
            add(url, endpoint_of(app, path, "GET"), form, {name: Control("hidden") for name in form.names})
    return targets


def filler(name: str, control: Control) -> str | None:
    """A plausible value for a field the page left empty."""
    if control.kind == "email":
        return "pruefung@example.org"
    if control.kind == "date":
        return "2027-03-01"
    if control.kind == "datetime-local":
        return "2027-03-01T12:00" if any(word in name for word in ("end", "close")) else "2027-03-01T10:00"
    if control.kind == "number":
        return "3"
    if control.kind in TEXT_KINDS - {"password"}:
        return "Prüftext"
    return None


def base_data(target: Target) -> dict[str, list[str]]:
    """What a person would send: the page's values, empty fields filled plausibly."""
    data = target.form.data()
    if target.form.method == "GET":
        return data
    for name, control in target.controls.items():
        if control.kind in NOT_FILLED or name in NOT_MUTATED or any(v.strip() for v in data.get(name, [])):
            continue
        if control.kind == "select":
            options = [option for option in control.options if option]
            if control.multiple:
                data[name] = options[:2]
            elif control.required and options:
                data[name] = options[:1]
            continue
        value = filler(name, control)
        if value is not None:
            data[name] = [value]
    return data


def optional_empty(target: Target, base):
    """The base with every field that is not required left empty (unticked boxes are not sent)."""
    optional = [name for name, control in target.controls.items()
                if name not in NOT_MUTATED and not control.required
                and control.kind not in ("hidden", "submit", "button", "file")]
    if not optional or target.form.method == "GET":
        return None
    data = {name: values for name, values in base.items() if name not in optional}
    for name in optional:
        control = target.controls[name]
        if control.kind == "select" and "" not in control.options:
            if name in base:
                data[name] = base[name]  # a choice without an empty option cannot be left empty
        elif control.kind not in ("checkbox", "radio"):
            data[name] = [""]
    return data


def values_for(control: Control | None, htmx: bool, filled: str | None):
    kind = control.kind if control is not None else "text"
    more = MORE_FOR_TEXT if kind in TEXT_KINDS else MORE_FOR_DATES if kind in DATE_KINDS else MORE_FOR_NUMBERS
    # To a field that holds no date (a title, a choice, a number) the odd dates are four strings
    # that fail or pass alike: one of them is sent, all four to fields that hold a date.
    dated = kind in DATE_KINDS or bool(filled and DATE_SHAPED.match(filled))
    for label, value in EVERY_FIELD + more:
        if htmx and (label not in VIA_HTMX or label in ODD_DATES and kind not in DATE_KINDS):
            continue
        if label in ODD_DATES and not dated and label != ONE_ODD_DATE:
            continue
        if label in ODD_DATES and kind == "datetime-local":
            # In the field's own format, so the date reaches the range check; at the edges of the day,
            # where converting Berlin time to UTC leaves the calendar.
            value += "T23:59" if label.startswith("9999") else "T00:00"
        yield label, value


# --- sending and judging ----------------------------------------------------------------------------

def describe(error: BaseException) -> str:
    """The exception and the innermost line of the app that it passed through."""
    frames = traceback.extract_tb(error.__traceback__)
    frame = ([f for f in frames if "/fh_intranet/" in f.filename] or frames)[-1]
    where = f"fh_intranet/{frame.filename.split('/fh_intranet/')[-1]}:{frame.lineno} ({frame.line})"
    return f"{type(error).__name__}: {str(error)[:160]} at {where}"


def redirect_target(response) -> str | None:
    location = response.headers.get("Location") or response.headers.get("HX-Location")
    if location and location.startswith("{"):
        location = json.loads(location).get("path")
    if not location:
        return None
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Battery:
    def __init__(self, app, role):
        self.app, self.role = app, role
        self.failures: list[str] = []
        self.requests = 0
        self.snapshot: Snapshot | None = None
        self.last_change = "(none)"

    def send(self, client, method, url, data, htmx, what):
        """One request; a 5xx or an exception is a failure. Returns the response (None: exception)."""
        headers = {"HX-Request": "true"} if htmx else {}
        self.requests += 1
        try:
            if method == "GET":
                response = client.get(url, query_string=data, headers=headers)
            else:
                response = client.post(url, data=data, headers=headers)
        except Exception as error:  # noqa: BLE001 — in testing mode the app raises; we collect
            self.failures.append(f"{what} → {describe(error)}")
            self._close_after_error()
            return None
        if response.status_code >= 500:
            self.failures.append(f"{what} → {response.status_code}")
        if self.role != "anonymous" and response.status_code == 302 \
                and urlsplit(response.headers.get("Location", "")).path == "/anmelden":
            self.failures.append(f"{what} → the battery's session ended; last change before: {self.last_change}")
            self.report()
        if response.status_code < 400:
            self.last_change = what
        return response

    def after(self, client, response, page, what, look=True):
        """After a request that may have changed data: the page it leads to (or came from) still
        opens, so a stored odd value breaks nothing; then the database goes back to the crawl."""
        if response is not None and response.status_code >= 400:
            return
        target = redirect_target(response) if response is not None else None
        if look and (target or page):
            self.requests += 1
            try:
                shown = client.get(target or page)
            except Exception as error:  # noqa: BLE001
                self.failures.append(f"{what}, then GET {target or page} → {describe(error)}")
                self._close_after_error()
            else:
                if shown.status_code >= 500 or shown.status_code == 400:
                    self.failures.append(f"{what}, then GET {target or page} → {shown.status_code}")
        self.snapshot.restore_if_changed()

    @staticmethod
    def _close_after_error():
        # A request that raised may leave its transaction behind (PostgreSQL: aborted).
        try:
            if not database.is_closed():
                database.rollback()
                database.close()
        except peewee.PeeweeException:
            pass

    def report(self):
        shown = "\n".join(self.failures[:300])
        more = f"\n… and {len(self.failures) - 300} more" if len(self.failures) > 300 else ""
        assert not self.failures, f"{len(self.failures)} of {self.requests} requests failed:\n{shown}{more}"


class RecordingClient:
    """The role's client for the crawl; remembers each page's HTML (for the controls' types)."""

    def __init__(self, client, pages):
        self.client, self.pages = client, pages

    def get(self, url, **kwargs):
        response = self.client.get(url, **kwargs)
        if response.status_code == 200 and response.content_type.startswith("text/html"):
            self.pages[url] = response.get_data(as_text=True)
        return response


def client_for(app, client_as, role):
    return app.test_client() if role == "anonymous" else client_as(role)


# --- the tests ----------------------------------------------------------------------------------------

@pytest.fixture
def production_csrf(app):
    # Odd input must reach the validators past the CSRF check, as in production.
    app.config["WTF_CSRF_ENABLED"] = True


@pytest.mark.parametrize("role", ROLES)
def test_every_form_field_survives_hostile_values(app, production_csrf, client_as, route_objects, role):
    started = time.monotonic()
    client = client_for(app, client_as, role)
    pages: dict[str, str] = {}
    found = crawl(app, lambda _role: RecordingClient(client, pages), route_objects, roles=(role,))
    targets = targets_of(app, found, pages)
    battery = Battery(app, role)
    battery.snapshot = Snapshot()

    fields = 0
    for target in targets:
        form, post = target.form, target.form.method == "POST"
        base = base_data(target)
        names = sorted(name for name in form.names - NOT_MUTATED
                       if target.controls.get(name, Control("text")).kind != "file")
        fields += len(names)
        for htmx in (False, True):
            mode = "htmx" if htmx else "plain"
            prefix = f"{role} {mode} {form.method} {form.action} ({target.endpoint})"
            data = optional_empty(target, base)
            if data is not None:
                what = f"{prefix} with the optional fields empty"
                battery.after(client, battery.send(client, "POST", form.action, data, htmx, what), target.page, what,
                              look=not htmx)
            for name in names:
                control = target.controls.get(name)
                for label, value in values_for(control, htmx, (base.get(name) or [None])[0]):
                    data = {key: values for key, values in base.items() if key != name}
                    if value is not None:
                        data[name] = [value]
                    what = f"{prefix} {name}={label}"
                    response = battery.send(client, form.method, form.action, data, htmx, what)
                    if response is None:
                        continue
                    if label == "NUL" and response.status_code != 400:
                        battery.failures.append(f"{what} → {response.status_code} (expected 400)")
                    if label in ODD_DATES and control is not None and control.kind in DATE_KINDS \
                            and response.status_code == 400:
                        battery.failures.append(f"{what} → 400 (expected a form message)")
                    if label == "1 MB" and post and response.status_code < 400:
                        stored = battery.snapshot.long_texts(len(LONG) // 2)
                        if stored:
                            battery.failures.append(f"{what} → {response.status_code}, stored in {', '.join(stored)}")
                    if post:
                        battery.after(client, response, target.page, what, look=not htmx and label in LOOK_AFTER)
    print(f"\n{role}: {sum(t.form.method == 'POST' for t in targets)} forms, "
          f"{sum(t.form.method == 'GET' for t in targets)} filters and links, {fields} fields, "
          f"{battery.requests} requests, {battery.snapshot.restores} restores, {time.monotonic() - started:.0f} s")
    if role != "anonymous":
        assert any(t.form.method == "POST" for t in targets), f"the crawl found no forms for {role}"
    battery.report()


def id_urls(objects) -> list[str]:
    """Each route with an id, each id in turn (placeholders and literal numbers) replaced by odd ones."""
    urls = set()
    for route in ROUTES:
        if route.endpoint == "static":
            continue
        names = {piece.split("}")[0] for piece in route.url.split("{")[1:]}
        for name in names:
            urls.update(route.url.format(**{**objects, name: bad}) for bad in BAD_IDS)
        parts = route.url.split("/")
        for index, part in enumerate(parts):
            if part.isdigit():
                urls.update("/".join(parts[:index] + [bad] + parts[index + 1:]).format(**objects) for bad in BAD_IDS)
    return sorted(urls)


@pytest.mark.parametrize("role", ROLES)
def test_every_id_route_survives_odd_ids(app, production_csrf, client_as, route_objects, role):
    started = time.monotonic()
    client = client_for(app, client_as, role)
    token = csrf_from(client.get("/anmelden" if role == "anonymous" else "/konto/").get_data(as_text=True))
    battery = Battery(app, role)
    battery.snapshot = Snapshot()
    urls = id_urls(route_objects)
    assert len(urls) > 100, "the route table names ids"
    refusal_seen_via_htmx = False
    for url in urls:
        for method in ("GET", "POST"):
            for htmx in (False, True):
                what = f"{role} {'htmx' if htmx else 'plain'} {method} {url}"
                response = battery.send(client, method, url, {"csrf_token": token} if method == "POST" else None,
                                        htmx, what)
                if method == "POST":
                    battery.after(client, response, None, what, look=False)
                # An id refused as not found (or a method the route lacks) is refused the same way via
                # htmx: one such htmx answer per role is enough.
                if not htmx and response is not None and response.status_code in (404, 405):
                    if refusal_seen_via_htmx:
                        break
                    refusal_seen_via_htmx = True
    print(f"\n{role}: {len(urls)} urls, {battery.requests} requests, {battery.snapshot.restores} restores, "
          f"{time.monotonic() - started:.0f} s")
    battery.report()


# --- what the battery found, one by one ---------------------------------------------------------------

def _form(client, page, action=None):
    from .html_forms import form_posting_to

    return form_posting_to(client.get(page).get_data(as_text=True), action or page.split("#")[0], page)


RANGE_MESSAGE = "Bitte ein Datum zwischen 1900 und 2200 angeben."


@pytest.mark.parametrize("starts, ends", [("0001-01-01T00:00", "2027-03-01T12:00"),
                                          ("2027-03-01T10:00", "9999-12-31T23:59"),
                                          ("1899-12-31T23:00", "1900-01-01T01:00")])
def test_a_meeting_outside_the_years_forms_accept_gets_a_form_message(client_as, body, starts, ends):
    from fh_intranet.meetings.models import Meeting

    client = client_as("coordinator")
    page = f"/sitzungen/neu?gremium={body.id}"
    response = client.post(page, data=_form(client, page).data(title="Zeitreise", starts_at=starts, ends_at=ends))
    assert response.status_code == 422
    assert RANGE_MESSAGE in response.get_data(as_text=True)
    assert not Meeting.select().where(Meeting.title == "Zeitreise").exists()


def test_a_time_the_spring_clock_change_skips_is_refused_and_the_autumn_hour_kept(client_as, body):
    """02:30 on the last Sunday of March does not exist in Berlin: stored it became 03:30, and a
    meeting from 02:30 to 03:15 ended before it began. 02:30 in October exists (twice): kept."""
    from fh_intranet.meetings.models import Meeting

    client = client_as("coordinator")
    page = f"/sitzungen/neu?gremium={body.id}"
    refused = client.post(page, data=_form(client, page).data(
        title="Zeitumstellung", starts_at="2027-03-28T02:30", ends_at="2027-03-28T03:15"))
    assert refused.status_code == 422
    assert "Diese Uhrzeit gibt es am 28.03.2027 nicht" in refused.get_data(as_text=True)
    assert not Meeting.select().where(Meeting.title == "Zeitumstellung").exists()
    kept = client.post(page, data=_form(client, page).data(
        title="Herbstnacht", starts_at="2027-10-31T02:30", ends_at="2027-10-31T03:15"))
    assert kept.status_code == 303
    meeting = Meeting.get(Meeting.title == "Herbstnacht")
    assert meeting.starts_at < meeting.ends_at


def test_dates_at_the_edges_of_the_accepted_years_are_kept(client_as, body):
    from fh_intranet.meetings.models import Meeting

    client = client_as("coordinator")
    page = f"/sitzungen/neu?gremium={body.id}"
    response = client.post(page, data=_form(client, page).data(
        title="Am Rand", starts_at="2200-12-31T10:00", ends_at="2200-12-31T12:00"))
    assert response.status_code == 303
    assert Meeting.get(Meeting.title == "Am Rand").starts_at.year == 2200


# Every date field, with the one the tests below fill in (the others as a form would have them).
DATE_FIELDS = [
    ("/abstimmungen/neu", None, "opens_at", {"title": "Runde", "topics": ["{topic}", "{other_topic}"],
                                             "opens_at": "0001-01-01T00:00", "closes_at": "2027-01-20T18:00"}),
    ("/sitzungen/aufgaben/{draft_action}/bearbeiten", None, "due_on", {"due_on": "9999-12-31"}),
    ("/vereinbarungen/{draft}/angaben", None, "review_by", {"review_by": "0001-01-01"}),
    ("/vereinbarungen/{adopted}", "/vereinbarungen/{adopted}/unterschriften", "signed_on",
     {"organisation": "{organisation}", "signer_name": "Dr. Vera Brandt", "signed_on": "9999-12-31"}),
    ("/angebote/{own_offering}/bearbeiten", None, "valid_until", {"valid_until": "9999-12-31"}),
    ("/angebote/runden/", None, "deadline", {"title": "Runde", "deadline": "0001-01-01"}),
]


def _post_date_form(client_as, route_objects, page, action, values):
    client = client_as("coordinator")
    page, action = page.format(**route_objects), (action or page).format(**route_objects)
    filled = {name: [v.format(**route_objects) for v in value] if isinstance(value, list) else value.format(**route_objects)
              for name, value in values.items()}
    return client.post(action, data=_form(client, page, action).data(**filled))


def test_every_date_field_of_every_form_is_one_of_ours(app):
    """The range check and the refusal of a half-typed date live in forms.DateField and
    forms.DateTimeLocalField; WTForms' own would let both through."""
    import wtforms
    from wtforms.fields.core import UnboundField

    from fh_intranet import forms

    def every_form(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every_form(sub)

    date_fields = {}
    for form in every_form(wtforms.Form):
        if not form.__module__.startswith("fh_intranet."):
            continue
        for name in dir(form):
            unbound = getattr(form, name, None)
            if isinstance(unbound, UnboundField) and issubclass(unbound.field_class, (wtforms.DateField,
                                                                                      wtforms.DateTimeField)):
                date_fields[f"{form.__module__}.{form.__name__}.{name}"] = unbound.field_class
    assert len(date_fields) >= 13, sorted(date_fields)
    assert {name for name, field_class in date_fields.items()
            if field_class not in (forms.DateField, forms.DateTimeLocalField)} == set()


@pytest.mark.parametrize("page, action, date_field, values", DATE_FIELDS)
def test_every_date_field_refuses_years_outside_the_range(client_as, route_objects, page, action, date_field, values):
    response = _post_date_form(client_as, route_objects, page, action, values)
    assert response.status_code == 422
    assert RANGE_MESSAGE in response.get_data(as_text=True)


@pytest.mark.parametrize("page, action, date_field, values", DATE_FIELDS)
def test_every_date_field_refuses_a_half_typed_date(client_as, route_objects, page, action, date_field, values):
    """A browser sends a half-typed date as empty; static/forms.js sends its marker in front of it
    (the browser test: test_browser_dates). Refused with a message, never saved as no date."""
    timed = date_field == "opens_at"
    expected = ("Datum und Uhrzeit sind nicht vollständig." if timed
                else "Das Datum ist nicht vollständig. Bitte Tag, Monat und Jahr angeben.")
    before = "2027-03-04T10:00" if timed else "2027-03-04"
    # what the field held before the typing comes back (a stored date is not lost by saving again);
    # nothing comes back when it held nothing, or something no date field could have held
    for marker, shown in ((f"incomplete:{before}", f'value="{before}"'), ("incomplete", 'value=""'),
                          ('incomplete:"><b>2027', 'value=""')):
        response = _post_date_form(client_as, route_objects, page, action, {**values, date_field: [marker, ""]})
        assert response.status_code == 422
        text = response.get_data(as_text=True)
        assert expected in text
        field = re.search(rf'<input[^>]*name="{date_field}"[^>]*>', text).group()
        assert shown in field, (marker, field)
        assert "incomplete" not in field and "<b>" not in text


@pytest.mark.parametrize("page, action, date_field, values", DATE_FIELDS)
def test_every_date_field_says_what_a_date_looks_like(client_as, route_objects, page, action, date_field, values):
    """WTForms' own „Kein gültiges Datum mit Zeit.“ did not say what would be one."""
    response = _post_date_form(client_as, route_objects, page, action, {**values, date_field: "nächsten Dienstag"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    message = text[text.index(f'{date_field}-error"'):]  # the id may carry its form's scope (top-3-edit-…)
    message = message[:message.index("</p>")]
    assert "zum Beispiel 15.03.2027" in message, message
    # and the example itself is read (typed where a browser shows a text field)
    example = "15.03.2027, 14:00" if "14:00" in message else "15.03.2027"
    text = _post_date_form(client_as, route_objects, page, action, {**values, date_field: example}).get_data(as_text=True)
    assert f'{date_field}-error"' not in text, example


def test_a_consultation_deadline_outside_the_range_is_refused_like_a_missing_one(client_as, route_objects):
    from fh_intranet.agreements.models import Agreement

    client = client_as("coordinator")
    page = f"/vereinbarungen/{route_objects['draft']}"
    state_forms = [form for form in forms_of(client.get(page).get_data(as_text=True), page)
                   if form.action.endswith("/status") and "deadline" in form.names]
    assert state_forms, "the draft offers to open the consultation"
    response = client.post(state_forms[0].action, data=state_forms[0].data(deadline="0001-01-01T00:00"))
    assert response.status_code == 409
    assert Agreement.get_by_id(route_objects["draft"]).state == "draft"


def test_a_correction_cannot_publish_longer_texts_than_the_edit_forms_allow(client_as, meetings):
    from fh_intranet.meetings.models import AgendaItem, Decision, MinutesRevision

    client = client_as("coordinator")
    meeting, item = meetings["published"], meetings["published_item"]
    decision = Decision.get(Decision.meeting == meeting)
    page = f"/sitzungen/{meeting.id}/korrektur"
    revisions = MinutesRevision.select().where(MinutesRevision.meeting == meeting).count()
    for values, message in (({f"notes-{item.id}": "x" * 50_001, "reason": "Tippfehler"},
                             "Die Notizen eines Tagesordnungspunkts sind zu lang"),
                            ({f"decision-{decision.id}": "x" * 2001, "reason": "Tippfehler"},
                             "Ein Beschluss ist zu lang"),
                            ({"reason": "x" * 2001}, "Bitte höchstens 2000 Zeichen.")):
        response = client.post(page, data=_form(client, page).data(**values))
        assert response.status_code == 422, values.keys()
        assert message in response.get_data(as_text=True)
    assert MinutesRevision.select().where(MinutesRevision.meeting == meeting).count() == revisions
    assert len(AgendaItem.get_by_id(item.id).notes) < 50_001
    response = client.post(page, data=_form(client, page).data(
        **{f"notes-{item.id}": "y" * 50_000, "reason": "Ergänzt"}))
    assert response.status_code == 303, "texts as long as the edit forms allow are fine"


def test_an_invitation_without_the_optional_function_is_sent(client_as):
    from fh_intranet.people.models import Person

    client = client_as("coordinator")
    data = _form(client, "/personen/einladen").data(name="Ohne Funktion", email="ohne.funktion@example.org",
                                                    role="partner")
    del data["function"]
    assert client.post("/personen/einladen", data=data).status_code == 303
    assert Person.get(Person.email == "ohne.funktion@example.org").function == ""


@pytest.mark.parametrize("version", [str(2**31), str(2**63), str(2**64), str(-2**63 - 1)])
def test_a_version_beyond_what_the_database_holds_meets_the_edit_conflict(client_as, route_objects, version):
    client = client_as("coordinator")
    page = f"/gremien/{route_objects['body']}/bearbeiten"
    response = client.post(page, data=_form(client, page).data(name="Neuer Name", version=version))
    assert response.status_code == 409


def test_a_successor_id_beyond_what_the_database_holds_is_no_choice(client_as, route_objects):
    """The successor is optional: an id no row can have counts as none given."""
    from fh_intranet.agreements.models import Agreement

    client = client_as("coordinator")
    page = f"/vereinbarungen/{route_objects['adopted']}"
    forms = [form for form in forms_of(client.get(page).get_data(as_text=True), page)
             if form.action.endswith("/status") and "superseded_by" in form.names]
    assert forms, "an adopted agreement can be marked as superseded"
    asked = client.post(forms[0].action, data=forms[0].data(superseded_by=str(2**63)))
    assert asked.status_code == 200 and "Es wird keine Nachfolgerin im Intranet genannt." in asked.get_data(as_text=True)
    response = client.post(forms[0].action, data=forms[0].data(superseded_by=str(2**63), bestaetigt="1"))
    assert response.status_code == 303
    agreement = Agreement.get_by_id(route_objects["adopted"])
    assert agreement.state == "superseded" and agreement.superseded_by is None


@pytest.mark.parametrize("page", ["/passwort-vergessen", "/barrierefreiheit/"])
def test_an_overlong_address_is_refused_before_the_address_parser_reads_it(client, page):
    """The address parser's time grows with the square of its input; a value longer than any address
    is refused by its length alone (the chain stops: no 'not a valid address' beside it)."""
    response = submit(client, page, {"email": "a" * 300_000 + "@example.org", "message": "Hallo"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bitte höchstens 254 Zeichen." in text
    assert "gültige E-Mail-Adresse" not in text


@pytest.mark.parametrize("value", ["-3", "99999999999999999999999", "0"])
def test_a_topic_the_round_form_does_not_offer_gets_a_german_message(client_as, topics, value):
    """Was: English ("'-3' is not a valid choice for this field"), and a 23-digit id a 404 on SQLite."""
    from fh_intranet.topics.models import VotingRound

    client = client_as("coordinator")
    response = client.post("/abstimmungen/neu", data=_form(client, "/abstimmungen/neu").data(
        title="Fremde Themen", topics=[value, str(topics[0].id)]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "steht nicht zur Auswahl. Bitte aus der Liste wählen." in html
    assert "valid choice" not in html
    assert not VotingRound.select().where(VotingRound.title == "Fremde Themen").exists()


def test_single_line_fields_keep_no_line_breaks_from_a_hand_made_request(client_as):
    """A browser sends none; a crafted request did, and a title went on into mail subjects, calendar
    lines and CSV cells with its line break. Multi-line fields keep theirs."""
    from fh_intranet.topics.models import Topic

    client = client_as("member")
    response = client.post("/themen/neu", data=_form(client, "/themen/neu").data(
        title="Erste Zeile\r\nBcc: alle@example.org\u2028Ende", description="Absatz eins\r\n\r\nAbsatz zwei"))
    assert response.status_code == 303
    topic = Topic.select().order_by(Topic.id.desc()).first()
    assert topic.title == "Erste Zeile Bcc: alle@example.org Ende"
    assert topic.description.replace("\r\n", "\n") == "Absatz eins\n\nAbsatz zwei"
    # nor controls that turn the order of the text around ("Protokoll\u202efdp.exe" read "…exe.pdf")
    client.post("/themen/neu", data=_form(client, "/themen/neu").data(
        title="Protokoll\u202efdp.exe \u2067ملف\u2069 \u200fשלום", description="x"))
    topic = Topic.select().order_by(Topic.id.desc()).first()
    assert topic.title == "Protokollfdp.exe ملف \u200fשלום", "right-to-left names and marks stay"
