from django.urls import path

from samenspraak.processes import views

app_name = "processes"
urlpatterns = [
    path("processen/", views.process_list, name="list"),
    path("processen/<slug:slug>/", views.process_detail, name="detail"),
    path("beheer/", views.dashboard, name="dashboard"),
    path("beheer/processen/nieuw/", views.process_create, name="create"),
    path("beheer/processen/<slug:slug>/", views.process_edit, name="edit"),
    path("beheer/processen/<slug:slug>/fasen/", views.phases_edit, name="phases"),
    path(
        "beheer/processen/<slug:slug>/huidige-fase/",
        views.process_set_current_phase,
        name="set_current_phase",
    ),
    path("beheer/processen/<slug:slug>/themas/", views.themes_edit, name="themes"),
    path("beheer/processen/<slug:slug>/kaders/", views.framework_edit, name="framework"),
    path("beheer/processen/<slug:slug>/geschiedenis/", views.process_history, name="history"),
]
