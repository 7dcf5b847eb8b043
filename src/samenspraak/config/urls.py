from django.contrib import admin
from django.urls import include, path

from samenspraak.common import views as common_views
from samenspraak.processes import views as process_views

urlpatterns = [
    path("", process_views.home, name="home"),
    path("toegankelijkheid/", common_views.accessibility, name="accessibility"),
    path("gezond/", common_views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("samenspraak.accounts.urls")),
    path("", include("samenspraak.processes.urls")),
    path("", include("samenspraak.committees.urls")),
    path("", include("samenspraak.proposals.urls")),
    path("", include("samenspraak.consultations.urls")),
    path("", include("samenspraak.partners.urls")),
    path("", include("samenspraak.tenders.urls")),
    path("api/v1/", include("samenspraak.api.urls")),
    path("admin/", admin.site.urls),
]
