from __future__ import annotations

from decimal import Decimal

import pytest

from samenspraak.accounts.models import Role
from samenspraak.partners import services
from samenspraak.partners.models import PartnerKind, TargetGroup, Theme
from tests.factories import DistrictFactory, MunicipalityFactory


@pytest.fixture
def town(db):
    town = MunicipalityFactory(name="Purmerend", cbs_code="GM0439")
    for name in ("Noord", "Zuid", "Oost"):
        DistrictFactory(municipality=town, name=name)
    return town


@pytest.fixture
def districts(town):
    return {d.name: d for d in town.districts.all()}


@pytest.fixture
def welzijn(staff_user, town, districts):
    return services.partner_create(
        actor=staff_user,
        data={"municipality": town, "name": "Stichting Welzijn", "kind": PartnerKind.WELFARE},
        districts=[districts["Noord"], districts["Zuid"]],
    )


@pytest.fixture
def sport(staff_user, town):
    return services.partner_create(
        actor=staff_user,
        data={"municipality": town, "name": "SV Purmer", "kind": PartnerKind.SPORTS},
    )


@pytest.fixture
def welzijn_rep(user_of_role):
    return user_of_role(Role.PARTNER, full_name="Ria Welzijn", organisation="stichting welzijn ")


@pytest.fixture
def add_service(staff_user, districts):
    def add(partner, name, theme, groups, where, reach=10, cost="1000", subsidy="0"):
        return services.offering_create(
            actor=staff_user,
            partner=partner,
            data={
                "name": name,
                "theme": theme,
                "target_groups": list(groups),
                "reach": reach,
                "yearly_cost": Decimal(cost),
                "subsidy": Decimal(subsidy),
            },
            districts=[districts[d] for d in where],
        )

    return add


__all__ = ["TargetGroup", "Theme"]
