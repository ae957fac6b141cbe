"""In Debian's Chromium: a half-typed date is refused with a message, not saved as no date.

The browser sends a date field that holds "12" of "12.03.2026" as empty, like a field left empty;
static/forms.js sends a marker in front of it, and the form refuses it like any other mistake.
"""
from datetime import date

import pytest

from fh_intranet.meetings.models import ActionItem, AgendaItem, Meeting
from fh_intranet.people.models import Organisation

from .browser_helpers import assert_no_reload, axe_violations, hidden_suffix, log_in, wait_until

pytestmark = pytest.mark.browser


def half_type(field):
    field.click()
    field.press_sequentially("12")  # a day or month, no year
    assert field.evaluate("input => input.validity.badInput"), "the browser holds a half-typed date"


def test_a_half_typed_date_on_a_page_form_is_refused_and_a_whole_one_saved(page, demo_data):
    organisation = Organisation.select().order_by(Organisation.id).first()
    joined = organisation.joined_on
    log_in(page, "coordinator")
    page.goto(f"/organisationen/{organisation.id}/bearbeiten")
    page.get_by_label("Im Netzwerk seit").fill("")  # to be typed anew
    half_type(page.get_by_label("Im Netzwerk seit"))
    page.get_by_role("button", name="Speichern").click()
    page.get_by_text("Das Datum ist nicht vollständig. Bitte Tag, Monat und Jahr angeben.").wait_for()
    assert page.get_by_label("Im Netzwerk seit").get_attribute("aria-invalid") == "true"
    assert Organisation.get_by_id(organisation.id).joined_on == joined
    assert not axe_violations(page)
    # The field holds the stored date again: saving the refused form once more loses nothing.
    assert page.get_by_label("Im Netzwerk seit").input_value() == (joined.isoformat() if joined else "")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/organisationen/{organisation.id}")
    assert Organisation.get_by_id(organisation.id).joined_on == joined
    page.goto(f"/organisationen/{organisation.id}/bearbeiten")
    page.get_by_label("Im Netzwerk seit").fill("2024-03-12")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"**/organisationen/{organisation.id}")
    assert Organisation.get_by_id(organisation.id).joined_on == date(2024, 3, 12)


def test_each_half_typed_date_of_a_form_is_marked(page, demo_data):
    organisation = Organisation.select().order_by(Organisation.id).first()
    log_in(page, "coordinator")
    page.goto(f"/organisationen/{organisation.id}/bearbeiten")
    for label in ("Im Netzwerk seit", "Ausgeschieden am"):
        page.get_by_label(label).fill("")
        half_type(page.get_by_label(label))
    page.get_by_role("button", name="Speichern").click()
    page.locator("#joined_on-error").wait_for()
    for label in ("Im Netzwerk seit", "Ausgeschieden am"):
        assert page.get_by_label(label).get_attribute("aria-invalid") == "true", label
    assert page.locator(".kern-error", has_text="Das Datum ist nicht vollständig").count() == 2
    assert page.locator("input[data-incomplete-marker]").count() == 0  # a new form, no markers left


def test_a_half_typed_time_in_a_form_with_a_field_named_method_is_marked(page, demo_data):
    """The round form has a field "method" (the voting method), which hides the form's own
    `method` property from scripts."""
    log_in(page, "coordinator")
    page.goto("/abstimmungen/neu")
    half_type(page.get_by_label("Beginn"))
    page.get_by_role("button", name="Abstimmung anlegen").last.click()
    page.locator("#opens_at-error", has_text="Datum und Uhrzeit sind nicht vollständig.").wait_for()
    assert page.get_by_label("Beginn").get_attribute("aria-invalid") == "true"


def test_a_half_typed_due_date_in_the_agenda_is_refused_in_place(page, demo_data):
    item = (AgendaItem.select().join(Meeting).where(Meeting.state == "draft").order_by(AgendaItem.id).first())
    log_in(page, "coordinator")
    page.goto(f"/sitzungen/{item.meeting_id}")
    still_same_page = assert_no_reload(page)
    number = AgendaItem.select().where(AgendaItem.meeting == item.meeting_id, AgendaItem.position <= item.position).count()
    page.get_by_text(f"Beschluss oder Aufgabe hinzufügen: TOP {number}").click()
    form = page.locator(f"#top-{item.id}").locator("form", has=page.get_by_role("button", name="Aufgabe hinzufügen"))
    form.get_by_label("Aufgabe (Pflichtfeld)", exact=True).fill("Raum reservieren")
    form.get_by_label("Wer").select_option(label="Katrin Albers")
    half_type(form.get_by_label("Bis"))
    form.get_by_role("button", name="Aufgabe hinzufügen").click()
    error = page.locator(f"#action-{item.id}-due_on-error")
    error.get_by_text("Das Datum ist nicht vollständig. Bitte Tag, Monat und Jahr angeben.").wait_for()
    assert not ActionItem.select().where(ActionItem.what == "Raum reservieren").exists()
    # what could be kept is kept: the task's text; the date is empty, as the browser never sent it
    form = page.locator(f"#top-{item.id}").locator("form", has=page.get_by_role("button", name="Aufgabe hinzufügen"))
    assert form.get_by_label("Aufgabe (Pflichtfeld)", exact=True).input_value() == "Raum reservieren"
    assert form.get_by_label("Wer").locator("option:checked").inner_text() == "Katrin Albers"
    assert form.get_by_label("Bis").input_value() == ""
    assert form.get_by_label("Bis").get_attribute("aria-describedby") == f"action-{item.id}-due_on-error"
    assert form.get_by_label("Bis").get_attribute("aria-invalid") == "true"
    # the message stands beside the field, and the field has the focus
    assert form.locator(f"#action-{item.id}-due_on-error").count() == 1
    assert page.evaluate("document.activeElement.id") == f"due-{item.id}"
    assert not axe_violations(page)
    form.get_by_label("Bis").fill("2027-01-15")
    form.get_by_role("button", name="Aufgabe hinzufügen").click()
    page.get_by_role("button", name=hidden_suffix("Als erledigt abhaken", "Raum reservieren")).wait_for()
    assert ActionItem.get(ActionItem.what == "Raum reservieren").due_on == date(2027, 1, 15)
    assert still_same_page()


def test_a_half_typed_day_in_the_logs_filter_is_named_not_dropped(page, demo_data):
    """A GET filter: sent empty, the period was dropped and every change listed without a word."""
    log_in(page, "coordinator")
    page.goto("/protokoll/?von=2026-01-01")
    page.get_by_label("von (Datum)").fill("")  # to be typed anew
    half_type(page.get_by_label("von (Datum)"))
    page.get_by_role("button", name="Filtern").click()
    page.locator("#von-error", has_text="Das Datum ist nicht vollständig.").wait_for()
    assert page.get_by_label("von (Datum)").get_attribute("aria-invalid") == "true"
    # the refusal takes the focus, as on every refused form (on a phone the field is below the fold)
    wait_until(page, "document.activeElement.classList.contains('form-errors')")
    # the field holds the period asked for before, to be corrected rather than typed anew
    assert page.get_by_label("von (Datum)").input_value() == "2026-01-01"
    assert not axe_violations(page)
    page.get_by_label("von (Datum)").fill("2026-02-01")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**/protokoll/?*von=2026-02-01*")
    assert page.locator("#von-error").count() == 0
    assert page.get_by_label("von (Datum)").get_attribute("aria-invalid") is None
