"""The requests the domain refuses: the kit's family (standard library only), whose `code`
clients see in `extensions.code`, and the refusals only evaluations has."""

from kit.errors import Conflict, DomainError, Forbidden, InvalidTransition, NotFound

__all__ = [
    "Conflict",
    "DomainError",
    "Forbidden",
    "InvalidTransition",
    "NotFound",
    "PolicyViolation",
    "required_text",
]


class PolicyViolation(DomainError):
    """Finalising against a blocking finding without an override."""

    code = "POLICY_VIOLATION"


def required_text(value: str, name: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise DomainError(f"{name} must not be empty.", field=name)
    return text
