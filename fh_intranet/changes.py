"""Optimistic locking: an edit names the version it started from, so no edit is silently lost."""
import peewee
from flask_babel import lazy_gettext as _l

CONFLICT_MESSAGE = _l(
    "Jemand anderes hat diese Angaben gespeichert, während Sie sie bearbeitet haben. Ihre Eingaben "
    "stehen noch im Formular; die gespeicherte Fassung sehen Sie daneben. Prüfen Sie beides und "
    "speichern Sie erneut.")


class Refused(Exception):
    """An action the object's current state does not allow; str(exc) names the reason."""


class EditConflict(Exception):
    """Someone else saved the same record since the editor loaded it."""


def parse_version(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return -1


def update_versioned(obj: peewee.Model, expected_version, changes: dict) -> dict:
    """Write `changes` to `obj` if it is still at `expected_version`.

    Returns {field: [old, new]} for the fields that really changed (for the audit record).
    Raises EditConflict when the stored version moved on. Call inside `database.atomic()`.
    """
    model = type(obj)
    changed = {name: [getattr(obj, name), value] for name, value in changes.items()
               if getattr(obj, name) != value}
    updated = (model.update({**changes, model.version: model.version + 1})
               .where(model.id == obj.id, model.version == parse_version(expected_version))
               .execute())
    if not updated:
        raise EditConflict(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.version += 1
    return {name: [_plain(old), _plain(new)] for name, (old, new) in changed.items()}


def _plain(value):
    return getattr(value, "id", value)
