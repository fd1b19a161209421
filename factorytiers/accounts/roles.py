"""The five roles. Who may do what is decided by the rules, never by comparing roles in
views: only the permission layer (predicates, scope) reads ``user.role``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业用户")
    CITY = "city", _("市级管理员")
    PROVINCE = "province", _("省级管理员")
    EXPERT = "expert", _("评审专家")
    ADMIN = "admin", _("系统管理员")
