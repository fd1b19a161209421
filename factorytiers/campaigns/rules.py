"""Permissions of the campaign workflow. Object rules are a role and ``in_scope`` (the model's
own scope: province all, city its unit, enterprise its own, expert its assignments)."""

import rules

from factorytiers.accounts.predicates import (
    in_scope,
    is_city_officer,
    is_enterprise_user,
    is_expert,
    is_province_officer,
)
from factorytiers.campaigns.workflow import EDITABLE_STATES


@rules.predicate
def is_editable(user, obj) -> bool:
    return obj is not None and obj.state in EDITABLE_STATES


city_of_it = is_city_officer & in_scope
enterprise_of_it = is_enterprise_user & in_scope
province = is_province_officer
works_on_campaigns = is_enterprise_user | is_city_officer | is_province_officer | is_expert

rules.add_perm("campaigns.view_campaign", works_on_campaigns)
rules.add_perm("campaigns.manage_campaign", province)
rules.add_perm("campaigns.open_task", is_enterprise_user | is_city_officer | province)
rules.add_perm("campaigns.view_application", in_scope)
rules.add_perm("campaigns.create_application", is_enterprise_user)
rules.add_perm("campaigns.edit_application", enterprise_of_it & is_editable)
rules.add_perm("campaigns.submit_application", enterprise_of_it)
rules.add_perm("campaigns.review_application", city_of_it)
rules.add_perm("campaigns.recognize_basic", city_of_it)
# obj: the unit's Submission for the task (saved or not yet).
rules.add_perm("campaigns.rank_applications", city_of_it)
rules.add_perm("campaigns.submit_recommendation", city_of_it)
rules.add_perm("campaigns.select_overseas", city_of_it)
rules.add_perm("campaigns.return_submission", province)
rules.add_perm("campaigns.assign_experts", province)
rules.add_perm("campaigns.fix_list", province)
rules.add_perm("campaigns.open_publicity", province)
rules.add_perm("campaigns.record_recognition", province)
rules.add_perm("campaigns.revoke_recognition", province)
# obj: the ExpertAssignment (the expert's own, without a declared conflict).
rules.add_perm("campaigns.score_application", is_expert & in_scope)
rules.add_perm("campaigns.view_notifications", rules.is_authenticated)
# obj: the Factory.
rules.add_perm("campaigns.view_factory_tiers", in_scope)
rules.add_perm(
    "campaigns.change_factory_scenarios", (is_city_officer | is_enterprise_user) & in_scope
)
# obj: the Enterprise whose overseas factory is proposed.
rules.add_perm("campaigns.propose_overseas", (is_city_officer | is_enterprise_user) & in_scope)

# "May this role open these pages at all"; which object is decided by visible_to and the
# object permissions above, checked again by the services.
rules.add_perm("campaigns.open_application", works_on_campaigns)
# The officers' list of applications (city: its unit; province: all) and its bulk steps; each
# step is checked again per application by the service that takes it.
rules.add_perm("campaigns.list_applications", is_city_officer | province)
rules.add_perm("campaigns.act_as_city", is_city_officer)
rules.add_perm("campaigns.act_as_province", province)
rules.add_perm("campaigns.act_as_expert", is_expert)
rules.add_perm("campaigns.act_as_enterprise", is_enterprise_user)
rules.add_perm("campaigns.open_factory", is_enterprise_user | is_city_officer | province)
rules.add_perm("campaigns.open_overseas", is_enterprise_user | is_city_officer)
