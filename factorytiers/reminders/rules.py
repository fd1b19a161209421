"""Permissions of the reminders app."""

import rules

from factorytiers.accounts.predicates import in_scope, is_city_officer, is_province_officer

# Every signed-in user keeps their own e-mail choice and calendar link.
rules.add_perm("reminders.edit_preferences", rules.is_authenticated & rules.is_active)
# obj: the Campaign.
rules.add_perm("reminders.edit_campaign_reminders", is_province_officer & in_scope)
# obj: the Task; the enterprises are read from the officer's own scope.
rules.add_perm("reminders.urge_enterprises", is_city_officer & in_scope)
# The pages: who may open them at all (the objects are checked again by the services).
rules.add_perm("reminders.open_urge", is_city_officer)
rules.add_perm("reminders.open_campaign_reminders", is_province_officer)
