"""Navigation by role: each entry appears only when the permission layer allows it.

Entries of one group (``GROUPS``) become a drop-down menu when a role sees two or more of them,
so that every role's navigation fits on one line at 1366 px; a lone entry stays a plain link.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    # (label, url name, permission or None for every logged-in user)
    (_("首页"), "home", None),
    (_("本企业"), "my_enterprise", "enterprises.view_own_enterprise"),
    (_("企业名录"), "enterprises:list", "enterprises.list_enterprises"),
    (_("注册审核"), "registrations:list", "accounts.view_registrations"),
    (_("操作日志"), "accounts:audit_log", "accounts.view_audit_log"),
    (_("年度工作"), "campaigns:list", "campaigns.view_campaign"),
    (_("申报一览"), "campaigns:applications", "campaigns.list_applications"),
    (_("评审任务"), "campaigns:assignments", "campaigns.act_as_expert"),
    (_("通知"), "campaigns:notifications", "campaigns.view_notifications"),
    (_("成熟度自评估"), "assessments:mine", "assessments.take_assessment"),
    (_("自评估情况"), "assessments:overview", "assessments.view_overview"),
    (_("成熟度模型"), "assessments:models", "assessments.manage_model"),
    (_("接口令牌"), "apitokens:list", "api.manage_tokens"),
    (_("统计分析"), "documents:statistics", "documents.view_statistics"),
]

# url name → the drop-down it belongs to; the group sits where its first entry would.
GROUPS = {
    "enterprises:list": _("企业"),
    "registrations:list": _("企业"),
    "assessments:overview": _("企业"),
    "accounts:audit_log": _("系统"),
    "assessments:models": _("系统"),
    "apitokens:list": _("系统"),
    "admin:index": _("系统"),
}


def _entries(request) -> list[tuple]:
    user = request.user
    entries = [
        (label, name, reverse(name))
        for label, name, perm in NAVIGATION
        if perm is None or user.has_perm(perm)
    ]
    if user.is_staff:  # the Django admin of accounts and reference data
        entries.append((_("运维管理"), "admin:index", reverse("admin:index")))
    return entries


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    entries = _entries(request)
    sizes: dict[str, int] = {}
    for _label, name, _url in entries:
        if name in GROUPS:
            sizes[str(GROUPS[name])] = sizes.get(str(GROUPS[name]), 0) + 1
    items: list[dict] = []
    menus: dict[str, dict] = {}
    for label, name, url in entries:
        link = {"label": label, "url": url, "active": request.path == url}
        group = str(GROUPS[name]) if name in GROUPS else None
        if group is None or sizes[group] < 2:
            items.append(link)
        elif group in menus:
            menus[group]["children"].append(link)
            menus[group]["active"] = menus[group]["active"] or link["active"]
        else:
            menus[group] = {"label": GROUPS[name], "children": [link], "active": link["active"]}
            menus[group]["id"] = f"nav-group-{len(menus)}"
            items.append(menus[group])
    return {"navigation": items}
