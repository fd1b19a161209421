import rules

from .predicates import in_scope, is_admin, is_city_officer, is_province_officer

# A registration binds a person to an enterprise: the city officer of its unit decides.
rules.add_perm("accounts.review_registration", is_city_officer & in_scope)
rules.add_perm("accounts.review_registrations", is_city_officer)  # the role may review at all
rules.add_perm("accounts.view_registrations", is_city_officer | is_province_officer | is_admin)
rules.add_perm("accounts.view_audit_log", is_province_officer | is_admin)
# Anyone signed in may follow an export they asked for; the job is found only by its owner.
rules.add_perm("accounts.follow_exports", rules.is_authenticated)
