"""The refusals every service's domain raises, standard library only (import-linter lets a
domain import this module and no other of the kit).

`code` is what clients read in `extensions.code` (kit.error_codes puts it there); the keyword
arguments become further extensions, e.g. the field a refusal is about."""

NOT_ALLOWED = "Not allowed for your roles in this part of the organisation"


class DomainError(Exception):
    """A request the domain refuses: bad input unless a subclass says otherwise."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.details = details


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class InvalidTransition(DomainError):
    code = "INVALID_TRANSITION"


class Forbidden(DomainError):
    """Refused by the caller's roles or by a rule of who may do what. The plain refusal says
    nothing of what exists."""

    code = "FORBIDDEN"

    def __init__(self, message: str = NOT_ALLOWED, **details: object) -> None:
        super().__init__(message, **details)
