"""Navigation by role: each entry appears only when the permission layer allows it."""

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
    (_("统计分析"), "documents:statistics", "documents.view_statistics"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
        for label, name, perm in NAVIGATION
        if perm is None or user.has_perm(perm)
    ]
    return {"navigation": items}
