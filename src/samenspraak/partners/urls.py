"""Partners and their offering: the register, the offering and its analyses."""

from django.urls import path

from samenspraak.partners import views

app_name = "partners"

urlpatterns = [
    path("partners/", views.partner_list, name="list"),
    path("partners/nieuw/", views.partner_create, name="create"),
    path("partners/<int:pk>/", views.partner_detail, name="detail"),
    path("partners/<int:pk>/bewerken/", views.partner_edit, name="edit"),
    path("partners/<int:pk>/verwijderen/", views.partner_delete, name="delete"),
    path("partners/<int:pk>/aanbod/nieuw/", views.offering_create, name="offering_create"),
    path("partners/<int:pk>/aanbod/importeren/", views.offering_import, name="offering_import"),
    path(
        "partners/<int:pk>/aanbod/sjabloon.<str:kind>",
        views.offering_template,
        name="offering_template",
    ),
    path("partners/aanbod/<int:pk>/bewerken/", views.offering_edit, name="offering_edit"),
    path("partners/aanbod/<int:pk>/verwijderen/", views.offering_delete, name="offering_delete"),
    path("partners/aanbod/", views.coverage_view, name="coverage"),
    path("partners/aanbod/hiaten/", views.gaps_view, name="gaps"),
    path("partners/aanbod/overlap/", views.overlaps_view, name="overlaps"),
    path("partners/aanbod/kosten/", views.cost_view, name="cost"),
    path("partners/netwerk/", views.network_view, name="network"),
]
