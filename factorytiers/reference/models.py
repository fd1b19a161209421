"""Reference data: regions and reporting units, GB/T 4754-2017 codes, countries.

Rows come from the data files in ``factorytiers/data`` (loaded by a migration and by the
``load_reference`` command); an admin may correct them in the admin site.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from factorytiers.domain.sectors import Sector


class Region(models.Model):
    """A node of the region tree: province → city / zone → county.

    A reporting unit (报送单位) is a city or a zone; another province is more rows, not more code.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("地市")
        ZONE = "zone", _("示范区")
        COUNTY = "county", _("县区")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_reporting_unit = models.BooleanField(_("报送单位"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name

    @property
    def province(self) -> "Region":
        node = self
        while node.parent_id is not None and node.level != self.Level.PROVINCE:
            node = node.parent
        return node


class IndustryCode(models.Model):
    """GB/T 4754-2017 国民经济行业分类, section C (门类/大类/中类/小类)."""

    class Level(models.TextChoices):
        SECTION = "门类", _("门类")
        DIVISION = "大类", _("大类")
        GROUP = "中类", _("中类")
        CLASS = "小类", _("小类")

    code = models.CharField(_("代码"), max_length=4, unique=True)
    level = models.CharField(_("层级"), max_length=4, choices=Level.choices)
    name = models.CharField(_("名称"), max_length=128)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    suggested_sector = models.CharField(
        _("建议所属行业"),
        max_length=8,
        choices=[(s.value, s.value) for s in Sector],
        blank=True,
        help_text=_("仅大类填写；企业选择行业代码时据此建议所属行业。"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("国民经济行业分类")
        verbose_name_plural = _("国民经济行业分类")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


class Country(models.Model):
    """ISO 3166-1 countries with the memberships the overseas-factory list favours."""

    class Brics(models.TextChoices):
        NONE = "", _("否")
        MEMBER = "member", _("成员国")
        PARTNER = "partner", _("伙伴国")

    iso2 = models.CharField(_("二字母代码"), max_length=2, unique=True)
    iso3 = models.CharField(_("三字母代码"), max_length=3, unique=True)
    name_zh = models.CharField(_("中文名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=128)
    brics = models.CharField(_("金砖国家"), max_length=8, choices=Brics.choices, blank=True)
    belt_and_road = models.BooleanField(_("共建“一带一路”国家"), default=False)

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("国家和地区")
        verbose_name_plural = _("国家和地区")

    def __str__(self) -> str:
        return self.name_zh
