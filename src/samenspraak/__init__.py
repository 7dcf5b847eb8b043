"""Samenspraak: interactive policy-making that ends in social tendering, for Dutch municipalities."""

__version__ = "0.1.0"
