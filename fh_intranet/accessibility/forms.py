from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import REQUIRED, TOO_LONG, EmailAddress, OnceForm


class FeedbackForm(OnceForm):
    message = TextAreaField(_l("Welche Barriere ist Ihnen begegnet?"),
                            validators=[DataRequired(REQUIRED), Length(max=5000, message=TOO_LONG)])
    page = StringField(_l("Auf welcher Seite?"), validators=[Optional(), Length(max=300, message=TOO_LONG)],
                       description=_l("Zum Beispiel „Abstimmung“ oder die Adresse der Seite."))
    name = StringField(_l("Ihr Name"), validators=[Optional(), Length(max=200, message=TOO_LONG)],
                       render_kw={"autocomplete": "name"})
    email = EmailField(_l("Ihre E-Mail-Adresse, falls Sie eine Antwort wünschen"),
                       validators=[Optional(), EmailAddress()],
                       render_kw={"autocomplete": "email"})
