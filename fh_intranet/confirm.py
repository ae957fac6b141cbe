"""A second look before an irreversible step.

The step's own button posts once; the view answers with a page that says what will happen (and
what looks wrong), and its button posts the same fields again with `bestaetigt=1`. This works
without JavaScript; through htmx the page replaces the whole page, whichever part the button was
meant to update, so a second look never hides inside a fragment.

    if not confirm.given():
        return confirm.ask(confirm.Question(title=…, happens=[…], button=…, back=url))
"""
from dataclasses import dataclass, field

from flask import request

from .web import is_htmx, render

FIELD = "bestaetigt"
NOT_CARRIED = {"csrf_token", FIELD}


@dataclass
class Question:
    title: str
    happens: list[str]
    button: str
    back: str
    warnings: list[str] = field(default_factory=list)


def given() -> bool:
    return request.form.get(FIELD) == "1"


def ask(question: Question):
    carried = [(name, value) for name, value in request.form.items(multi=True) if name not in NOT_CARRIED]
    response = render("confirm.html", question=question, carried=carried, action=request.path)
    if is_htmx():
        response.headers["HX-Retarget"] = "body"
        response.headers["HX-Reswap"] = "innerHTML show:window:top"
    return response
