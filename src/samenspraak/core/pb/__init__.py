"""Participatory budgeting: the Pabulib ``.pb`` format and the field's voting rules.

Model: ``samenspraak.core.pb.model``; reading and writing ``.pb`` files:
``samenspraak.core.pb.pabulib``; rules: ``samenspraak.core.pb.rules``; fairness measures:
``samenspraak.core.pb.analysis``. Methods: docs/methods/pb-rules.md.
"""

from samenspraak.core.pb.analysis import Analysis, analyse
from samenspraak.core.pb.model import Election, Outcome, Project, Vote, VoteType
from samenspraak.core.pb.pabulib import PbStream, dump_pb, iter_pb, read_pb, write_pb
from samenspraak.core.pb.rules import RULES, tally

__all__ = [
    "RULES",
    "Analysis",
    "Election",
    "Outcome",
    "PbStream",
    "Project",
    "Vote",
    "VoteType",
    "analyse",
    "dump_pb",
    "iter_pb",
    "read_pb",
    "tally",
    "write_pb",
]
