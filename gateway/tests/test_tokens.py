"""`python -m gateway.tokens`: tokens for local use and the demo, key pairs for the JWKS path."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from gateway.identity import Grant, InternalTokens, Principal
from gateway.keys import key_id
from gateway.tokens import mint, parse_duration

SECRET = "a-local-secret-that-is-long-enough-0000"


def tokens_command(*args: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    finished = subprocess.run(
        [sys.executable, "-m", "gateway.tokens", *args],
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return finished.stdout.strip()


def test_mint_signs_hs256_with_the_gateways_secret_issuer_and_audience() -> None:
    token = tokens_command(
        "mint",
        "--sub", "u-ward-7",
        "--name", "Trần Thị B",
        "--grant", "WARD_COMMITTEE@ward-7",
        "--grant", "MEMBER",
        "--member-id", "m-7001",
        "--ttl", "30m",
        GATEWAY_AUTH_SECRET=SECRET,
        GATEWAY_AUTH_ISSUER="partyorg-demo",
        GATEWAY_AUTH_AUDIENCE="partyorg-demo-api",
    )  # fmt: skip
    claims = jwt.decode(
        token, SECRET, algorithms=["HS256"], issuer="partyorg-demo", audience="partyorg-demo-api"
    )
    assert claims["exp"] - claims["iat"] == 1800
    assert abs(claims["iat"] - time.time()) < 60
    assert {k: v for k, v in claims.items() if k not in ("iat", "exp")} == {
        "iss": "partyorg-demo",
        "aud": "partyorg-demo-api",
        "sub": "u-ward-7",
        "name": "Trần Thị B",
        "grants": [{"role": "WARD_COMMITTEE", "organisationId": "ward-7"}, {"role": "MEMBER"}],
        "memberId": "m-7001",
    }


@pytest.mark.parametrize("algorithm", ["ES256", "RS256"])
def test_keygen_publishes_a_jwks_that_verifies_what_mint_signs_with_its_key(
    tmp_path: Path, algorithm: str
) -> None:
    tokens_command("keygen", "--out", str(tmp_path), "--alg", "ES256")
    printed = tokens_command("keygen", "--out", str(tmp_path), "--alg", algorithm)
    kid = printed.split()[1]
    private_key = tmp_path / f"{kid}.pem"
    assert stat.S_IMODE(private_key.stat().st_mode) == 0o600
    jwks: dict[str, Any] = json.loads((tmp_path / "jwks.json").read_text())
    assert len(jwks["keys"]) == 2  # the earlier key stays published: rotation
    [published] = [k for k in jwks["keys"] if k["kid"] == kid]
    assert published["alg"] == algorithm
    assert published["use"] == "sig"
    assert "d" not in published
    token = tokens_command(
        "mint", "--sub", "u-1", "--grant", "AUDITOR", "--private-key", str(private_key)
    )
    header = jwt.get_unverified_header(token)
    assert header["alg"] == algorithm
    assert header["kid"] == kid
    key = jwt.PyJWK(published).key
    claims = jwt.decode(token, key, algorithms=[algorithm], audience="partyorg")
    assert claims["iss"] == "partyorg-local"
    assert claims["grants"] == [{"role": "AUDITOR"}]


def test_mint_refuses_unknown_roles_and_a_missing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="unknown role"):
        mint("u-1", grants=["ADMIN"], secret=SECRET)
    monkeypatch.delenv("GATEWAY_AUTH_SECRET", raising=False)
    with pytest.raises(ValueError, match="GATEWAY_AUTH_SECRET"):
        mint("u-1", grants=["AUDITOR"])


def test_durations_read_as_people_write_them() -> None:
    assert [parse_duration(t) for t in ("90", "90s", "30m", "8h", "7d")] == [
        90,
        90,
        1800,
        28800,
        604800,
    ]


def test_internal_keygen_adds_a_key_the_services_trust_beside_those_they_had(
    tmp_path: Path,
) -> None:
    """A rotation's first step: the new private key in a new file, its public key added to
    the services' PEM file; the old key's tokens still verify, and so do the new key's."""
    public_keys = tmp_path / "internal_token_public_keys.pem"
    old, new = tmp_path / "old.pem", tmp_path / "new.pem"
    kids = [
        tokens_command(
            "internal-keygen", "--private-key", str(path), "--public-keys", str(public_keys)
        ).split()[1]
        for path in (old, new)
    ]
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert public_keys.read_text().count("BEGIN PUBLIC KEY") == 2
    for path, kid in zip((old, new), kids, strict=True):
        signer = InternalTokens(path.read_text(), 60)
        assert signer.kid == kid
        token = signer.sign(Principal("u-1", grants=(Grant("AUDITOR"),)), "req-1")
        public_key = signer.key.public_key()
        pem = public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        assert pem.decode() in public_keys.read_text()
        claims = jwt.decode(token, public_key, algorithms=["EdDSA"], audience="partyorg-subgraphs")
        assert claims["sub"] == "u-1" and claims["rid"] == "req-1"
    with pytest.raises(subprocess.CalledProcessError):  # never over an existing private key
        tokens_command(
            "internal-keygen", "--private-key", str(old), "--public-keys", str(public_keys)
        )


def test_an_ed25519_kid_is_the_rfc_7638_thumbprint_the_services_compute() -> None:
    """RFC 8037, appendix A.3: the thumbprint of its example Ed25519 key."""
    raw = base64.urlsafe_b64decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
    assert key_id(Ed25519PublicKey.from_public_bytes(raw)) == (
        "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    )
