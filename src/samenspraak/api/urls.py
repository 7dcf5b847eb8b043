"""/api/v1/: one URL per operation, served by the apps' ``api.py``; OpenAPI at schema/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from samenspraak.committees import api as committees_api
from samenspraak.consultations import api as consultations_api
from samenspraak.processes import api as processes_api
from samenspraak.proposals import api as proposals_api

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("processes/", processes_api.ProcessListApi.as_view(), name="process-list"),
    path("processes/<slug:slug>/", processes_api.ProcessDetailApi.as_view(), name="process-detail"),
    path(
        "processes/<slug:slug>/framework/",
        processes_api.FrameworkUpdateApi.as_view(),
        name="framework-update",
    ),
    path("committees/", committees_api.CommitteeListApi.as_view(), name="committee-list"),
    path(
        "committees/<slug:slug>/",
        committees_api.CommitteeDetailApi.as_view(),
        name="committee-detail",
    ),
    path(
        "processes/<slug:slug>/proposals/",
        proposals_api.ProposalListApi.as_view(),
        name="proposal-list",
    ),
    path(
        "proposals/<slug:slug>/", proposals_api.ProposalDetailApi.as_view(), name="proposal-detail"
    ),
    path(
        "proposals/<slug:slug>/versions/",
        proposals_api.ProposalVersionsApi.as_view(),
        name="proposal-versions",
    ),
    path("processes/<slug:slug>/budget/", proposals_api.BudgetApi.as_view(), name="budget"),
    path(
        "processes/<slug:slug>/packages/",
        proposals_api.PackageListApi.as_view(),
        name="package-list",
    ),
    path("packages/<int:pk>/", proposals_api.PackageDetailApi.as_view(), name="package-detail"),
    path(
        "consultations/", consultations_api.ConsultationListApi.as_view(), name="consultation-list"
    ),
    path(
        "consultations/<slug:slug>/",
        consultations_api.ConsultationDetailApi.as_view(),
        name="consultation-detail",
    ),
    path(
        "consultations/<slug:slug>/results/",
        consultations_api.ConsultationResultsApi.as_view(),
        name="consultation-results",
    ),
]
