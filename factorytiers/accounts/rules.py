import rules

from .predicates import in_same_unit, is_admin, is_city_officer, is_province_officer, is_staff_like

rules.add_perm("accounts.review_registration", (is_city_officer & in_same_unit) | is_admin)
rules.add_perm("accounts.view_registrations", is_city_officer | is_staff_like)
rules.add_perm("accounts.view_audit_log", is_province_officer | is_admin)
