import rules

from factorytiers.accounts.predicates import is_admin

# Machine tokens are accounts: the operator issues and revokes them.
rules.add_perm("api.manage_tokens", is_admin)
