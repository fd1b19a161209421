"""Permissions of the statistics, the unit's forms and report, and the material packages.

Role-level permissions decide whether a page may be opened at all; which unit's data is found is
decided by the scopes (``reporting_units_for`` and the models' ``visible_to``): a city officer
only ever reaches their own unit, the province every unit. Object permissions are checked again
by the services before a write.
"""

import rules

from factorytiers.accounts.predicates import in_scope, is_city_officer, is_province_officer

officers = is_city_officer | is_province_officer

rules.add_perm("documents.view_statistics", officers)
rules.add_perm("documents.open_unit_forms", officers)
rules.add_perm("documents.build_package", officers)
# The report's prose is the city's: only its own officers write it (obj: a ReportDraft).
rules.add_perm("documents.write_report", is_city_officer)
rules.add_perm("documents.change_report", is_city_officer & in_scope)
# The province's roll-up of a table across every unit.
rules.add_perm("documents.view_rollup", is_province_officer)
# The province publishes each 公示 batch's list.
rules.add_perm("documents.publish_list", is_province_officer)
