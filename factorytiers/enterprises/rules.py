"""Permissions of the enterprise registry. ``in_scope`` is the model's own scope (province: all,
city: its unit, enterprise: itself); the operator is in no enterprise's scope."""

import rules

from factorytiers.accounts.predicates import (
    in_scope,
    is_city_officer,
    is_enterprise_user,
    is_province_officer,
)

officers = is_city_officer | is_province_officer

# Lists and exports: officers see their scope (visible_to narrows it to their unit).
rules.add_perm("enterprises.list_enterprises", officers)
rules.add_perm("enterprises.export_enterprises", officers)
rules.add_perm("enterprises.add_enterprise", officers)
# Bulk import of the statistics bureau's registry (a city officer: rows of its own unit).
rules.add_perm("enterprises.import_registry", officers)
# Put an enterprise in any unit (a city officer's enterprises are in its own unit).
rules.add_perm("enterprises.choose_unit", is_province_officer)

# Object permissions; obj is an Enterprise.
rules.add_perm("enterprises.view_enterprise", in_scope)
rules.add_perm("enterprises.change_enterprise", in_scope)
# Factories are declared by the enterprise or its city officer (obj: the Enterprise).
rules.add_perm("enterprises.change_factories", (is_city_officer | is_enterprise_user) & in_scope)

# "May this role open enterprise pages at all"; which enterprise is decided by visible_to.
rules.add_perm("enterprises.open_enterprise", officers | is_enterprise_user)
rules.add_perm("enterprises.view_own_enterprise", is_enterprise_user)

# Identity and rights (credit code, 揭榜 winner flag): never the enterprise itself.
rules.add_perm("enterprises.change_officer_fields", officers & in_scope)
