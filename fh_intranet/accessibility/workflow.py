"""Reporting a barrier: stored, and the coordination told, in one transaction."""
from flask_babel import lazy_gettext as _l

from ..auth import throttle
from ..changes import Refused, create_once, reason
from ..notifications import audiences
from ..notifications.workflow import notify
from .models import AccessibilityFeedback

# A public form: enough for a person with a lot to say, too few for a flood.
PER_ADDRESS = 5
TOO_MANY = reason("accessibility.too_many", _l(
    "Von Ihrem Anschluss kamen gerade viele Rückmeldungen. Bitte versuchen Sie es in %(minutes)d Minuten "
    "noch einmal."))


def submit_feedback(*, message: str, page: str, name: str, email: str, person, address: str | None,
                    token: str | None) -> AccessibilityFeedback:
    wait, _claimed = throttle.claim([(throttle.feedback_key(address), PER_ADDRESS)])
    if wait:
        raise Refused(TOO_MANY, minutes=wait)

    def create():
        feedback = AccessibilityFeedback.create(message=message, page=page, name=name, email=email,
                                                person=getattr(person, "id", None))
        notify("accessibility.feedback", object_type="AccessibilityFeedback", object_id=feedback.id,
               title=message[:120], people=audiences.coordinators(), actor=person,
               may_read=("accessibility.feedback", None))
        return feedback

    return create_once(token, AccessibilityFeedback, create)
