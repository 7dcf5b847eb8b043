"""Results, open data, closing and .pb import (owned by the results part of the app)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
