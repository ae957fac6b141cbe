"""One way to check a permission: named rules, used by views and templates alike.

A rule is a function (person, obj) -> bool. Views declare theirs with `@requires(name)`
(role-level) or call `authorize(name, obj)` once the object is loaded; templates ask
`can(name, obj)`. Every view is either `@requires(...)` or `@public`, which a test checks.
"""
from functools import wraps
from typing import Callable

from flask import abort
from flask_login import current_user, login_required

from .people.models import COORDINATOR, MEMBER, PARTNER

Rule = Callable[[object, object], bool]
RULES: dict[str, Rule] = {}


def roles(*allowed: str) -> Rule:
    def rule(person, obj=None):
        return person.role in allowed

    rule.roles = allowed
    return rule


def register(name: str, rule: Rule) -> None:
    if name in RULES:
        raise KeyError(f"permission {name!r} is already registered")
    RULES[name] = rule


def can(name: str, obj=None, person=None) -> bool:
    person = person if person is not None else current_user
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return False
    return RULES[name](person, obj)


def authorize(name: str, obj=None) -> None:
    if not can(name, obj):
        abort(403)


def requires(name: str):
    """Log-in required, then the rule `name` (without object) must allow the person."""
    if name not in RULES:
        raise KeyError(f"unknown permission {name!r}")

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            authorize(name)
            return view(*args, **kwargs)

        wrapped.permission = name
        return wrapped

    return decorator


def public(view):
    """Open to anonymous visitors on purpose (login, invitation links, static health check)."""
    view.permission = None
    view.is_public = True
    return view


ANYONE = roles(COORDINATOR, MEMBER, PARTNER)

register("start.view", ANYONE)
register("account.own", ANYONE)
register("people.list", roles(COORDINATOR, MEMBER))
register("people.manage", roles(COORDINATOR))
register("organisations.view", ANYONE)
register("organisations.manage", roles(COORDINATOR))
register("people.see_contact", roles(COORDINATOR))
