from kit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "members"
    port: int = 4002
