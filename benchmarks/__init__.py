"""Benchmarks of Samenspraak against reference libraries (run with `make bench`, never in tests).

This package runs in its own virtual environment (benchmarks/.venv), which holds the
reference libraries; they are never dependencies of the product.
"""
