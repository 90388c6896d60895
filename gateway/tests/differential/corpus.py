"""Operations run through both gateways; each names the features it exercises."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Operation:
    id: str
    query: str
    variables: dict[str, Any] = field(default_factory=dict)
    operation_name: str | None = None
