"""Consultation URLs: voting and management in ``urls_voting``, results in ``urls_results``."""

from samenspraak.consultations import urls_results, urls_voting

app_name = "consultations"

urlpatterns = [*urls_voting.urlpatterns, *urls_results.urlpatterns]
