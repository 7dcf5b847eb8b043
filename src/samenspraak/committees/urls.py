from django.urls import path

from samenspraak.committees import views

app_name = "committees"
urlpatterns = [
    # Public pages and the workspace of a committee
    path("comites/<slug:slug>/", views.committee_detail, name="detail"),
    path("comites/<slug:slug>/aanmelden/", views.committee_apply, name="apply"),
    path("comites/<slug:slug>/werkruimte/", views.committee_workspace, name="workspace"),
    path("comites/<slug:slug>/agenda.ics", views.committee_calendar, name="calendar"),
    path("comites/<slug:slug>/volgende-stap/", views.committee_advance, name="advance"),
    path("comites/<slug:slug>/bijeenkomsten/nieuw/", views.meeting_create, name="meeting_create"),
    path("comites/<slug:slug>/bijeenkomsten/<int:pk>/", views.meeting_edit, name="meeting_edit"),
    path("comites/<slug:slug>/berichten/", views.message_create, name="message_create"),
    path(
        "comites/<slug:slug>/berichten/<int:pk>/verwijderen/",
        views.message_delete,
        name="message_delete",
    ),
    path(
        "comites/<slug:slug>/documenten/toevoegen/",
        views.document_upload,
        name="document_upload",
    ),
    path(
        "comites/<slug:slug>/documenten/<uuid:token>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "comites/<slug:slug>/documenten/<uuid:token>/verwijderen/",
        views.document_delete,
        name="document_delete",
    ),
    # An applicant's own status page (the link in their e-mail)
    path("aanmelding/<uuid:token>/", views.application_status, name="application_status"),
    path(
        "aanmelding/<uuid:token>/plaats-niet-aannemen/",
        views.application_seat_decline,
        name="seat_decline",
    ),
    # Knowledge network
    path("processen/<slug:slug>/kennisnetwerk/", views.network_opt_in, name="network_opt_in"),
    path("kennisnetwerk/bevestigen/<uuid:token>/", views.network_confirm, name="network_confirm"),
    path("kennisnetwerk/afmelden/<uuid:token>/", views.network_opt_out, name="network_opt_out"),
    path("beheer/kennisnetwerk/", views.network_search, name="network_search"),
    # Staff: committees of a process, facilitators
    path(
        "beheer/processen/<slug:slug>/comites/",
        views.process_committees,
        name="manage_committees",
    ),
    path(
        "beheer/processen/<slug:slug>/comites/nieuw/",
        views.committee_create,
        name="create_committee",
    ),
    path(
        "beheer/processen/<slug:slug>/procesbegeleiders/",
        views.facilitators,
        name="facilitators",
    ),
    path(
        "beheer/processen/<slug:slug>/procesbegeleiders/handmatig/",
        views.facilitator_override,
        name="facilitator_override",
    ),
    # Staff: one committee
    path("beheer/comites/<slug:slug>/", views.committee_manage, name="manage"),
    path("beheer/comites/<slug:slug>/bewerken/", views.committee_edit, name="edit_committee"),
    path(
        "beheer/comites/<slug:slug>/aanmeldingen/",
        views.committee_applications,
        name="applications",
    ),
    path(
        "beheer/comites/<slug:slug>/aanmeldingen/uitnodigen/",
        views.committee_invite,
        name="invite",
    ),
    path(
        "beheer/comites/<slug:slug>/aanmeldingen/importeren/",
        views.committee_import,
        name="import",
    ),
    path(
        "beheer/comites/<slug:slug>/aanmeldingen/<int:number>/afwijzen/",
        views.application_decline,
        name="application_decline",
    ),
    path(
        "beheer/comites/<slug:slug>/aanmeldingen/<int:number>/terugzetten/",
        views.application_restore,
        name="application_restore",
    ),
    path(
        "beheer/comites/<slug:slug>/leden/<int:number>/plaats-afmelden/",
        views.manage_seat_decline,
        name="manage_seat_decline",
    ),
    path("beheer/comites/<slug:slug>/loting/", views.committee_draw, name="draw"),
    path(
        "beheer/comites/<slug:slug>/loting/nieuw-lotingsgetal/",
        views.committee_new_seed,
        name="new_seed",
    ),
    path("beheer/comites/<slug:slug>/loting/uitslag/", views.draw_result, name="draw_result"),
    path(
        "beheer/comites/<slug:slug>/loting/pool.csv",
        views.draw_file,
        {"kind": "pool"},
        name="draw_pool_csv",
    ),
    path(
        "beheer/comites/<slug:slug>/loting/quota.csv",
        views.draw_file,
        {"kind": "quota"},
        name="draw_quota_csv",
    ),
    path(
        "beheer/comites/<slug:slug>/loting/<int:number>/<str:kind>.csv",
        views.draw_file,
        name="draw_file_of",
    ),
    path(
        "beheer/comites/<slug:slug>/loting/<int:number>/verdeling.json",
        views.draw_distribution,
        name="draw_distribution",
    ),
]
