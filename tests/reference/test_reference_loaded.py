"""The migration loads the reference data files completely."""

from django.core.management import call_command

from factorytiers.reference.models import Country, IndustryCode, Region


def test_gbt4754_section_c_is_complete(db):
    counts = {
        level: IndustryCode.objects.filter(level=level).count()
        for level in ("门类", "大类", "中类", "小类")
    }
    assert counts == {"门类": 1, "大类": 31, "中类": 179, "小类": 609}
    divisions = IndustryCode.objects.filter(level="大类")
    assert sorted(d.code for d in divisions) == [str(n) for n in range(13, 44)]
    assert all(d.suggested_sector for d in divisions)
    assert IndustryCode.objects.get(code="3741").parent.code == "374"
    assert IndustryCode.objects.get(code="39").suggested_sector == "电子信息"


def test_every_class_hangs_under_its_group_and_division(db):
    for code in IndustryCode.objects.filter(level="小类").select_related("parent__parent"):
        assert code.parent.level == "中类" and code.code.startswith(code.parent.code)
        assert code.parent.parent.level == "大类"


def test_regions_form_a_tree_with_twelve_reporting_units(db):
    shanxi = Region.objects.get(code="140000")
    units = Region.objects.filter(is_reporting_unit=True)
    assert units.count() == 12
    assert all(unit.parent == shanxi for unit in units)
    assert units.get(code="14Z001").short_name == "山西转型综改示范区"
    assert Region.objects.get(code="141100").province == shanxi


def test_countries_carry_brics_and_belt_and_road_flags(db):
    assert Country.objects.filter(brics="member").count() == 10
    assert Country.objects.filter(brics="partner").count() == 10
    assert Country.objects.get(iso2="KZ").belt_and_road is True
    assert Country.objects.get(iso2="CN").belt_and_road is False


def test_reloading_is_idempotent(db):
    before = (Region.objects.count(), IndustryCode.objects.count(), Country.objects.count())
    call_command("load_reference", stdout=open("/dev/null", "w"))
    assert (Region.objects.count(), IndustryCode.objects.count(), Country.objects.count()) == before
