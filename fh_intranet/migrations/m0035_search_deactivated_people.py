"""A deactivated person is found only by the coordinator (rule person.view), as their page and the
people list show them: members found them by name in the search. Their documents get the readers a
reindex would give them."""


def upgrade(db):
    db.execute_sql("UPDATE search_document SET readers = ' coordinator ' WHERE kind = 'person' "
                   "AND object_id IN (SELECT id FROM person WHERE NOT active)")
