"""One request per benchmark case through Flask's test client: status, queries, time, bytes.

    DATABASE_URL=... .venv/bin/python -m bench.probe [role]
"""
import os
import sys
import time

from bench import cases
from bench.queries import counting
from fh_intranet import create_app
from fh_intranet.auth import sessions
from fh_intranet.bench_data import LOGINS
from fh_intranet.people.models import Person


def logged_in_client(app, person):
    client = app.test_client()
    with app.test_request_context():
        _, cookie_id = sessions.start(person, remember=False, user_agent="")
    with client.session_transaction() as session:
        session.update({"_user_id": cookie_id, "_fresh": True})
    return client


def main():
    role = sys.argv[1] if len(sys.argv) > 1 else "member"
    app = create_app({"DATABASE_URL": os.environ["DATABASE_URL"], "SECRET_KEY": "probe", "TESTING": True})
    with app.app_context():
        person = Person.get(Person.email == LOGINS[role])
        client = logged_in_client(app, person)
        all_cases = cases.pages(person)
    for case in all_cases:
        with counting() as counter:
            started = time.perf_counter()
            response = client.get(case.url)
            body = response.get_data()
            elapsed = time.perf_counter() - started
        print(f"{case.name:28} {response.status_code} {counter.count:4} q {elapsed * 1000:8.1f} ms {len(body):9} B")


if __name__ == "__main__":
    main()
