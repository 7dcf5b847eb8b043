"""The pure-Python engine of Samenspraak.

Nothing here imports Django, settings, the database, the clock or the network; an
import-linter contract (pyproject.toml) fails the test run otherwise.
"""
