"""Participatory budgeting: the Pabulib ``.pb`` format and the field's voting rules.

Model: ``samenspraak.core.pb.model``; reading and writing ``.pb`` files:
``samenspraak.core.pb.pabulib``; rules: ``samenspraak.core.pb.rules``; fairness measures:
``samenspraak.core.pb.analysis``. Methods: docs/methods/pb-rules.md.
"""

from samenspraak.core.pb.model import Election, Outcome, Project, Vote, VoteType

__all__ = ["Election", "Outcome", "Project", "Vote", "VoteType"]
