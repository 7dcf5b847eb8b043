"""Tenders, coalitions, bids and their evaluation (filled in by the tenders app's builder)."""
