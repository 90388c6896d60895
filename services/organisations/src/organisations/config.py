from kit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "organisations"
    port: int = 4001
