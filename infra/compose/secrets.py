"""What `docker compose` needs that is never committed, made once (what exists is kept):

    uv run python -m infra.compose.secrets        (make compose-secrets)

- `.env`, from infra/compose/example.env, every change-me value replaced by a random one; an
  `.env` made by an earlier release gets a random value for each password added since
  (GRAFANA_ADMIN_PASSWORD…), and nothing else;
- `secrets/internal_token_private_key.pem`: the Ed25519 key the gateway (alone) signs the
  identities it forwards with, and `secrets/internal_token_public_keys.pem`, the public keys the
  services verify them with (one; two while a key is rotated: see the README). A folder from
  before the key pair (with `internal_token_secret`) gets the pair; delete the old secret;
- `secrets/jwks.json`: the public keys the gateway verifies callers' tokens with. Put the
  identity provider's JWKS there (or set GATEWAY_AUTH_JWKS_URL in .env). Until then it holds
  the key of a trial issuer this script makes, `secrets/<kid>.pem`, for minting tokens by
  hand; remove that file once the real identity provider signs the tokens;
- `secrets/<service>_mongodb_url` and `_amqp_url`, and `secrets/member_key_secret`: each
  service's connection URLs with its own passwords, and the key of the card-number digests,
  written from `.env` (again whenever `.env` changes them), mounted as the settings MONGODB_URL,
  AMQP_URL and MEMBER_KEY_SECRET so that no password is in a service's environment;
- `secrets/mongodb_keyfile`: the key the members of MongoDB's replica set (rs0) prove
  themselves to each other with (756 random bytes in base64, as MongoDB's keyfile wants);
  readable by its owner only: MongoDB's container copies it, as root, for mongod alone.

The folder is readable by its owner only; the files in it are readable by anyone who can
reach them, because compose mounts them into containers that run as `nobody`.
"""

import base64
import re
import secrets
import sys
from pathlib import Path
from urllib.parse import quote

from gateway.tokens import internal_keygen, keygen

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "infra" / "compose" / "example.env"


def filled(text: str) -> str:
    return re.sub(
        r"^(\w+)=change-me[\w-]*$",
        lambda found: f"{found[1]}={secrets.token_urlsafe(24)}",
        text,
        flags=re.MULTILINE,
    )


def write_env(path: Path) -> None:
    path.write_text(filled(EXAMPLE.read_text()))
    path.chmod(0o600)


def complete_env(path: Path) -> list[str]:
    """Add to an existing .env the passwords and keys example.env has and it lacks (a release
    that needs a new one, GRAFANA_ADMIN_PASSWORD…), each a random value; every other line is
    left as it is. The names added."""
    text = path.read_text()
    present = set(re.findall(r"^(\w+)=", text, flags=re.MULTILINE))
    wanted = re.findall(r"^(\w+)=change-me", EXAMPLE.read_text(), flags=re.MULTILINE)
    added = [name for name in wanted if name not in present]
    if added:
        with path.open("a") as env:
            env.write("" if text.endswith("\n") or not text else "\n")
            env.write("".join(f"{name}={secrets.token_urlsafe(24)}\n" for name in added))
    return added


SERVICES = ("organisations", "members", "evaluations")


def connection_secrets(env: dict[str, str]) -> dict[str, str]:
    """The files each service's connection settings are read from: name → content."""
    files = {"member_key_secret": env["MEMBER_KEY_SECRET"]}
    for service in SERVICES:
        database = quote(env[f"{service.upper()}_DB_PASSWORD"], safe="")
        broker = quote(env[f"{service.upper()}_AMQP_PASSWORD"], safe="")
        files[f"{service}_mongodb_url"] = (
            f"mongodb://{service}:{database}@mongodb:27017/partyorg_{service}?replicaSet=rs0"
        )
        files[f"{service}_amqp_url"] = f"amqp://{service}:{broker}@rabbitmq:5672/"
    return files


def read_env(path: Path) -> dict[str, str]:
    found = re.findall(r"^(\w+)=(.*)$", path.read_text(), flags=re.MULTILINE)
    return {name: value.strip() for name, value in found}


def write_connections(env: Path, folder: Path) -> list[str]:
    """Write the connection files that are missing or differ from `.env`; the names written."""
    written = []
    for name, content in connection_secrets(read_env(env)).items():
        path = folder / name
        if not path.exists() or path.read_text() != content:
            path.write_text(content)
            path.chmod(0o644)
            written.append(name)
    return written


def make(root: Path = ROOT) -> list[str]:
    """Makes what is missing; says what it made."""
    made: list[str] = []
    env = root / ".env"
    if not env.exists():
        write_env(env)
        made.append(f"{env}: random passwords; set GATEWAY_AUTH_ISSUER and _AUDIENCE")
    elif added := complete_env(env):
        made.append(f"{env}: added {', '.join(added)}")
    folder = root / "secrets"
    folder.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o700)
    if connections := write_connections(env, folder):
        made.append(f"{folder}: {', '.join(connections)} from {env}")
    keyfile = folder / "mongodb_keyfile"
    if not keyfile.exists():
        keyfile.write_text(base64.b64encode(secrets.token_bytes(756)).decode() + "\n")
        keyfile.chmod(0o600)
        made.append(f"{keyfile}: the key of MongoDB's replica set")
    private_key = folder / "internal_token_private_key.pem"
    public_keys = folder / "internal_token_public_keys.pem"
    if not private_key.exists():
        kid = internal_keygen(private_key, public_keys)
        for path in (private_key, public_keys):
            path.chmod(0o644)
        made.append(f"{private_key} and its public key in {public_keys} (kid {kid})")
    jwks = folder / "jwks.json"
    if not jwks.exists():
        kid, private_key, _ = keygen(folder, "ES256")
        jwks.chmod(0o644)
        made.append(
            f"{jwks}: the public key of a trial issuer (kid {kid}); replace it with your "
            "identity provider's JWKS. Trial tokens:\n"
            f"    uv run python -m gateway.tokens mint --private-key {private_key} "
            "--issuer ISSUER --audience AUDIENCE --sub SUBJECT --grant ROLE[@ORGANISATION_ID]"
        )
    return made


def main() -> int:
    made = make()
    for line in made or ["nothing to make: .env and secrets/ are there"]:
        print(f"compose secrets: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
