import rules

from factorytiers.accounts.predicates import (
    in_same_unit,
    is_admin,
    is_city_officer,
    is_enterprise_user,
    is_expert,
    is_own_enterprise,
    is_province_officer,
)


@rules.predicate
def is_assigned_expert(user, obj) -> bool:
    if obj is None:
        return False
    if hasattr(obj, "expert_id"):  # an ExpertAssignment
        return obj.expert_id == user.pk
    # An expert who declared a conflict of interest no longer sees the application.
    return obj.assignments.filter(expert=user, has_conflict=False).exists()


@rules.predicate
def is_editable(user, obj) -> bool:
    return obj is not None and obj.state in ("draft", "returned")


city_of_it = is_city_officer & in_same_unit
province = is_province_officer | is_admin

rules.add_perm("campaigns.view_campaign", rules.is_authenticated)
rules.add_perm("campaigns.manage_campaign", province)
rules.add_perm(
    "campaigns.open_task", is_enterprise_user | is_city_officer | is_province_officer | is_admin
)
rules.add_perm(
    "campaigns.view_application",
    province
    | city_of_it
    | (is_enterprise_user & is_own_enterprise)
    | (is_expert & is_assigned_expert),
)
rules.add_perm("campaigns.create_application", is_enterprise_user)
rules.add_perm("campaigns.edit_application", is_enterprise_user & is_own_enterprise & is_editable)
rules.add_perm("campaigns.submit_application", is_enterprise_user & is_own_enterprise)
rules.add_perm("campaigns.review_application", city_of_it | is_admin)
rules.add_perm("campaigns.recognize_basic", city_of_it | is_admin)
rules.add_perm("campaigns.rank_applications", city_of_it | is_admin)
rules.add_perm("campaigns.submit_recommendation", city_of_it | is_admin)
rules.add_perm("campaigns.return_submission", province)
rules.add_perm("campaigns.assign_experts", province)
rules.add_perm("campaigns.fix_list", province)
rules.add_perm("campaigns.open_publicity", province)
rules.add_perm("campaigns.record_recognition", province)
rules.add_perm("campaigns.revoke_recognition", province)
rules.add_perm("campaigns.score_application", is_expert & is_assigned_expert)
rules.add_perm("campaigns.view_assignments", is_expert)
rules.add_perm("campaigns.view_notifications", rules.is_authenticated)
rules.add_perm(
    "campaigns.view_factory_tiers",
    province | city_of_it | (is_enterprise_user & is_own_enterprise),
)
rules.add_perm(
    "campaigns.change_factory_scenarios",
    is_admin | city_of_it | (is_enterprise_user & is_own_enterprise),
)
rules.add_perm(
    "campaigns.propose_overseas", is_admin | city_of_it | (is_enterprise_user & is_own_enterprise)
)
rules.add_perm("campaigns.select_overseas", city_of_it | is_admin)

# "May this role open these pages at all"; which object is decided by visible_to and the
# object permissions above, checked again by the services.
rules.add_perm("campaigns.open_application", rules.is_authenticated)
rules.add_perm("campaigns.act_as_city", is_city_officer | is_admin)
rules.add_perm("campaigns.act_as_province", province)
rules.add_perm("campaigns.act_as_expert", is_expert)
rules.add_perm("campaigns.open_factory", is_enterprise_user | is_city_officer | province)
rules.add_perm("campaigns.open_overseas", is_enterprise_user | is_city_officer | is_admin)
