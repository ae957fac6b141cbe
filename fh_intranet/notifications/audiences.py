"""Who may be concerned by an event, before the permission rules narrow it down (notify does that)."""
from __future__ import annotations

from ..people.models import COORDINATOR, MEMBER, Person


def steering_group() -> list[int]:
    """Everyone who works on drafts: the coordination and the members."""
    return [p.id for p in Person.select(Person.id).where(Person.role.in_((COORDINATOR, MEMBER)), Person.active)]


def coordinators() -> list[int]:
    return [p.id for p in Person.select(Person.id).where(Person.role == COORDINATOR, Person.active)]


def everyone() -> list[int]:
    return [p.id for p in Person.select(Person.id).where(Person.active)]


def body_members(body_id: int) -> list[int]:
    from ..meetings.models import BodyMember

    return [m.person_id for m in BodyMember.select(BodyMember.person).where(BodyMember.body == body_id)]


def commenters(agreement_id: int) -> list[int]:
    from ..agreements.models import Comment

    return [c.author_id for c in Comment.select(Comment.author).where(Comment.agreement == agreement_id).distinct()]
