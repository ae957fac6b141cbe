"""Run calls in threads released at the same moment, each with its own database connection."""
import threading

from fh_intranet.db import database


def at_once(app, *calls, raise_errors: bool = False):
    """The results of `calls` in order; an exception a call raised stands in its place
    (or is raised, with `raise_errors`)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        with app.app_context():
            try:
                barrier.wait(timeout=60)
                results[index] = call()
            except BaseException as error:  # noqa: BLE001 - handed to the test
                results[index] = error
            finally:
                if not database.is_closed():
                    database.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if raise_errors:
        for result in results:
            if isinstance(result, BaseException):
                raise result
    return results
