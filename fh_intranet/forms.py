"""Form pieces shared by all areas."""
import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, ValidationError

from .auth.passwords import policy_problems

REQUIRED = _l("Bitte füllen Sie dieses Feld aus.")


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs or a {value: label} mapping."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


class VersionedForm(FlaskForm):
    """Edit forms carry the version they were loaded with, to detect conflicting edits."""

    version = HiddenField()


def new_form_token() -> str:
    return secrets.token_urlsafe(18)


class OnceForm(FlaskForm):
    """Create forms carry a one-time token, so a double submit creates one object
    (pass `form.form_token.data` to `changes.create_once`)."""

    form_token = HiddenField(default=new_form_token)


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
