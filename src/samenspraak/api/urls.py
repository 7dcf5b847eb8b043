"""/api/v1/: one URL per operation, served by the apps' ``api.py``; OpenAPI at schema/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from samenspraak.processes import api as processes_api

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
]
