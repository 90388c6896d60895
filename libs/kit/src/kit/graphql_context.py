"""What every resolver finds in `info.context`, typed: the service's use cases, who is asking
(the principal the gateway vouched for), the personal-data access log, and whether errors are
masked. A service names its context once and extends it with what one request keeps (its
loaders, its caller's rights) as cached properties:

    @dataclass(kw_only=True, eq=False)
    class EvaluationsContext(ServiceContext[UseCases]):
        @cached_property
        def guard(self) -> Guard: ...

    Context = Info[EvaluationsContext, None]   # resolvers read info.context.use_cases.roster
"""

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from strawberry.fastapi import BaseContext

from kit.access_log import AccessLog, PersonalReads
from kit.identity import Principal

UseCases = TypeVar("UseCases")


@dataclass(kw_only=True, eq=False)
class ServiceContext(BaseContext, Generic[UseCases]):
    use_cases: UseCases
    principal: Principal
    access_log: AccessLog
    production: bool = False
    personal_reads: PersonalReads = field(default_factory=PersonalReads)
    """The personal fields this request read, logged when it ends (kit.access_log)."""

    def __post_init__(self) -> None:
        super().__init__()  # the request and response, which the GraphQL router sets

    @property
    def actor(self) -> str:
        """Who is asking, as the gateway forwarded it: the principal's display name."""
        return self.principal.display_name
