from datetime import date

from kit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "members"
    port: int = 4002
    partyorg_today: date | None = None
