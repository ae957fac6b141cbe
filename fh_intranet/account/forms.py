from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired

from ..forms import REQUIRED, NewPasswordMixin


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(_l("Bisheriges Passwort"), validators=[DataRequired(REQUIRED)],
                                     render_kw={"autocomplete": "current-password"})
