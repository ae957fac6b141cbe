from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Email

from ..forms import REQUIRED, NewPasswordMixin

EMAIL_INVALID = _l("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.")


class LoginForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(REQUIRED)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Passwort"), validators=[DataRequired(REQUIRED)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Angemeldet bleiben (14 Tage, nur auf einem persönlichen Gerät)"))
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"),
                       validators=[DataRequired(REQUIRED), Email(EMAIL_INVALID, check_deliverability=False)],
                       render_kw={"autocomplete": "email"})


class SetPasswordForm(NewPasswordMixin, FlaskForm):
    pass
