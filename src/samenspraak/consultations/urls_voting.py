"""Voting and managing consultations (owned by the voting part of the app).

Every staff address has a step after the slug (``/beheer/raadplegingen/<slug>/overzicht/``),
so ``/beheer/raadplegingen/importeren/`` of the results part is never taken for a slug.
"""

from django.urls import path

from samenspraak.consultations import views

C = "raadplegingen/<slug:slug>"
M = "beheer/raadplegingen/<slug:slug>"
urlpatterns = [
    # OpenID Connect: one fixed address the provider sends voters back to.
    path("raadplegingen/oidc/terug/", views.oidc_callback, name="oidc_callback"),
    # Residents
    path(f"{C}/", views.consultation_detail, name="detail"),
    path(f"{C}/stemcode/", views.code_enter, name="code"),
    path(f"{C}/e-mail/", views.email_request, name="email_request"),
    path(f"{C}/e-mail/verstuurd/", views.email_sent, name="email_sent"),
    path(f"{C}/e-mail/<str:token>/", views.email_open, name="email_open"),
    path(f"{C}/inloggen/", views.oidc_start, name="oidc_start"),
    path(f"{C}/stemmen/", views.ballot, name="ballot"),
    path(f"{C}/bedankt/", views.thanks, name="thanks"),
    path(f"{C}/stoppen/", views.forget, name="forget"),
    # Staff
    path("beheer/processen/<slug:slug>/raadplegingen/", views.manage_list, name="manage_list"),
    path(
        "beheer/processen/<slug:slug>/raadplegingen/nieuw/",
        views.consultation_create,
        name="create",
    ),
    path(f"{M}/overzicht/", views.manage, name="manage"),
    path(f"{M}/aantal/", views.ballot_count, name="ballot_count"),
    path(f"{M}/instellingen/", views.consultation_edit, name="edit"),
    path(f"{M}/onderdelen/", views.consultation_items, name="items"),
    path(f"{M}/stemcodes/", views.consultation_codes, name="codes"),
    path(f"{M}/publiceren/", views.consultation_publish, name="publish"),
    path(f"{M}/terug-naar-concept/", views.consultation_unpublish, name="unpublish"),
]
