"""Plans an operation: which subgraph resolves each field, and the entity fetches between them."""

from gateway.planner.position import PlanningError
from gateway.planner.root import Planner, plan_operation

__all__ = ["Planner", "PlanningError", "plan_operation"]
