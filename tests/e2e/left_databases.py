"""The databases the session's suites used, dropped when the session ends: after the log scan
(security_logscan), which reads the members a run registered from them. A store that keeps
every test run's (hundreds of databases) grows slow for the next run and for the benchmarks.
KEEP_TEST_DATABASES=1 keeps them, to look inside after a failure."""

import contextlib
import os
from typing import Any

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from infra.local.suite import SERVICES

LEFT: list[str] = []  # the prefixes of the suites' databases


def drop_left_databases() -> None:
    if not LEFT:
        return
    if os.environ.get("KEEP_TEST_DATABASES"):
        print(f"\nkept the databases {', '.join(f'{p}*' for p in LEFT)}")
        return
    client: MongoClient[dict[str, Any]] = MongoClient(
        os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:27017/"), serverSelectionTimeoutMS=5000
    )
    with client:
        for prefix in LEFT:
            for service in SERVICES:
                with contextlib.suppress(PyMongoError):
                    client.drop_database(f"{prefix}{service}")
    LEFT.clear()
