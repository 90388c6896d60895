"""Gateway settings, from GATEWAY_* environment variables, secret files or the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from gateway.limits import OperationLimits

LOCAL_ISSUER = "partyorg-local"
LOCAL_AUDIENCE = "partyorg"
# Where compose and the Helm chart mount secrets, a file per setting named after its variable
# (GATEWAY_INTERNAL_TOKEN_PRIVATE_KEY): read there, never through the environment; a variable
# of the same name wins. Unset where there is no such folder (pydantic-settings warns of it).
SECRETS_DIR = Path("/run/secrets")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_",
        extra="ignore",
        secrets_dir=SECRETS_DIR if SECRETS_DIR.is_dir() else None,
    )

    supergraph: Path = Path("gateway/supergraph.graphql")
    host: str = "0.0.0.0"
    port: int = 4000
    subgraph_urls: dict[str, str] = Field(default_factory=dict)
    subgraph_timeouts: dict[str, float] = Field(default_factory=dict)
    subgraph_timeout: float = 10.0
    request_timeout: float = 30.0  # the whole plan's fetches; the identity token must outlive it
    production: bool = False
    introspection: bool | None = None
    forward_headers: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["x-request-id"]
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_depth: int = 15
    max_aliases: int = 30
    max_root_fields: int = 20
    max_tokens: int = 5000
    max_body_bytes: int = 4_000_000  # a bulk import of 5,000 rows is about 2 MB
    apq_cache_size: int = 10_000
    plan_cache_size: int = 1_000
    watch_supergraph: bool = True
    log_level: str = "INFO"
    # Processes answering requests (`python -m gateway`); None: one per CPU this process may use.
    workers: int | None = Field(default=None, ge=1)
    # How long uvicorn's supervisor waits for a worker's answer before it kills it as hung. A
    # worker answers only once its interpreter has started and imported uvicorn: on a loaded
    # machine that took over uvicorn's own 5 s, and every worker was killed as it started.
    worker_healthcheck_seconds: int = Field(default=60, ge=1)
    # /metrics on a port of its own (`python -m gateway`), kept off the public one: set, the
    # public port answers /metrics with 404. None: /metrics beside /graphql.
    metrics_port: int | None = None
    metrics_host: str = "0.0.0.0"

    # Who may call: the callers' JWTs and the keys that sign them.
    auth_issuer: str | None = None
    auth_audience: str | None = None
    auth_jwks_file: Path | None = None
    auth_jwks_url: str | None = None
    auth_jwks_cache_seconds: float = 300.0
    auth_jwks_min_refresh_seconds: float = 10.0
    auth_secret: SecretStr | None = None
    auth_leeway_seconds: float = 30.0
    # What the subgraphs trust: the gateway's own short-lived token, signed with this Ed25519
    # private key (PEM); the subgraphs hold its public key.
    internal_token_private_key: SecretStr | None = None
    internal_token_ttl_seconds: int = 60
    # False: one token per caller, reused while it outlives a request
    # (identity.SharedIdentities); True: a token per request, naming it (`rid`).
    identity_per_request: bool = False
    # True: identical query fetches in flight at once (same caller) share one subgraph request
    # (shared_fetches.py); each subgraph then logs one read, under the first request's id.
    share_fetches: bool = False
    # True: a caller's identical queries, and identical query fetches, asked in one turn of the
    # event loop are done once, the subgraph request naming every request it answers
    # (coalescing.py), so that each subgraph still logs a read for each request.
    coalesce_fetches: bool = True

    @field_validator("forward_headers", "cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        """Accepts `a,b` as well as a JSON list from the environment."""
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator(
        "auth_issuer",
        "auth_audience",
        "auth_jwks_file",
        "auth_jwks_url",
        "auth_secret",
        "internal_token_private_key",
        "introspection",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        """`GATEWAY_AUTH_JWKS_URL=` (compose's `${VAR:-}`) means not set, not the empty string."""
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def issuer(self) -> str:
        """The issuer callers' tokens must name; production sets it, development has one."""
        return self.auth_issuer or LOCAL_ISSUER

    @property
    def audience(self) -> str:
        return self.auth_audience or LOCAL_AUDIENCE

    @property
    def introspection_enabled(self) -> bool:
        return self.introspection if self.introspection is not None else not self.production

    @property
    def worker_count(self) -> int:
        return self.workers or len(os.sched_getaffinity(0))

    @property
    def limits(self) -> OperationLimits:
        return OperationLimits(
            max_depth=self.max_depth,
            max_aliases=self.max_aliases,
            max_root_fields=self.max_root_fields,
            max_tokens=self.max_tokens,
        )
