"""What every request of the gateway shares: the engine in use, the subgraph client, the
authenticator, the identity signer and the persisted queries."""

from __future__ import annotations

import logging

from gateway import metrics
from gateway.apq import PersistedQueries
from gateway.auth import Authenticator
from gateway.coalescing import JOINED_REQUEST_IDS
from gateway.engine import Engine, EngineOptions
from gateway.identity import IDENTITY_HEADER, InternalTokens, SharedIdentities
from gateway.settings import Settings
from gateway.subgraph_client import SubgraphClient
from gateway.supergraph import SupergraphError, load_supergraph

log = logging.getLogger("gateway")

# Never passed on, whatever GATEWAY_FORWARD_HEADERS says: the subgraphs trust only the identity
# the gateway signs, and the HTTP framing is the gateway's own.
NEVER_FORWARDED = frozenset(
    {
        "authorization",
        IDENTITY_HEADER,
        JOINED_REQUEST_IDS,
        "cookie",
        "host",
        "content-length",
        "content-type",
        "transfer-encoding",
        "connection",
    }
)


class GatewayState:
    """The engine in use; replaced as a whole when the supergraph file changes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = SubgraphClient(
            {},
            settings.subgraph_timeouts,
            settings.subgraph_timeout,
            metrics.observe_fetch,
            settings.share_fetches,
            settings.coalesce_fetches,
        )
        self.apq = PersistedQueries(settings.apq_cache_size)
        self.authenticator = Authenticator(settings)
        internal_key = settings.internal_token_private_key  # usable: the authenticator checked
        tokens = InternalTokens(
            internal_key.get_secret_value() if internal_key else "",
            settings.internal_token_ttl_seconds,
        )
        self.identities: InternalTokens | SharedIdentities = (
            tokens
            if settings.identity_per_request
            else SharedIdentities(tokens, settings.request_timeout)
        )
        wanted = [h.strip().lower() for h in settings.forward_headers]
        refused = sorted(set(wanted) & NEVER_FORWARDED)
        if refused:
            log.warning("headers never forwarded to subgraphs", extra={"headers": refused})
        self.forward = tuple(h for h in wanted if h not in NEVER_FORWARDED)
        self.engine = self.load(settings.supergraph.read_text())

    def load(self, sdl: str) -> Engine:
        supergraph = load_supergraph(sdl)
        self.client.urls = {**supergraph.urls, **self.settings.subgraph_urls}
        options = EngineOptions(
            limits=self.settings.limits,
            introspection=self.settings.introspection_enabled,
            mask_subgraph_errors=self.settings.production,
            hide_suggestions=self.settings.production,
            plan_cache_size=self.settings.plan_cache_size,
            coalesce=self.settings.coalesce_fetches and not self.settings.share_fetches,
        )
        return Engine(supergraph, self.client, options)

    def reload(self) -> None:
        try:
            self.engine = self.load(self.settings.supergraph.read_text())
        except (OSError, SupergraphError) as error:
            log.error(
                "supergraph reload failed; keeping the previous one", extra={"error": str(error)}
            )
            return
        log.info("supergraph reloaded", extra={"path": str(self.settings.supergraph)})
