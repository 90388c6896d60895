"""Domain errors; `code` is what clients see in `extensions.code`."""


class DomainError(Exception):
    """A request the domain refuses."""

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
