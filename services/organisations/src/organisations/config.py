from datetime import date

from kit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "organisations"
    port: int = 4001
    partyorg_today: date | None = None
    """PARTYORG_TODAY=2019-09-16 fixes the service's today (deadlines, overdue, effective dates)."""
    dissolution_check_seconds: float = 60.0
    """How often cells whose dissolution takes effect today are marked DISSOLVED."""
