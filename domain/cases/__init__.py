"""Cases: the closed loop from report to evaluation."""

from domain.cases.case import Case, actor_level
from domain.cases.intake import Report, case_id
from domain.cases.stages import Channel, Level, Stage

__all__ = ["Case", "Channel", "Level", "Report", "Stage", "actor_level", "case_id"]
