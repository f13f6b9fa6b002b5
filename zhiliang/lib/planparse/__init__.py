"""Plan-document parser (pure library: no Django).

from zhiliang.lib.planparse import parse_document, parse_text
plans = parse_document(data, filename="plan.docx")   # list[Plan]; plan.to_dict() follows the contract
"""

from .model import Deadline, Measure, Plan, Responsible, Section, Target, Task
from .parse import parse_document, parse_text

__all__ = [
    "Deadline",
    "Measure",
    "Plan",
    "Responsible",
    "Section",
    "Target",
    "Task",
    "parse_document",
    "parse_text",
]
