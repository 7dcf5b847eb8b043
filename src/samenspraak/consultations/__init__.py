"""Consultations that measure support: polls over proposals, participatory-budget votes and
a budget simulator, each with verified one-person-one-ballot voting."""
