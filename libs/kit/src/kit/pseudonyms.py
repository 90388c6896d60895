"""Keyed digests of the personal keys other systems know a person by — a party card number, a
citizen ID [CCCD] — so that a service that must find a person by such a key can be told the
digest where the key itself must not travel (events, logs).

HMAC-SHA256 under a secret the services share (`MEMBER_KEY_SECRET`): without the secret a
digest tells nothing of the key and a guess cannot be tested, so it adds nothing to the
member id it travels with. Whoever holds the secret can test guesses (a card number or a
12-digit citizen ID is a small space): it is kept like a private key, and changing it means
sending every member's digests again (an `updateMember`, or an import, re-sends them).
"""

import hashlib
import hmac
from enum import Enum

DEVELOPMENT_SECRET = "partyorg-development-member-keys"  # refused in production (kit.settings)


class KeyKind(Enum):
    CARD_NUMBER = "cardNumber"
    CITIZEN_ID = "citizenId"


class KeyDigests:
    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()

    def of(self, kind: KeyKind, key: str) -> str:
        """The digest of a key as written (spaces around it ignored), told apart by its kind."""
        message = f"{kind.value}:{key.strip()}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def of_keys(self, card_number: str, citizen_id: str | None) -> dict[str, str | None]:
        """The `keyDigests` of a member's events."""
        return {
            "cardNumber": self.of(KeyKind.CARD_NUMBER, card_number),
            "citizenId": self.of(KeyKind.CITIZEN_ID, citizen_id) if citizen_id else None,
        }


def configured(secret: str | None, production: bool) -> KeyDigests:
    """The digests under `MEMBER_KEY_SECRET`; development has a fixed one, production none."""
    if secret:
        return KeyDigests(secret)
    if production:
        raise RuntimeError("MEMBER_KEY_SECRET must be set in production")
    return KeyDigests(DEVELOPMENT_SECRET)
