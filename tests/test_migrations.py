"""Schema migrations: an existing database is upgraded without losing data."""
import os
import secrets
from contextlib import contextmanager
from urllib.parse import quote

import peewee
import pytest
from playhouse.db_url import connect

from fh_intranet import migrations
from fh_intranet.db import BaseModel, current_schema, open_database


@contextmanager
def empty_database(tmp_path):
    """A database of its own: a new SQLite file, or a new schema on the PostgreSQL server."""
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        db = open_database(f"sqlite:///{tmp_path / 'upgrade.sqlite3'}")
        yield db
        db.close()
        return
    schema = f"mig_{secrets.token_hex(5)}"
    admin = connect(base_url)
    admin.execute_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in base_url else "?"
    db = open_database(f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}")
    try:
        yield db
    finally:
        db.close()
        admin.execute_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def test_all_migrations_apply_once(tmp_path):
    with empty_database(tmp_path) as db:
        assert migrations.upgrade(db) == migrations.available()
        assert migrations.upgrade(db) == []
        assert migrations.applied(db) == migrations.available()


@pytest.mark.parametrize("start", migrations.available()[:-1])
def test_upgrade_from_an_older_schema_keeps_data(tmp_path, start):
    with empty_database(tmp_path) as db:
        migrations.upgrade(db, target=start)
        db.execute_sql("INSERT INTO organisation (name, sector, address, contact_name, contact_email, "
                       "contact_phone, created_at, version) VALUES ('Kita Sonnenblume', 'day_care', '', '', '', '', "
                       "'2026-01-05 10:00:00', 1)")
        db.execute_sql("INSERT INTO person (name, email, organisation_id, function, role, password_hash, active, "
                       "locale, session_token, created_at, version) VALUES ('Ülkü Şahin', 'uelkue@example.org', 1, "
                       "'Leitung', 'member', 'hash', %s, 'de', 'tok', '2026-01-05 10:00:00', 1)"
                       % ("true" if isinstance(db, peewee.PostgresqlDatabase) else "1"))
        ran = migrations.upgrade(db)
        assert ran == migrations.available()[migrations.available().index(start) + 1:]
        assert db.execute_sql("SELECT name, email FROM person").fetchall() == [("Ülkü Şahin", "uelkue@example.org")]
        assert db.execute_sql("SELECT name FROM organisation").fetchall() == [("Kita Sonnenblume",)]


def _all_models():
    seen, todo = set(), list(BaseModel.__subclasses__())
    while todo:
        model = todo.pop()
        if model not in seen:
            seen.add(model)
            todo.extend(model.__subclasses__())
    return seen


def test_migrated_schema_matches_the_models(app, tmp_path):
    """Catches a model change that has no migration."""
    import fh_intranet.audit  # noqa: F401  (register every model)
    import fh_intranet.auth.models  # noqa: F401

    with empty_database(tmp_path) as db:
        migrations.upgrade(db)
        for model in _all_models():
            table = model._meta.table_name
            columns = {c.name: c for c in db.get_columns(table, schema=current_schema(db))}
            for field in model._meta.sorted_fields:
                assert field.column_name in columns, f"{table}.{field.column_name} has no migration"
                assert columns[field.column_name].null == field.null, f"{table}.{field.column_name} nullability"
            assert set(columns) == {f.column_name for f in model._meta.sorted_fields}, table


def test_audit_events_learn_the_object_whose_history_shows_them(tmp_path):
    """m0022: an event about a part names the part's meeting or agreement, taken from the part's
    row or, for a part deleted since, from the details the event recorded."""
    with empty_database(tmp_path) as db:
        migrations.upgrade(db, target="m0021_annual_report")
        body_id = db.execute_sql("SELECT MIN(id) FROM body").fetchone()[0]  # a migration makes the first
        db.execute_sql("INSERT INTO meeting (id, body_id, kind, title, starts_at, ends_at, place, state, created_at, "
                       "version) VALUES (7, %d, 'regular', 'Mai', '2026-05-05 10:00:00', '2026-05-05 12:00:00', '', "
                       "'draft', '2026-01-05 10:00:00', 1)" % body_id)
        db.execute_sql("INSERT INTO workshop (id, meeting_id, title, position, created_at) "
                       "VALUES (3, 7, 'Thementisch', 0, '2026-05-05 10:00:00')")
        events = [("workshop.created", "Workshop", 3, '{"meeting": 7, "title": "Thementisch"}'),
                  ("agenda_item.deleted", "AgendaItem", 11, '{"meeting": 7, "title": "Gestrichen"}'),
                  ("agenda_item.added", "AgendaItem", 11, '{"meeting": 7, "title": "Gestrichen"}'),
                  ("comment.added", "Comment", 5, '{"agreement": 2, "section": "s-1"}'),
                  ("comment.resolved", "Comment", 5, '{}'),
                  ("body.created", "Body", 1, '{"name": "Steuerungsgruppe"}')]
        for number, (action, object_type, object_id, details) in enumerate(events, start=1):
            db.execute_sql("INSERT INTO audit_event (id, created_at, action, object_type, object_id, details) "
                           f"VALUES ({number}, '2026-05-05 10:00:00', '{action}', '{object_type}', {object_id}, "
                           f"'{details}')")
        migrations.upgrade(db)
        assert db.execute_sql("SELECT id, context_type, context_id FROM audit_event ORDER BY id").fetchall() == [
            (1, "Meeting", 7), (2, "Meeting", 7), (3, "Meeting", 7), (4, "Agreement", 2), (5, "Agreement", 2),
            (6, "", None)]


def _agreement_by_a_coordinator(db, state: str) -> None:
    db.execute_sql("INSERT INTO person (id, name, email, function, role, active, locale, session_token, created_at, "
                   "version) VALUES (9, 'Koordination', 'k@example.org', '', 'coordinator', true, 'de', 'x', "
                   "'2026-01-05 10:00:00', 1)")
    db.execute_sql("INSERT INTO agreement (id, title, kind, state, created_by_id, created_at, version) "
                   f"VALUES (4, 'Vereinbarung', 'cooperation', '{state}', 9, '2026-01-05 10:00:00', 1)")


def test_first_versions_lose_the_german_note_the_app_stored(tmp_path):
    """m0028: „Erste Fassung“ was stored as the first version's note, in German for every reader;
    a note someone wrote stays."""
    with empty_database(tmp_path) as db:
        migrations.upgrade(db, target="m0027_search_recheck_index")
        _agreement_by_a_coordinator(db, "draft")  # agreement 4, by person 9
        for id_, number, note in [(1, 1, "Erste Fassung"), (2, 2, "Erste Fassung"), (3, 3, "§ 2 ergänzt")]:
            db.execute_sql("INSERT INTO agreement_version (id, agreement_id, number, text, change_note, author_id, "
                           f"created_at, rendered) VALUES ({id_}, 4, {number}, 'Text', '{note}', 9, "
                           "'2026-01-05 10:00:00', '')")
        migrations.upgrade(db)
        assert db.execute_sql("SELECT number, change_note FROM agreement_version ORDER BY number").fetchall() == [
            (1, ""), (2, "Erste Fassung"), (3, "§ 2 ergänzt")]


def test_comments_of_long_headings_keep_their_section(tmp_path):
    """m0032: an anchor is its heading's slug cut to 100 characters; comments that kept a longer one
    follow, with the number that tells equal headings apart."""
    from fh_intranet.agreements.sections import split

    heading = ("§ 7 Datenschutz, Schweigepflicht und Weitergabe von Informationen zwischen den Partnern des "
               "Netzwerks Frühe Hilfen")
    whole = "s-" + "7-datenschutz-schweigepflicht-und-weitergabe-von-informationen-zwischen-den-partnern-des-" \
        "netzwerks-fruehe-hilfen"
    with empty_database(tmp_path) as db:
        migrations.upgrade(db, target="m0031_search_draft_offerings")
        _agreement_by_a_coordinator(db, "consultation")  # agreement 4, by person 9
        db.execute_sql("INSERT INTO agreement_version (id, agreement_id, number, text, change_note, author_id, "
                       "created_at, rendered) VALUES (1, 4, 1, 'Text', '', 9, '2026-01-05 10:00:00', '')")
        for id_, anchor in [(1, whole), (2, whole + "-2"), (3, "s-1-ziele")]:
            db.execute_sql("INSERT INTO comment (id, agreement_id, version_id, section_anchor, section_heading, "
                           "author_id, body, body_html, created_at, revision) VALUES "
                           f"({id_}, 4, 1, '{anchor}', '{heading if id_ < 3 else '§ 1 Ziele'}', 9, 'x', '', "
                           "'2026-01-05 10:00:00', 1)")
        migrations.upgrade(db)
        anchors = [row[0] for row in db.execute_sql("SELECT section_anchor FROM comment ORDER BY id").fetchall()]
    sections = split(f"# {heading}\n\nText\n\n# {heading}\n\nNoch einmal\n\n# § 1 Ziele\n\nx")
    assert anchors == [s.anchor for s in sections]
    assert len(anchors[0]) <= 102


def test_mails_in_the_outbox_learn_whom_they_were_written_for(tmp_path):
    """m0033: a mail names the person who holds its address at the upgrade; others name nobody."""
    with empty_database(tmp_path) as db:
        migrations.upgrade(db, target="m0032_short_section_anchors")
        db.execute_sql("INSERT INTO person (id, name, email, function, role, active, locale, session_token, "
                       "created_at, version) VALUES (9, 'Koordination', 'k@example.org', '', 'coordinator', true, "
                       "'de', 'x', '2026-01-05 10:00:00', 1)")
        for number, recipient in ((1, "k@example.org"), (2, "niemand@example.org")):
            db.execute_sql("INSERT INTO outbox_mail (id, recipient, subject, text_body, html_body, headers, ics, "
                           "ics_method, sensitive, status, attempts, next_attempt_at, last_error, created_at) "
                           f"VALUES ({number}, '{recipient}', 'Betreff', 'Text', '', '{{}}', '', '', false, 'sent', "
                           "1, '2026-01-05 10:00:00', '', '2026-01-05 10:00:00')")
        migrations.upgrade(db)
        assert db.execute_sql("SELECT id, person_id FROM outbox_mail ORDER BY id").fetchall() == [(1, 9), (2, None)]


def test_vote_events_are_removed(tmp_path):
    """m0034 blanked what they were for, m0036 removes them: the change log no longer names voters
    with the time of their clicks."""
    with empty_database(tmp_path) as db:
        migrations.upgrade(db, target="m0033_outbox_person")
        for number, (action, details) in enumerate([("vote.changed", '{"topic": 3, "delta": 1}'),
                                                    ("topic.created", '{"title": "Väter"}')], start=1):
            db.execute_sql("INSERT INTO audit_event (id, created_at, action, object_type, object_id, details) "
                           f"VALUES ({number}, '2026-05-05 10:00:00', '{action}', 'VotingRound', 1, '{details}')")
        migrations.upgrade(db)
        assert db.execute_sql("SELECT action FROM audit_event ORDER BY id").fetchall() == [("topic.created",)]


def test_deactivated_peoples_search_documents_are_the_coordinators(tmp_path):
    """m0035: members found deactivated people by name; their documents get the coordinator as reader."""
    with empty_database(tmp_path) as db:
        migrations.upgrade(db, target="m0034_votes_without_details")
        for number, active in ((9, "true"), (10, "false")):
            db.execute_sql("INSERT INTO person (id, name, email, function, role, active, locale, session_token, "
                           f"created_at, version) VALUES ({number}, 'P{number}', 'p{number}@example.org', '', "
                           f"'member', {active}, 'de', 'x', '2026-01-05 10:00:00', 1)")
            db.execute_sql("INSERT INTO search_document (kind, object_id, title, context, body, endpoint, url_values, "
                           "readers, owners, updated_at) VALUES ('person', %d, 'P', '', '', 'people.detail', '{}', "
                           "' coordinator member ', '  ', '2026-01-05 10:00:00')" % number)
        migrations.upgrade(db)
        assert db.execute_sql("SELECT object_id, readers FROM search_document ORDER BY object_id").fetchall() == [
            (9, " coordinator member "), (10, " coordinator ")]
