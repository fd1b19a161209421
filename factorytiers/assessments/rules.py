"""Permissions of the maturity self-assessment, named from the shared predicates.

Role-level permissions (no object) decide whether a view may be opened at all; which assessment
or result is found is decided by ``visible_to``. Object permissions are checked by the services.
"""

import rules

from factorytiers.accounts.predicates import (
    in_scope,
    is_admin,
    is_city_officer,
    is_enterprise_user,
    is_province_officer,
)


@rules.predicate
def is_draft(user, assessment) -> bool:
    return assessment is not None and assessment.is_draft


officers = is_city_officer | is_province_officer

# Pages about one assessment or result: the enterprise, its city, the province.
rules.add_perm("assessments.open_assessment", is_enterprise_user | officers)
rules.add_perm("assessments.view_assessment", in_scope)

# Answering: only the enterprise's own users, only while the assessment is a draft.
rules.add_perm("assessments.take_assessment", is_enterprise_user)
rules.add_perm("assessments.change_assessment", is_enterprise_user & in_scope & is_draft)
# Starting an assessment or entering a platform result for an enterprise (obj: Enterprise).
rules.add_perm("assessments.assess_enterprise", is_enterprise_user & in_scope)

# National-platform results in bulk: officers, for the enterprises of their scope.
rules.add_perm("assessments.import_results", officers)
rules.add_perm("assessments.import_result_for", officers & in_scope)

# Who has assessed and who has not.
rules.add_perm("assessments.view_overview", officers)

# The model itself: editions, item-bank import, activation (reference data: the operator).
rules.add_perm("assessments.manage_model", is_admin)
