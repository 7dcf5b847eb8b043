"""Results, open data, closing and .pb import (owned by the results part of the app)."""

from django.urls import path

from samenspraak.consultations import results_views as views

R = "raadplegingen/<slug:slug>"
urlpatterns = [
    path(f"{R}/uitslag/", views.results_page, name="results"),
    path(f"{R}/uitslag/sluiten/", views.close, name="close"),
    path(f"{R}/uitslag/uitslag.csv", views.download_csv, name="results_csv"),
    path(f"{R}/uitslag/uitslag.json", views.download_json, name="results_json"),
    path(f"{R}/uitslag/stemmen.pb", views.download_pb, name="results_pb"),
    path(f"{R}/simulator-analyse/", views.simulator_analysis, name="simulator_analysis"),
    path("beheer/raadplegingen/importeren/", views.import_pb, name="import_pb"),
]
