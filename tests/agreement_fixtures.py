"""Agreements in each state, for the tests."""
from datetime import date, timedelta

import pytest

from fh_intranet.agreements import workflow
from fh_intranet.agreements.models import ADOPTED, CONSULTATION
from fh_intranet.db import utcnow

TEXT = """Vorwort der Partner.

# § 1 Ziele

Familien mit Säuglingen finden früh Unterstützung.

# § 2 Zielgruppe

Schwangere und Familien mit Kindern bis drei Jahre.
"""


def make_agreement(author, state="draft", text=TEXT, title="Kooperationsvereinbarung Auental",
                   adopted_on=date(2026, 6, 1)):
    agreement = workflow.create_agreement(title=title, kind="cooperation", review_by=None, text=text, author=author)
    if state in (CONSULTATION, ADOPTED, "superseded"):
        workflow.change_state(agreement, CONSULTATION, author, deadline=utcnow() + timedelta(days=14))
    if state in (ADOPTED, "superseded"):
        workflow.change_state(agreement, ADOPTED, author, adopted_on=adopted_on)
    if state == "superseded":
        workflow.change_state(agreement, "superseded", author)
    return agreement


@pytest.fixture
def agreements(people):
    coordinator = people["coordinator"]
    return {state: make_agreement(coordinator, state, title=f"Vereinbarung {state}")
            for state in ("draft", "consultation", "adopted", "superseded")}


@pytest.fixture
def member_comment(agreements, people):
    consultation = agreements["consultation"]
    return workflow.add_comment(consultation, workflow.latest_version(consultation), anchor="s-1-ziele",
                                heading="§ 1 Ziele", body="Bitte konkreter.", author=people["member"])
