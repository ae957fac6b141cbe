"""The accessibility statement, its feedback form (open without login) and the coordinator's list."""
from datetime import date

from flask import Blueprint, current_app, flash, request
from flask_babel import gettext as _
from flask_login import current_user

from ..changes import Refused
from ..permissions import public, requires
from ..web import render, render_form, see_other
from . import workflow
from .forms import FeedbackForm
from .models import AccessibilityFeedback

bp = Blueprint("accessibility", __name__, url_prefix="/barrierefreiheit")

# When and how the statement was last checked: kept with the code that the checks run against.
LAST_CHECKED = date(2026, 11, 30)


@bp.route("/", methods=["GET", "POST"])
@public
def statement():
    form = FeedbackForm()
    if not form.validate_on_submit():
        return _statement_page(form)
    try:
        workflow.submit_feedback(
            message=form.message.data.strip(), page=(form.page.data or "").strip(),
            name=(form.name.data or "").strip(), email=(form.email.data or "").strip(),
            person=current_user._get_current_object() if current_user.is_authenticated else None,
            address=request.remote_addr, token=form.once_token)
    except Refused as refused:
        return _statement_page(form, outcome=refused, status=429)
    flash(_("Danke! Ihre Rückmeldung ist bei der Netzwerkkoordination angekommen."), "success")
    return see_other("accessibility.statement", _anchor="rueckmeldung")


def _statement_page(form, outcome=None, status=None):
    response = render_form("accessibility/statement.html", form, outcome=outcome,
                           enforcement=current_app.config["ACCESSIBILITY_ENFORCEMENT"],
                           contact=current_app.config["ACCESSIBILITY_CONTACT"], last_checked=LAST_CHECKED)
    if status:
        response.status_code = status
    return response


@bp.get("/rueckmeldungen")
@requires("accessibility.feedback")
def feedback_list():
    entries = AccessibilityFeedback.select().order_by(AccessibilityFeedback.created_at.desc()).limit(200)
    return render("accessibility/feedback_list.html", entries=list(entries))
