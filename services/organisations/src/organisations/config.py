from kit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "organisations"
    port: int = 4001
    dissolution_check_seconds: float = 60.0
    """How often cells whose dissolution takes effect today are marked DISSOLVED."""
