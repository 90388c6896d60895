"""What the identity the gateway forwards costs: signing it at the gateway, once a request, and
verifying it in a subgraph, once a subgraph fetch — EdDSA (Ed25519) as it is now, against the
HS256 over a shared secret it replaced (reproduced here as it was: hand-encoded with hmac at the
gateway, PyJWT in the subgraphs).

    uv run python bench/identity/run.py [--rounds 5] [--number 2000]

Prints microseconds per token (best of the rounds) and the ratios to HS256; "token seen before":
a subgraph remembers the tokens it verified (kit.identity_verification.VerifiedTokens), as the
fetches of one request to it carry the same token."""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import secrets
import timeit
from collections.abc import Callable

import jwt
import orjson
from gateway.identity import Grant, InternalTokens, Principal
from gateway.tokens import internal_key_pair
from kit.identity import AUDIENCE, ISSUER
from kit.identity_verification import GatewayKeys, VerifiedTokens, verify_internal

CALLER = Principal(
    "u-7f3a",
    "Nguyễn Văn A",
    (Grant("WARD_COMMITTEE", "HN-BD-KM"), Grant("CELL_SECRETARY", "HN-BD-KM-01")),
    "pm-1",
)
SECRET = secrets.token_urlsafe(48)


def _b64(raw: bytes) -> bytes:
    return base64.urlsafe_b64encode(raw).rstrip(b"=")


HS256_HEADER = _b64(orjson.dumps({"alg": "HS256", "typ": "JWT"}))


def hs256_signer(signer: InternalTokens) -> Callable[[Principal, str], str]:
    """The gateway's signer as it was: the same claims, HMAC-SHA256 over the shared secret."""

    def sign(principal: Principal, request_id: str) -> str:
        signing_input = (
            HS256_HEADER + b"." + _b64(orjson.dumps(signer.claims(principal, request_id)))
        )
        signature = hmac.new(SECRET.encode(), signing_input, hashlib.sha256).digest()
        return (signing_input + b"." + _b64(signature)).decode()

    return sign


def hs256_verify(token: str) -> object:
    return jwt.decode(
        token,
        SECRET,
        algorithms=["HS256"],
        audience=AUDIENCE,
        issuer=ISSUER,
        leeway=5,
        options={"require": ["exp", "iat", "iss", "aud", "sub"]},
    )


def microseconds(call: Callable[[], object], rounds: int, number: int) -> float:
    return min(timeit.repeat(call, number=number, repeat=rounds)) / number * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args()
    private_pem, public_pem = internal_key_pair()
    signer = InternalTokens(private_pem, 60)
    hs256_sign = hs256_signer(signer)
    kid = {"kid": signer.kid}
    keys = GatewayKeys.from_pem(public_pem)
    hs256_token, eddsa_token = hs256_sign(CALLER, "rid-1"), signer.sign(CALLER, "rid-1")
    remembered = VerifiedTokens(keys)
    remembered.verify(eddsa_token)

    def measure(call: Callable[[], object]) -> float:
        return microseconds(call, args.rounds, args.number)

    # interleaved, so that a busy machine weighs on both alike
    figures = {
        "sign (gateway)": (
            measure(lambda: hs256_sign(CALLER, "rid-1")),
            measure(lambda: signer.sign(CALLER, "rid-1")),
        ),
        "sign with PyJWT instead": (
            measure(lambda: hs256_sign(CALLER, "rid-1")),
            measure(lambda: jwt.encode(signer.claims(CALLER, "rid-1"), signer.key, "EdDSA", kid)),
        ),
        "verify (subgraph)": (
            measure(lambda: hs256_verify(hs256_token)),
            measure(lambda: verify_internal(eddsa_token, keys)),
        ),
        "verify, token seen before": (
            measure(lambda: hs256_verify(hs256_token)),
            measure(lambda: remembered.verify(eddsa_token)),
        ),
    }
    print(f"{'':28}{'HS256 µs':>10}{'EdDSA µs':>10}{'ratio':>8}")
    for name, (before, after) in figures.items():
        print(f"{name:28}{before:10.1f}{after:10.1f}{after / before:8.2f}")


if __name__ == "__main__":
    main()
