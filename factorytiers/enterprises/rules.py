import rules

from factorytiers.accounts.predicates import (
    in_same_unit,
    is_admin,
    is_city_officer,
    is_enterprise_user,
    is_own_enterprise,
    is_province_officer,
)

# Lists and exports: officers see their scope (visible_to narrows it to their unit).
rules.add_perm("enterprises.list_enterprises", is_city_officer | is_province_officer | is_admin)
rules.add_perm("enterprises.export_enterprises", is_city_officer | is_province_officer | is_admin)
rules.add_perm("enterprises.add_enterprise", is_city_officer | is_province_officer | is_admin)

# Object permissions; obj is an Enterprise (or None for "may this role ever").
can_see_enterprise = (
    is_province_officer
    | is_admin
    | (is_city_officer & in_same_unit)
    | (is_enterprise_user & is_own_enterprise)
)
rules.add_perm("enterprises.view_enterprise", can_see_enterprise)
rules.add_perm(
    "enterprises.change_enterprise",
    is_admin
    | is_province_officer
    | (is_city_officer & in_same_unit)
    | (is_enterprise_user & is_own_enterprise),
)
# Factories are declared by the enterprise or its city officer.
rules.add_perm(
    "enterprises.change_factories",
    is_admin | (is_city_officer & in_same_unit) | (is_enterprise_user & is_own_enterprise),
)

# "May this role open enterprise pages at all"; which enterprise is decided by visible_to.
rules.add_perm(
    "enterprises.open_enterprise",
    is_city_officer | is_province_officer | is_admin | is_enterprise_user,
)
rules.add_perm("enterprises.view_own_enterprise", is_enterprise_user)

# Identity and rights (credit code, 揭榜 winner flag): never the enterprise itself.
rules.add_perm(
    "enterprises.change_officer_fields",
    is_admin | is_province_officer | (is_city_officer & in_same_unit),
)
