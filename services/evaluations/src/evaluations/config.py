from fractions import Fraction

from kit.settings import ServiceSettings

from evaluations.domain import PolicyOptions


class Settings(ServiceSettings):
    service_name: str = "evaluations"
    port: int = 4003
    policy_not_above_workplace_rank: bool = True
    """The derived rule of 21-HD/BTCTW: the cell rank is not above the workplace rank."""
    policy_excellent_quota_2025: bool = True
    """Whether the 20% quota is kept under 366-QĐ/TW (unconfirmed)."""
    policy_excellent_share_percent: int = 20

    @property
    def policy_options(self) -> PolicyOptions:
        return PolicyOptions(
            not_above_workplace_rank=self.policy_not_above_workplace_rank,
            excellent_quota_2025=self.policy_excellent_quota_2025,
            excellent_share=Fraction(self.policy_excellent_share_percent, 100),
        )
