"""`make up` and `make compose-secrets` make the gateway's key pair once, give the private key
to the gateway alone and keep what exists; secrets made when the gateway and the services shared
a secret get a key pair instead, in place."""

import json
import re
import stat
from pathlib import Path

from kit.identity_verification import GatewayKeys, verify_internal
from kit.testing import STAFF

from infra.compose.secrets import make
from infra.local.suite import LocalSecrets, Suite


def test_the_first_up_makes_a_key_pair_the_services_verify_the_gateways_tokens_with(
    tmp_path: Path,
) -> None:
    keys = LocalSecrets.load_or_create(tmp_path)
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600
    trusted = GatewayKeys.from_pem(keys.internal_token_public_keys)
    assert verify_internal(keys.identity_for(STAFF), trusted) == STAFF
    assert LocalSecrets.load_or_create(tmp_path) == keys


def test_secrets_from_before_the_key_pair_are_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    old = {"auth_secret": "a" * 64, "internal_token_secret": "s" * 64}
    path.write_text(json.dumps(old))
    path.chmod(0o600)
    keys = LocalSecrets.load_or_create(tmp_path)
    assert keys.auth_secret == old["auth_secret"]  # callers' tokens stay valid
    assert "internal_token_secret" not in json.loads(path.read_text())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    trusted = GatewayKeys.from_pem(keys.internal_token_public_keys)
    assert verify_internal(keys.identity_for(STAFF), trusted) == STAFF
    assert LocalSecrets.load_or_create(tmp_path) == keys  # upgraded once
    suite = Suite(run_dir=tmp_path)
    assert suite.environment("members")["INTERNAL_TOKEN_PUBLIC_KEYS"] == (
        keys.internal_token_public_keys
    )


def test_compose_secrets_make_the_key_pair_once_and_upgrade_an_old_folder(tmp_path: Path) -> None:
    folder = tmp_path / "secrets"
    folder.mkdir()
    (folder / "internal_token_secret").write_text("s" * 64)  # from before
    before = "RABBITMQ_ADMIN_PASSWORD=kept\n"  # an .env from before the city stream's account
    (tmp_path / ".env").write_text(before)
    made = make(tmp_path)
    assert any("internal_token_private_key.pem" in line for line in made), made
    private_key = (folder / "internal_token_private_key.pem").read_text()
    public_keys = (folder / "internal_token_public_keys.pem").read_text()
    keys = LocalSecrets("unused", private_key, public_keys)
    assert verify_internal(keys.identity_for(STAFF), GatewayKeys.from_pem(public_keys)) == STAFF
    assert "PRIVATE" not in public_keys
    assert not any("internal_token" in line for line in make(tmp_path))  # kept as it is
    assert (folder / "internal_token_private_key.pem").read_text() == private_key
    env = (tmp_path / ".env").read_text()
    assert env.startswith(before) and "RABBITMQ_ADMIN_PASSWORD=change-me" not in env
    [city] = re.findall(r"^CITY_STREAM_AMQP_PASSWORD=([\w-]+)$", env, flags=re.MULTILINE)
    assert len(city) >= 24 and "change-me" not in city
    make(tmp_path)
    assert (tmp_path / ".env").read_text() == env


def test_an_env_from_an_earlier_release_gets_the_settings_added_since_and_keeps_its_own(
    tmp_path: Path,
) -> None:
    make(tmp_path)
    env = tmp_path / ".env"
    kept = [line for line in env.read_text().splitlines() if "GRAFANA" not in line]
    env.write_text("\n".join(kept))  # its last line without a line end
    assert make(tmp_path) == [f"{env}: added GRAFANA_ADMIN_PASSWORD"]
    lines = env.read_text().splitlines()
    assert lines[: len(kept)] == kept
    (added,) = [line for line in lines if line.startswith("GRAFANA_ADMIN_PASSWORD=")]
    assert "change-me" not in added and len(added) > len("GRAFANA_ADMIN_PASSWORD=") + 20
    assert make(tmp_path) == []  # nothing more to add


def test_each_services_connection_urls_are_files_made_from_env_and_follow_it(
    tmp_path: Path,
) -> None:
    make(tmp_path)
    env = (tmp_path / ".env").read_text()
    [password] = re.findall(r"^MEMBERS_DB_PASSWORD=(\S+)$", env, flags=re.MULTILINE)
    folder = tmp_path / "secrets"
    members = (folder / "members_mongodb_url").read_text()
    assert members == f"mongodb://members:{password}@mongodb:27017/partyorg_members?replicaSet=rs0"
    assert (folder / "evaluations_amqp_url").read_text().startswith("amqp://evaluations:")
    assert "change-me" not in (folder / "member_key_secret").read_text()
    assert not any("mongodb_url" in line for line in make(tmp_path))  # nothing changed
    changed = env.replace(f"MEMBERS_DB_PASSWORD={password}", "MEMBERS_DB_PASSWORD=n3w/p@ss")
    (tmp_path / ".env").write_text(changed)
    made = make(tmp_path)
    assert any("members_mongodb_url" in line for line in made), made
    url = (folder / "members_mongodb_url").read_text()
    assert url == "mongodb://members:n3w%2Fp%40ss@mongodb:27017/partyorg_members?replicaSet=rs0"


def test_the_replica_sets_key_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    made = make(tmp_path)
    keyfile = tmp_path / "secrets" / "mongodb_keyfile"
    assert any("mongodb_keyfile" in line for line in made), made
    key = keyfile.read_text().strip()
    # MongoDB takes 6 to 1,024 characters of the base64 alphabet
    assert 6 <= len(key) <= 1024 and re.fullmatch(r"[A-Za-z0-9+/=]+", key)
    assert keyfile.stat().st_mode & 0o777 == 0o600
    make(tmp_path)
    assert keyfile.read_text().strip() == key  # kept: the replica set's members share it
