"""Voting and managing consultations (owned by the voting part of the app)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
