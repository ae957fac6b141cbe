"""Audit events are written in the same transaction as the change they describe."""
import pytest

from fh_intranet import audit
from fh_intranet.audit import AuditEvent
from fh_intranet.db import database
from fh_intranet.people.models import Organisation


def test_record_outside_a_transaction_is_refused(app):
    with app.test_request_context():
        with pytest.raises(audit.NotInTransaction):
            audit.record("organisation.created")


def test_change_and_record_roll_back_together(app):
    with app.test_request_context():
        with pytest.raises(RuntimeError):
            with database.atomic():
                organisation = Organisation.create(name="Wird zurückgerollt")
                audit.record("organisation.created", organisation)
                raise RuntimeError("the change fails after recording")
    assert not Organisation.select().exists()
    assert not AuditEvent.select().exists()


def test_record_holds_actor_object_and_details(app, people):
    with app.test_request_context():
        with database.atomic():
            event = audit.record("organisation.created", people["member"].organisation,
                                 actor=people["coordinator"], name="Familienzentrum Lindenhof")
    stored = AuditEvent.get_by_id(event.id)
    assert stored.actor_id == people["coordinator"].id
    assert (stored.object_type, stored.object_id) == ("Organisation", people["member"].organisation_id)
    assert stored.details_dict == {"name": "Familienzentrum Lindenhof"}
