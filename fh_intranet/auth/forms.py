from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..forms import EMAIL_MAX, REQUIRED, EmailAddress, Form, NewPasswordMixin

TOO_LONG = _l("Bitte geben Sie höchstens %(max)d Zeichen ein.")
# Longer input cannot be a password of ours; refusing it early bounds the work.
PASSWORD_MAX = 1024


class LoginForm(Form):
    # A text field that asks for the e-mail keyboard: "username" is what password managers look for,
    # and HTML_CodeSniffer (like older browsers) allows it on text fields only.
    email = StringField(_l("E-Mail-Adresse"),
                        validators=[DataRequired(REQUIRED), Length(max=EMAIL_MAX, message=TOO_LONG)],
                        render_kw={"autocomplete": "username", "inputmode": "email", "spellcheck": "false",
                                   "autocapitalize": "none", "maxlength": EMAIL_MAX})
    password = PasswordField(_l("Passwort"),
                             validators=[DataRequired(REQUIRED), Length(max=PASSWORD_MAX, message=TOO_LONG)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Angemeldet bleiben (14 Tage, nur auf einem persönlichen Gerät)"))
    next = HiddenField()


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-Mail-Adresse"),
                       validators=[DataRequired(REQUIRED), EmailAddress()],
                       render_kw={"autocomplete": "email", "maxlength": EMAIL_MAX})


class SetPasswordForm(NewPasswordMixin, Form):
    pass
