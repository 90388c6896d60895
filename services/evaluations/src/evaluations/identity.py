"""Who is asking: the `x-actor` header (percent-encoded UTF-8 allowed), else the name or subject
of the gateway-verified token."""

import base64
import binascii
import json
from collections.abc import Mapping
from urllib.parse import unquote

ANONYMOUS = "anonymous"


def actor_from_headers(headers: Mapping[str, str]) -> str:
    actor = unquote(headers.get("x-actor") or "").strip()
    if actor:
        return actor
    return _token_subject(headers.get("authorization") or "") or ANONYMOUS


def _token_subject(authorization: str) -> str | None:
    # the gateway verified the token before forwarding it; here we only read whom it names
    scheme, _, token = authorization.partition(" ")
    parts = token.split(".")
    if scheme.lower() != "bearer" or len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, binascii.Error):
        return None
    subject = payload.get("name") or payload.get("sub") if isinstance(payload, dict) else None
    return str(subject) if subject else None
