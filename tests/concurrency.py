"""Shared by the PostgreSQL concurrency tests: run callables at the same instant."""

import threading

import pytest
from django.db import connection, connections


def postgres_only(why: str) -> list:
    """The marks of a module whose tests only prove something on PostgreSQL."""
    return [
        pytest.mark.postgres,
        # serialized_rollback: the flush after each transactional test neither drops
        # the migration-loaded catalogue nor re-runs post_migrate (which would clash
        # with the next serialized test's restore).
        pytest.mark.django_db(transaction=True, serialized_rollback=True),
        pytest.mark.skipif(
            connection.vendor != "postgresql",
            reason=f"needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so {why}",
        ),
    ]


def run_at_once(*calls):
    """Run each callable in its own thread, released together; return their results.
    Any exception in a thread fails the test."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # surfaced by the assertion below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    return results
