"""Form pieces shared by all areas."""
import re
import secrets
from datetime import datetime

import wtforms
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, StopValidation, ValidationError
from wtforms.widgets import HiddenInput

from .auth.passwords import policy_problems
from .security import MAX_ID
from .timezones import berlin_to_utc, utc_to_berlin

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")
# The hint of a free text that is shown formatted (Markdown), said without the word "Markdown".
FORMATTED_TEXT_HINT = _l("Stichpunkte genügen. Gestalten mit **fett**, *kursiv* und „- “ am Zeilenanfang für "
                         "Aufzählungen. Keine Daten über Familien oder Kinder eintragen.")
TOO_LONG = _l("Bitte höchstens %(max)d Zeichen.")
EMAIL_INVALID = _l("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.")
EMAIL_MAX = 254  # the longest address SMTP carries (RFC 5321)


LINE_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
# Embeddings, overrides and isolates of the bidirectional algorithm: "Rechnung\u202efdp.exe" reads as
# "Rechnungexe.pdf". Right-to-left names (Arabic, Hebrew) need none of them; the marks (U+200E/F) stay.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def on_one_line(value):
    """A single-line field's value without line breaks: a browser never sends one, a hand-made
    request may, and a title or name goes on into mail headers, calendar lines and CSV cells.
    Without controls that turn the text's order around, either: a name or title read reversed."""
    return BIDI_CONTROLS.sub("", LINE_BREAKS.sub(" ", value)) if isinstance(value, str) else value


class Form(FlaskForm):
    """Every form of the app. Its hidden fields (CSRF token, version, one-time token) carry no id:
    a page often shows several forms, and ids must be unique on a page."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(
                    field_class, (TextAreaField, PasswordField, HiddenField)):
                # first, so that a field's own filters (a strip) see one line
                options["filters"] = (on_one_line, *unbound_field.kwargs.get("filters", ()))
            return unbound_field.bind(form=form, **options)

    def hidden_tag(self, *fields):
        fields = [getattr(self, f) if isinstance(f, str) else f for f in fields] or \
            [f for f in self if isinstance(f.widget, HiddenInput)]
        return Markup("\n".join(str(field(id=False)) for field in fields))

    def scope_ids(self, scope: str) -> "Form":
        """Field ids of a form that can be open beside others of its kind on one page (an agenda
        item's edit form beside another one and the form that adds one): `scope`-name, unique on
        the page, so that each label names its own field. The fields' names stay as they are."""
        for f in self:
            if not isinstance(f.widget, HiddenInput):
                f.id = f.label.field_id = f"{scope}-{f.name}"
        return self


class EmailAddress:
    """An e-mail address of at most EMAIL_MAX characters: WTForms' Email check behind a length check
    that ends the validation chain. email_validator's parser takes time quadratic in its input (half
    a second of CPU for a 1 MB value, which anyone may send to the login or feedback forms), and a
    plain Length check before it would report but not stop."""

    def __init__(self, message=EMAIL_INVALID):
        self.check = Email(message, check_deliverability=False)

    def __call__(self, form, field):
        if field.data and len(field.data) > EMAIL_MAX:
            raise StopValidation(TOO_LONG % {"max": EMAIL_MAX})
        self.check(form, field)


# --- dates ----------------------------------------------------------------------------------------

# The dates a network of today can mean. A typo such as 0001 or 9999 would otherwise reach the
# time-zone arithmetic (which leaves the calendar at its ends), the database and the exports.
FIRST_YEAR, LAST_YEAR = 1900, 2200
DATE_OUT_OF_RANGE = _l("Bitte ein Datum zwischen %(first)d und %(last)d angeben.")


# Sent by static/forms.js in front of a date field's value when the browser holds a half-typed
# date: browsers send such a field empty, and an optional date was saved as none without a word.
# "incomplete:<value>" carries what the field held before the person typed (a stored date).
INCOMPLETE_MARKER = "incomplete"
INCOMPLETE_DATE = _l("Das Datum ist nicht vollständig. Bitte Tag, Monat und Jahr angeben.")
INCOMPLETE_DATE_TIME = _l("Datum und Uhrzeit sind nicht vollständig. Bitte Tag, Monat, Jahr und Uhrzeit angeben.")


def in_date_range(value) -> bool:
    """A date or date and time within FIRST_YEAR … LAST_YEAR (None: nothing given, fine)."""
    return value is None or FIRST_YEAR <= value.year <= LAST_YEAR


def date_range_message() -> str:
    return DATE_OUT_OF_RANGE % {"first": FIRST_YEAR, "last": LAST_YEAR}


class _SensibleDates:
    """The date-range check, built into the date fields below (use them instead of WTForms' own).

    A date outside FIRST_YEAR … LAST_YEAR is read like an unreadable one: no value (None) and the
    range message as the field's error. So a form that only reads `.data` without validating
    (StateChangeForm) never passes such a date on, and a validating form says why it refused it.
    Required date fields take InputRequired: DataRequired would replace the message with its own.
    """

    incomplete_message = INCOMPLETE_DATE

    def process_formdata(self, valuelist):
        if self._held_before_typing() is not None:
            self.data = None
            raise ValueError(str(self.incomplete_message))
        super().process_formdata(valuelist)
        if not in_date_range(self.data):
            self.data = None
            raise ValueError(date_range_message())

    def _held_before_typing(self) -> str | None:
        """With the half-typed marker: what the field held before (a stored date, checked against
        the field's format; "" for none). Without it: None."""
        marker, _colon, before = (self.raw_data[0] if self.raw_data else "").partition(":")
        if marker != INCOMPLETE_MARKER:
            return None
        if not before:
            return ""
        for shown in self.format:
            try:
                datetime.strptime(before, shown)
                return before
            except ValueError:
                continue
        return ""

    def _value(self):
        # A half-typed date comes back as the field was before the typing (the browser never told
        # what was typed): a stored date is not lost by saving the refused form again.
        before = self._held_before_typing()
        return super()._value() if before is None else before


UNREADABLE_DATE = _l("Dieses Datum ist nicht lesbar. Bitte zum Beispiel 15.03.2027 angeben.")
UNREADABLE_DATE_TIME = _l("Datum und Uhrzeit sind nicht lesbar. Bitte zum Beispiel 15.03.2027, 14:00 angeben.")
# Besides the ISO form a date input sends: a day as people write it, where a browser shows a text
# field instead (an old one, some assistive technology). The messages' examples are written so.
TYPED_DAY = ("%d.%m.%Y",)
TYPED_TIME = ("%d.%m.%Y %H:%M", "%d.%m.%Y, %H:%M")


def _with_typed(formats, typed) -> list[str]:
    formats = [formats] if isinstance(formats, str) else list(formats)
    return formats + [shown for shown in typed if shown not in formats]


class DateField(_SensibleDates, wtforms.DateField):
    """wtforms.DateField for dates between FIRST_YEAR and LAST_YEAR."""

    def __init__(self, *args, format="%Y-%m-%d", **kwargs):  # noqa: A002 - WTForms' own keyword
        # WTForms' own says "Kein gültiges Datum." and not what would be one
        kwargs.setdefault("invalid_value_message", UNREADABLE_DATE)
        super().__init__(*args, format=_with_typed(format, TYPED_DAY), **kwargs)


MISSING_HOUR = _l("Diese Uhrzeit gibt es am %(day)s nicht: In der Nacht werden die Uhren von 2 auf 3 Uhr "
                  "vorgestellt. Bitte eine andere Uhrzeit wählen.")


class DateTimeLocalField(_SensibleDates, wtforms.DateTimeLocalField):
    """wtforms.DateTimeLocalField for a Berlin wall-clock time between FIRST_YEAR and LAST_YEAR.

    A time in the hour the clocks skip in spring does not exist: stored, it became an hour later,
    so a meeting from 02:30 to 03:15 ended before it began. It is refused like an unreadable one."""

    incomplete_message = INCOMPLETE_DATE_TIME

    def __init__(self, *args, format="%Y-%m-%dT%H:%M", **kwargs):  # noqa: A002 - WTForms' own keyword
        kwargs.setdefault("invalid_value_message", UNREADABLE_DATE_TIME)
        super().__init__(*args, format=_with_typed(format, TYPED_TIME), **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and utc_to_berlin(berlin_to_utc(self.data)) != self.data:
            day = self.data.strftime("%d.%m.%Y")
            self.data = None
            raise ValueError(MISSING_HOUR % {"day": day})


# --- choices and ids --------------------------------------------------------------------------------

NOT_OFFERED = _l("„%(value)s“ steht nicht zur Auswahl. Bitte aus der Liste wählen.")


class SelectMultipleField(wtforms.SelectMultipleField):
    """wtforms.SelectMultipleField, saying in German when a value is not in the list (WTForms'
    German catalogue lacks that message: the page said "'-3' is not a valid choice for this field")."""

    def __init__(self, *args, invalid_choice_message=NOT_OFFERED, **kwargs):
        super().__init__(*args, invalid_choice_message=invalid_choice_message, **kwargs)


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs or a {value: label} mapping."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


def with_placeholder(pairs) -> list:
    """Options of a required choice, led by an empty "please choose" option, so that nothing is
    chosen by accident and the browser's own check for `required` applies."""
    return [("", _l("– bitte wählen –")), *pairs]


def optional_id(value):
    """coerce= for a choice of a row: its id, or None when nothing is chosen. An id no row can have
    is no choice (ValueError), before it reaches the database as a number it cannot hold."""
    if value in (None, ""):
        return None
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError(value)
    return number


def bounded_version(value):
    """A version the database can compare; a number out of its range counts as none at all (and
    meets the edit conflict that any unreadable version meets)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    return value if 0 <= number <= MAX_ID else ""


class VersionedForm(Form):
    """Edit forms carry the version they were loaded with, to detect conflicting edits."""

    version = HiddenField(filters=[bounded_version])


def new_form_token() -> str:
    return secrets.token_urlsafe(18)


def senders_token(token: str | None) -> str | None:
    """A form token as its sender's: a token someone else came to know finds nothing of theirs."""
    if not token:
        return None
    sender = current_user.id if current_user.is_authenticated else "-"
    return f"{sender}:{token}"


class OnceForm(Form):
    """Create forms carry a one-time token, so a double submit creates one object
    (pass `form.once_token` to `changes.create_once`)."""

    form_token = HiddenField(default=new_form_token)

    @property
    def once_token(self) -> str | None:
        return senders_token(self.form_token.data)


class NewPasswordMixin:
    """`password` + `password_repeat`, checked against the policy; set `owner` before validating."""

    owner = None
    password = PasswordField(_l("Neues Passwort"), validators=[DataRequired(REQUIRED)],
                             render_kw={"autocomplete": "new-password"},
                             description=_l("Mindestens 12 Zeichen. Ein Satz aus mehreren Wörtern ist leicht "
                                            "zu merken und schwer zu erraten."))
    password_repeat = PasswordField(
        _l("Neues Passwort wiederholen"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("Die beiden Passwörter stimmen nicht überein."))],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_password(self, field):
        problems = policy_problems(field.data or "",
                                   email=getattr(self.owner, "email", ""),
                                   name=getattr(self.owner, "name", ""))
        if problems:
            raise ValidationError(" ".join(problems))
