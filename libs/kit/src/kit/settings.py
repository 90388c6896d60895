from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where compose and the Helm chart mount secrets, a file per setting named after it
# (INTERNAL_TOKEN_PUBLIC_KEYS, MONGODB_URL): read there, they never pass through the
# environment. A variable of the same name wins over the file.
SECRETS_DIR = Path("/run/secrets")


def mounted_secrets(folder: Path = SECRETS_DIR) -> Path | None:
    """The folder of secret files when one is mounted; None elsewhere (pydantic-settings
    warns of a secrets folder that does not exist)."""
    return folder if folder.is_dir() else None


class ServiceSettings(BaseSettings):
    """What every service reads from its environment and its secret files; each service sets
    its own defaults."""

    model_config = SettingsConfigDict(extra="ignore", secrets_dir=mounted_secrets())

    service_name: str = "service"
    environment: Literal["development", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 4000
    log_level: str = "INFO"
    partyorg_today: date | None = None
    """PARTYORG_TODAY=2019-09-16 fixes today for the service (kit.clock): deadlines, overdue,
    effective dates, evaluations' timestamps. Give every service the same one."""

    papers_place: str = "Hà Nội"
    """The place on the papers' date line ("Hà Nội, ngày … tháng … năm …")."""

    mongodb_url: str = "mongodb://127.0.0.1:27017/"
    mongodb_database: str = ""
    # the longest a store call waits on its connection for an answer: a connection that died
    # without a word (a half-open TCP connection) fails the call then, SERVICE_UNAVAILABLE,
    # instead of holding it for ever; long enough for the slowest legitimate call (a bulk write)
    mongodb_socket_timeout_seconds: float = 60.0
    # the most connections a process opens to the store, and so its operations at once: FerretDB
    # 1.24 stops for good when all its PostgreSQL connections are taken while it changes its
    # catalogue (a collection or an index made), so the processes together stay well below them
    mongodb_max_pool_size: int = 40

    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    event_exchange: str = "partyorg.events"
    # False where the broker's operator declares the exchanges (compose): the service then only
    # checks they exist, and needs no configure permission on them — it cannot delete them
    declare_exchanges: bool = True
    # the public event stream (kit.public_stream): a RabbitMQ stream bound to the public exchange
    # (every event, its personal data left out) that city systems replay from a time or an
    # offset; RabbitMQ drops its oldest segments once they are older than the age (Y, M, D, h, m
    # or s) or the stream is larger than the bytes
    public_stream_max_age: Annotated[str, Field(pattern=r"^[0-9]+(Y|M|D|h|m|s)$")] = "30D"
    public_stream_max_length_bytes: int = 10_000_000_000
    public_stream_max_segment_size_bytes: int = 100_000_000
    # the most messages a consumer holds unacknowledged, and so the most it applies in one batch
    # (1,024: a batch's own writes, claim and recounts are paid once for more events; 256 applied
    # 1,739-1,824 imported events/s, 1,024 1,990-2,176; bench/pipeline/RESULTS.md)
    consumer_prefetch: int = 1024
    max_deliveries: int = 5
    # how long an event claimed by a batch that never finished (its process stopped) is
    # left to it before another process applies it
    inbox_claim_seconds: float = 60.0
    # how long stopping waits for each of the service's tasks and connections
    stop_seconds: float = 10.0
    outbox_poll_seconds: float = 1.0
    # the most events the relay publishes before awaiting their confirms and removing them
    outbox_batch_size: int = 500
    # how often the relay looks at every document for events it was not told of (another
    # process's, or left by a crash); unset: as the store asks (see kit.outbox)
    outbox_full_scan_seconds: float | None = None

    # the public keys (PEM, one or more: more while a key is rotated) of the private key the
    # gateway signs forwarded identities with (kit.identity); without them every GraphQL request
    # is refused, and production refuses to start
    internal_token_public_keys: str | None = None

    # the secret of the keyed digests of card numbers and citizen IDs (kit.pseudonyms): the
    # same for members, which sends them, and evaluations, which finds people by them
    member_key_secret: str | None = None

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def database_name(self) -> str:
        return self.mongodb_database or f"partyorg_{self.service_name}"

    @property
    def queue_name(self) -> str:
        return f"{self.event_exchange}.{self.service_name}"

    @property
    def public_exchange(self) -> str:
        return f"{self.event_exchange}.public"

    @property
    def public_stream(self) -> str:
        return f"{self.event_exchange}.stream"

    @property
    def event_source(self) -> str:
        return f"/partyorg/{self.service_name}"
