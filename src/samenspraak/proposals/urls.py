"""Proposals, their versions, amendments and comments, and Programmes of Requirements."""

from django.urls import path

from samenspraak.proposals import budget_views, package_views, views

app_name = "proposals"
V = "voorstellen/<slug:slug>"
urlpatterns = [
    # The proposals of a process
    path("processen/<slug:slug>/voorstellen/", views.proposal_list, name="list"),
    path("processen/<slug:slug>/voorstellen/nieuw/", views.proposal_create, name="create"),
    path("processen/<slug:slug>/programma-van-eisen/dekking/", views.coverage, name="coverage"),
    path("processen/<slug:slug>/begroting/", budget_views.budget_page, name="budget"),
    path("beheer/processen/<slug:slug>/voorstellen/", views.manage_list, name="manage_list"),
    # Budget packages
    path("processen/<slug:slug>/pakketten/", package_views.package_list, name="packages"),
    path(
        "processen/<slug:slug>/pakketten/opslaan/",
        package_views.package_save,
        name="package_save",
    ),
    path("pakketten/<int:pk>/", package_views.package_detail, name="package"),
    path("pakketten/<int:pk>/bewerken/", package_views.package_edit, name="package_edit"),
    path("pakketten/<int:pk>/toets/", package_views.package_check, name="package_check"),
    path("pakketten/<int:pk>/status/", package_views.package_transition, name="package_transition"),
    path(
        "pakketten/<int:pk>/voorwaarden/",
        package_views.package_conditions,
        name="package_conditions",
    ),
    # One proposal
    path(f"{V}/", views.proposal_detail, name="detail"),
    path(f"{V}/bewerken/", views.proposal_edit, name="edit"),
    path(f"{V}/status/", views.proposal_transition, name="transition"),
    path(f"{V}/versies/", views.proposal_versions, name="versions"),
    path(f"{V}/versies/vergelijken/", views.proposal_diff, name="diff"),
    path(f"{V}/amendementen/", views.proposal_amendments, name="amendments"),
    path(f"{V}/amendementen/<int:pk>/", views.amendment_decide, name="amendment_decide"),
    path(
        f"{V}/amendementen/<int:pk>/intrekken/",
        views.amendment_withdraw,
        name="amendment_withdraw",
    ),
    path(f"{V}/reacties/", views.comment_create, name="comment_create"),
    path(f"{V}/reacties/<int:pk>/verbergen/", views.comment_hide, name="comment_hide"),
    path(f"{V}/toets/", views.proposal_check, name="check"),
    path(f"{V}/voorwaarden/", views.proposal_conditions, name="conditions"),
    path(f"{V}/beoordeling/", views.proposal_assessment, name="assessment"),
    # Programme of Requirements: the document and its exports
    path(f"{V}/programma-van-eisen/", views.pve_document, name="pve"),
    path(f"{V}/programma-van-eisen.html", views.pve_export, {"fmt": "html"}, name="pve_html"),
    path(f"{V}/programma-van-eisen.csv", views.pve_export, {"fmt": "csv"}, name="pve_csv"),
    path(f"{V}/programma-van-eisen.pdf", views.pve_export, {"fmt": "pdf"}, name="pve_pdf"),
]
