"""Participatory budgeting: the Pabulib ``.pb`` format and the field's voting rules.

Model: ``samenspraak.core.pb.model``; reading and writing ``.pb`` files:
``samenspraak.core.pb.pabulib``; rules: ``samenspraak.core.pb.rules``; fairness measures:
``samenspraak.core.pb.analysis``. Methods: docs/methods/pb-rules.md.
"""

from samenspraak.core.pb.model import Election, Outcome, Project, Vote, VoteType
from samenspraak.core.pb.pabulib import PbStream, dump_pb, iter_pb, read_pb, write_pb

__all__ = [
    "Election",
    "Outcome",
    "PbStream",
    "Project",
    "Vote",
    "VoteType",
    "dump_pb",
    "iter_pb",
    "read_pb",
    "write_pb",
]
