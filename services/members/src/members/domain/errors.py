"""What the domain refuses: the kit's family (standard library only), whose `code` clients
read in `extensions.code`."""

from kit.errors import Conflict, DomainError, InvalidTransition, NotFound

__all__ = ["Conflict", "DomainError", "InvalidTransition", "NotFound"]
