from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length, ValidationError

from ..forms import TOO_LONG, VersionedForm


class ReportTextForm(VersionedForm):
    introduction = TextAreaField(_l("Einleitung"), validators=[Length(max=20000, message=TOO_LONG)],
                                 description=_l("Steht im Bericht vor den Zahlen."))
    outlook = TextAreaField(_l("Ausblick"), validators=[Length(max=20000, message=TOO_LONG)],
                            description=_l("Steht im Bericht nach den Zahlen."))

    def validate_version(self, field):
        """Both text blocks may be empty, so a post without the form's version (not from this form)
        is refused as incomplete rather than stored as a first version."""
        if not str(field.data if field.data is not None else "").isdigit():
            raise ValidationError(_l("Bitte laden Sie das Formular neu."))
