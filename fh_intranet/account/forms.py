from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length, ValidationError

from ..auth.forms import PASSWORD_MAX, TOO_LONG
from ..auth.passwords import verify_password
from ..forms import REQUIRED, Form, NewPasswordMixin


class ChangePasswordForm(NewPasswordMixin, Form):
    """Set `owner` (the person changing their password) before validating."""

    current_password = PasswordField(_l("Bisheriges Passwort"),
                                     validators=[DataRequired(REQUIRED), Length(max=PASSWORD_MAX, message=TOO_LONG)],
                                     render_kw={"autocomplete": "current-password"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page's order: the mixin's fields were made first, and the error summary, which lists
        # the refused fields in the form's order, named „Bisheriges Passwort“ last.
        self._fields = {"current_password": self._fields.pop("current_password"), **self._fields}

    def validate_current_password(self, field):
        if not verify_password(getattr(self.owner, "password_hash", None), field.data or ""):
            raise ValidationError(_l("Das bisherige Passwort stimmt nicht."))
