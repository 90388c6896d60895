from kit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "evaluations"
    port: int = 4003
