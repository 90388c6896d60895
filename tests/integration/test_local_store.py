"""The local store as infra/local/infra.sh starts it: FerretDB's garbage collector set for its
writes, and its PostgreSQL keeping the documents it compresses with lz4, not pglz
(bench/store/settings.py). Run against the local PostgreSQL on POSTGRES_PORT (which infra.sh
sets up even when it reuses one) and the FerretDB this checkout started; skipped on any other
store (MONGODB_URL elsewhere, another handler)."""

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from kit.settings import ServiceSettings
from pymongo import AsyncMongoClient

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "infra" / "local" / "run"
PORT = os.environ.get("POSTGRES_PORT", "54329")
POSTGRES = ("-h", "127.0.0.1", "-p", PORT, "-U", "postgres", "-d", "ferretdb")


def psql(sql: str) -> str:
    psql = sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"))
    done = subprocess.run(
        [str(psql[-1]) if psql else "psql", *POSTGRES, "-qXAt", "-c", sql],
        capture_output=True,
        check=True,
        timeout=30,
    )
    return done.stdout.decode().strip()


@pytest.fixture
def local_postgres() -> None:
    if not list(Path("/usr/lib/postgresql").glob("*/bin/psql")) and not shutil.which("psql"):
        pytest.skip("needs psql")
    try:
        psql("SELECT 1")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        pytest.skip(f"FerretDB's PostgreSQL does not answer on :{PORT}")


async def test_a_large_document_is_kept_compressed_with_lz4(local_postgres: None) -> None:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(ServiceSettings().mongodb_url)
    database = f"test_store_{uuid.uuid4().hex[:10]}"
    try:
        if "ferretdbVersion" not in await client.admin.command("buildInfo"):
            pytest.skip("the store is not FerretDB")
        members = client[database]["members"]
        await members.insert_one({"_id": "m-1", "search_words": [f"word {n}" for n in range(300)]})
        table = psql(
            "SELECT table_name FROM information_schema.tables "
            f"WHERE table_schema = '{database}' AND table_name LIKE 'members\\_%'"
        )
        if not table:
            pytest.skip("the store keeps its collections elsewhere than this PostgreSQL")
        settings = psql(
            "SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting "
            "WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = 'ferretdb')"
        )
        assert "default_toast_compression=lz4" in settings.split(",")
        compression = psql(f"SELECT pg_column_compression(_jsonb) FROM {database}.{table}")
        assert compression == "lz4", "FerretDB connected before the setting: make down, make infra"
    finally:
        await client.drop_database(database)
        await client.close()


def test_ferretdb_collects_its_garbage_less_often(local_postgres: None) -> None:
    pid_file = RUN / "ferretdb.pid"
    if not pid_file.exists():
        pytest.skip("FerretDB was not started by infra/local/infra.sh")
    try:
        environ = Path(f"/proc/{pid_file.read_text().strip()}/environ").read_bytes()
    except OSError:
        pytest.skip("FerretDB's process is not readable here")
    settings = dict(entry.split("=", 1) for entry in environ.decode().split("\0") if "=" in entry)
    assert settings.get("GOGC") == os.environ.get("FERRETDB_GOGC", "400")
