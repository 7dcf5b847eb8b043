"""Tenders, coalitions, bids and their evaluation."""

from django.urls import path

from samenspraak.tenders import views

app_name = "tenders"

urlpatterns = [
    path("aanbestedingen/", views.tender_list, name="list"),
    path("aanbestedingen/nieuw/", views.tender_create, name="create"),
    path("aanbestedingen/<int:pk>/", views.tender_detail, name="detail"),
    path("aanbestedingen/<int:pk>/publiceren/", views.tender_publish, name="publish"),
    path("aanbestedingen/<int:pk>/panel/", views.panel, name="panel"),
    path("aanbestedingen/<int:pk>/beoordeling/", views.evaluation, name="evaluation"),
    path("coalities/nieuw/", views.coalition_create, name="coalition_create"),
    path("coalities/<int:pk>/", views.coalition_detail, name="coalition"),
    path("coalities/leden/<int:pk>/antwoord/", views.invitation_respond, name="invitation_respond"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
    path("coalities/<int:pk>/inschrijving/", views.bid_edit, name="bid_edit"),
    path("inschrijvingen/<int:pk>/", views.bid_detail, name="bid"),
    path("inschrijvingen/<int:pk>/indienen/", views.bid_submit, name="bid_submit"),
    path("aanbestedingen/<int:pk>/overeenkomst/", views.agreement_create, name="agreement_create"),
    path("overeenkomsten/<int:pk>/", views.agreement_detail, name="agreement"),
    path("overeenkomsten/<int:pk>/indicator/", views.indicator_add, name="indicator_add"),
    path("indicatoren/<int:pk>/meting/", views.indicator_report, name="indicator_report"),
]
