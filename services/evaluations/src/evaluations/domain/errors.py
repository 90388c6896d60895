"""The requests the domain refuses, each with the code clients see in `extensions.code`."""


class DomainError(Exception):
    """A request the domain refuses; `code` is what clients see in `extensions.code`."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.details = details


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class InvalidTransition(DomainError):
    code = "INVALID_TRANSITION"


class PolicyViolation(DomainError):
    """Finalising against a blocking finding without an override."""

    code = "POLICY_VIOLATION"


def required_text(value: str, name: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise DomainError(f"{name} must not be empty.", field=name)
    return text
