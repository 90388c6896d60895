"""Domain errors: the kit's family (standard library only), whose `code` clients see in
`extensions.code`."""

from kit.errors import Conflict, DomainError, Forbidden, InvalidTransition, NotFound

__all__ = ["Conflict", "DomainError", "Forbidden", "InvalidTransition", "NotFound"]
