"""Which store answers, from its buildInfo: writes take turns on FerretDB only."""

from kit.mongo import is_ferretdb

FERRETDB_1_24 = {
    "version": "7.0.42",
    "gitVersion": "1f2e7c8",
    "modules": [],
    "sysInfo": "deprecated",
    "versionArray": [7, 0, 42, 0],
    "bits": 64,
    "debug": False,
    "maxBsonObjectSize": 16777216,
    "buildEnvironment": {},
    "ferretdbVersion": "v1.24.2",
    "ok": 1.0,
}
MONGODB_7 = {
    "version": "7.0.14",
    "gitVersion": "ce59cfc6a3c5e5c067dca0d30697edd68d4f5188",
    "modules": [],
    "allocator": "tcmalloc",
    "javascriptEngine": "mozjs",
    "sysInfo": "deprecated",
    "versionArray": [7, 0, 14, 0],
    "bits": 64,
    "debug": False,
    "maxBsonObjectSize": 16777216,
    "storageEngines": ["devnull", "wiredTiger"],
    "ok": 1.0,
}


def test_ferretdb_is_told_by_its_version_field() -> None:
    assert is_ferretdb(FERRETDB_1_24)


def test_mongodb_is_not_ferretdb() -> None:
    assert not is_ferretdb(MONGODB_7)
