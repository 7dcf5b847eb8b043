"""Samenspraak: interactive policy-making ending in social tendering, for Dutch municipalities."""

__version__ = "0.1.0"
