"""Callers' tokens for local use, the demo and tests, and key pairs for the JWKS path.

    uv run python -m gateway.tokens mint --sub S --name N --grant ROLE[@ORGANISATION_ID] ...
        [--member-id ID] [--ttl 8h] [--secret S | --private-key FILE [--kid K]]
    uv run python -m gateway.tokens keygen --out DIR [--alg ES256|RS256]
    uv run python -m gateway.tokens internal-keygen --private-key FILE --public-keys FILE

`mint` signs HS256 with GATEWAY_AUTH_SECRET (or --secret), or RS256/ES256 with a private key
made by `keygen`; issuer and audience come from GATEWAY_AUTH_ISSUER / GATEWAY_AUTH_AUDIENCE,
as the gateway reads them. `keygen` writes DIR/<kid>.pem (mode 600) and adds the public key to
DIR/jwks.json, keeping the keys already there (rotation). Python code calls `mint(...)`.
`internal-keygen` makes the Ed25519 key pair of the identity the gateway forwards: the private
key (GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY) in a new file, mode 600, its public key added to the
PEM file of the keys the services trust (INTERNAL_TOKEN_PUBLIC_KEYS), keeping those there."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jwt
import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from gateway.identity import ROLES, Grant
from gateway.keys import key_id, public_jwk
from gateway.settings import Settings

GrantSpec = str | tuple[str, str | None] | Grant
PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

DEFAULT_TTL_SECONDS = 8 * 3600


def mint(
    subject: str,
    *,
    name: str = "",
    grants: Iterable[GrantSpec] = (),
    member_id: str | None = None,
    ttl_seconds: float = DEFAULT_TTL_SECONDS,
    secret: str | None = None,
    private_key: str | bytes | Path | None = None,
    kid: str | None = None,
    issuer: str | None = None,
    audience: str | None = None,
    settings: Settings | None = None,
) -> str:
    """A caller's token the gateway accepts. Grants are "ROLE", "ROLE@ORGANISATION_ID",
    (role, organisation id or None) or `Grant`s. Without `secret` or `private_key`, signs
    HS256 with GATEWAY_AUTH_SECRET; issuer and audience default to the gateway's settings."""
    if secret is None and private_key is None:
        settings = settings or Settings()
        if settings.auth_secret is None:
            raise ValueError("no signing key: set GATEWAY_AUTH_SECRET, or pass a secret or key")
        secret = settings.auth_secret.get_secret_value()
    if issuer is None or audience is None:
        settings = settings or Settings()
        issuer = issuer or settings.issuer
        audience = audience or settings.audience
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "name": name,
        "grants": [parse_grant(g).claim() for g in grants],
        "iat": now,
        "exp": now + int(ttl_seconds),
    }
    if member_id is not None:
        claims["memberId"] = member_id
    if private_key is not None:
        key = load_private_key(private_key)
        headers = {"kid": kid or key_id(key.public_key())}
        return jwt.encode(claims, key, algorithm=algorithm_of(key), headers=headers)
    assert secret is not None
    return jwt.encode(claims, secret, algorithm="HS256")


def parse_grant(spec: GrantSpec) -> Grant:
    if isinstance(spec, Grant):
        grant = spec
    elif isinstance(spec, str):
        role, _, organisation = spec.partition("@")
        grant = Grant(role, organisation or None)
    else:
        grant = Grant(spec[0], spec[1])
    if grant.role not in ROLES:
        raise ValueError(f"unknown role {grant.role!r}; roles: {', '.join(sorted(ROLES))}")
    return grant


def load_private_key(source: str | bytes | Path) -> PrivateKey:
    pem = source.read_bytes() if isinstance(source, Path) else source
    key = serialization.load_pem_private_key(pem.encode() if isinstance(pem, str) else pem, None)
    if isinstance(key, rsa.RSAPrivateKey) or (
        isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1)
    ):
        return key
    raise ValueError("only RSA and EC P-256 private keys are supported")


def algorithm_of(key: PrivateKey) -> str:
    return "RS256" if isinstance(key, rsa.RSAPrivateKey) else "ES256"


def keygen(folder: Path, algorithm: str = "ES256") -> tuple[str, Path, Path]:
    """Writes a new private key and publishes its public key in folder/jwks.json; returns
    (kid, private key path, jwks path)."""
    key: PrivateKey
    if algorithm == "ES256":
        key = ec.generate_private_key(ec.SECP256R1())
    elif algorithm == "RS256":
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    else:
        raise ValueError("the algorithm must be ES256 or RS256")
    kid = key_id(key.public_key())
    folder.mkdir(parents=True, exist_ok=True)
    private_path = folder / f"{kid}.pem"
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_new(private_path, pem)
    jwks_path = folder / "jwks.json"
    jwks = orjson.loads(jwks_path.read_bytes()) if jwks_path.exists() else {"keys": []}
    jwks["keys"].append(
        {**public_jwk(key.public_key()), "kid": kid, "alg": algorithm, "use": "sig"}
    )
    jwks_path.write_bytes(orjson.dumps(jwks, option=orjson.OPT_INDENT_2))
    return kid, private_path, jwks_path


def write_new(path: Path, content: bytes) -> None:
    """Writes a file that must not exist yet, readable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)


def internal_key_pair() -> tuple[str, str]:
    """A new key pair for the identity the gateway forwards: the private key's PEM (for
    GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY) and the public key's (for INTERNAL_TOKEN_PUBLIC_KEYS)."""
    key = ed25519.Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private.decode(), public.decode()


def internal_keygen(private_path: Path, public_keys_path: Path) -> str:
    """Writes a new internal key pair: the private key to `private_path` (which must not exist),
    its public key added at the end of `public_keys_path`. Returns the kid."""
    private, public = internal_key_pair()
    write_new(private_path, private.encode())
    with public_keys_path.open("a") as keys:
        keys.write(public)
    public_key = serialization.load_pem_public_key(public.encode())
    assert isinstance(public_key, ed25519.Ed25519PublicKey)
    return key_id(public_key)


def parse_duration(text: str) -> int:
    """Seconds in "90", "90s", "30m", "8h" or "7d"."""
    found = re.fullmatch(r"(\d+)([smhd]?)", text.strip())
    if found is None:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 90s, 30m, 8h, 7d)")
    number, unit = found.groups()
    return int(number) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway.tokens", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    minting = commands.add_parser("mint", help="print a caller's token")
    minting.add_argument("--sub", required=True, help="the caller's subject")
    minting.add_argument("--name", default="", help="display name, for audit trails")
    minting.add_argument(
        "--grant",
        action="append",
        default=[],
        metavar="ROLE[@ORGANISATION_ID]",
        help="a role over an organisation's subtree (no @…: the whole tree); repeatable",
    )
    minting.add_argument("--member-id", help="the party member the caller is (MEMBER role)")
    minting.add_argument("--ttl", type=parse_duration, default="8h", help="lifetime (8h)")
    signing = minting.add_mutually_exclusive_group()
    signing.add_argument("--secret", help="HS256 secret (default: GATEWAY_AUTH_SECRET)")
    signing.add_argument("--private-key", type=Path, help="PEM private key made by keygen")
    minting.add_argument("--kid", help="key id (default: the key's thumbprint, as keygen)")
    minting.add_argument("--issuer", help="default: GATEWAY_AUTH_ISSUER")
    minting.add_argument("--audience", help="default: GATEWAY_AUTH_AUDIENCE")
    generating = commands.add_parser("keygen", help="a private key and its JWKS entry")
    generating.add_argument("--out", type=Path, required=True, help="folder for key and jwks.json")
    generating.add_argument("--alg", choices=["ES256", "RS256"], default="ES256")
    internal = commands.add_parser(
        "internal-keygen", help="the Ed25519 key pair of the identity the gateway forwards"
    )
    internal.add_argument(
        "--private-key", type=Path, required=True, help="new file (GATEWAY_INTERNAL_TOKEN_…)"
    )
    internal.add_argument(
        "--public-keys", type=Path, required=True, help="PEM file the key is added to"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "keygen":
            kid, private_path, jwks_path = keygen(args.out, args.alg)
            print(f"kid {kid}\nprivate key {private_path}\njwks {jwks_path}")
            return
        if args.command == "internal-keygen":
            kid = internal_keygen(args.private_key, args.public_keys)
            print(f"kid {kid}\nprivate key {args.private_key}\npublic keys {args.public_keys}")
            return
        print(
            mint(
                args.sub,
                name=args.name,
                grants=args.grant,
                member_id=args.member_id,
                ttl_seconds=args.ttl,
                secret=args.secret,
                private_key=args.private_key,
                kid=args.kid,
                issuer=args.issuer,
                audience=args.audience,
            )
        )
    except (ValueError, OSError) as error:
        sys.exit(f"python -m gateway.tokens: {error}")


if __name__ == "__main__":
    main()
