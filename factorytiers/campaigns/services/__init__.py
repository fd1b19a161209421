"""Writes of the campaign workflow, one module per responsibility (the way Zulip splits its
actions): ``campaigns`` (the year and its tasks), ``applications`` (an enterprise's application
and the steps taken on it one at a time), ``submissions`` (a unit's report of a task and its
overseas list), ``evaluation`` (the province's review, list, 公示 and recognition) and
``factories`` (a factory's scenarios and tier history). Each function checks the permission,
writes in one transaction through ``accounts.writes`` and records the audit entry; side effects
run after the commit."""
