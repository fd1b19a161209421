"""An application's maturity level comes from the enterprise's counted assessment of the
campaign year (in the product or from the national platform); the declared level is kept only
when there is none, and is marked as declared."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from factorytiers.assessments.models import Assessment, MaturityModelEdition, PlatformResult
from factorytiers.campaigns import selectors
from factorytiers.campaigns.errors import ServiceError
from factorytiers.campaigns.models import Application
from factorytiers.campaigns.services import applications

from .conftest import draft, step, with_materials

SHANGHAI = ZoneInfo("Asia/Shanghai")


def assessment(enterprise, *, level, score, on, year=2026):
    return Assessment.objects.create(
        enterprise=enterprise,
        year=year,
        edition=MaturityModelEdition.objects.active(),
        manufacturing_type="DISCRETE",
        status=Assessment.Status.SUBMITTED,
        score=Decimal(score),
        level=level,
        submitted_on=on,
        submitted_at=datetime(on.year, on.month, on.day, 10, tzinfo=SHANGHAI),
    )


def platform(enterprise, *, level, score, on, year=2026):
    return PlatformResult.objects.create(
        enterprise=enterprise,
        year=year,
        score=Decimal(score),
        level=level,
        assessed_on=on,
        source=PlatformResult.Source.ENTERPRISE,
        edition=MaturityModelEdition.objects.active(),
    )


def post_new(client, task, factory, **fields):
    data = {"factory": factory.pk, "project_name": "晋华一厂智能工厂", **fields}
    return client.post(reverse("campaigns:application_create", args=[task.pk]), data)


def maturity_condition(application):
    return next(c for c in application.condition_results if c["code"] == "maturity")


def test_the_form_is_prefilled_from_the_counted_assessment_and_cannot_override_it(
    client, users, advanced_task, enterprise_a, factory_a
):
    counted = assessment(enterprise_a, level=3, score="2.60", on=date(2026, 3, 20))
    client.force_login(users["enterprise_a"])
    page = client.get(reverse("campaigns:application_create", args=[advanced_task.pk]))
    form = page.context["form"]
    assert form.fields["maturity_level"].disabled and form.initial["maturity_level"] == 3
    assert "系统内自评估" in page.content.decode()
    response = post_new(client, advanced_task, factory_a, maturity_level="5", maturity_score="4.9")
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.maturity_level, application.maturity_score) == (3, Decimal("2.60"))
    assert application.maturity_source == "assessment"
    assert application.maturity_record_id == counted.pk
    assert application.maturity_assessed_on == date(2026, 3, 20)
    detail = client.get(reverse("campaigns:application_detail", args=[application.pk]))
    html = detail.content.decode()
    assert 'id="maturity-level">三级<' in html and "系统内自评估" in html
    assert reverse("assessments:detail", args=[counted.pk]) in html


def test_a_later_national_platform_result_is_the_counted_one(
    client, users, advanced_task, enterprise_a, factory_a
):
    assessment(enterprise_a, level=2, score="2.10", on=date(2026, 3, 1))
    result = platform(enterprise_a, level=3, score="2.75", on=date(2026, 3, 25))
    client.force_login(users["enterprise_a"])
    assert post_new(client, advanced_task, factory_a).status_code == 302
    application = Application.objects.get()
    assert (application.maturity_source, application.maturity_level) == ("platform", 3)
    assert application.maturity_record_id == result.pk
    html = client.get(reverse("campaigns:application_detail", args=[application.pk])).content
    assert "国家平台结果" in html.decode()


def test_without_a_counted_assessment_the_declared_level_is_kept_and_marked(
    client, users, advanced_task, enterprise_a, factory_a
):
    assessment(enterprise_a, level=4, score="3.70", on=date(2025, 6, 1), year=2025)
    client.force_login(users["enterprise_a"])
    page = client.get(reverse("campaigns:application_create", args=[advanced_task.pk]))
    assert not page.context["form"].fields["maturity_level"].disabled
    assert post_new(client, advanced_task, factory_a, maturity_level="2").status_code == 302
    application = Application.objects.get()
    assert (application.maturity_source, application.maturity_level) == ("declared", 2)
    html = client.get(reverse("campaigns:application_detail", args=[application.pk])).content
    assert "企业申报" in html.decode() and "尚无2026年度计入统计的自评估" in html.decode()


def test_submission_fixes_the_counted_level_and_checks_the_condition_against_it(
    users, advanced_task, enterprise_a, factory_a
):
    application = draft(users["enterprise_a"], advanced_task, factory_a, level=4)
    assert application.maturity_source == "declared"
    assessment(enterprise_a, level=1, score="1.40", on=date(2026, 4, 2))
    with_materials(users["enterprise_a"], application)
    # 一级 fails the 先进级 condition: the enterprise cannot submit until its city says why.
    with pytest.raises(ServiceError, match="未满足条件：智能制造能力成熟度二级及以上"):
        step(users["enterprise_a"], application, "submit")
    application.refresh_from_db()
    assert application.state == "draft" and application.maturity_level == 4
    applications.override_conditions(
        actor=users["city_a"],
        application=application,
        reason="统计部门名录显示已达二级，另附证明",
        version=application.version,
    )
    application = step(users["enterprise_a"], application, "submit")
    application.refresh_from_db()
    assert (application.maturity_source, application.maturity_level) == ("assessment", 1)
    condition = maturity_condition(application)
    assert condition["outcome"] == "not_met"
    assert condition["detail"] == "自评估为一级（系统内自评估）。"
    # A later assessment does not change what was submitted.
    assessment(enterprise_a, level=3, score="2.80", on=date(2026, 4, 10))
    application.refresh_from_db()
    assert application.maturity_level == 1
    assert selectors.stored_maturity(application).level == 1


def test_the_declared_level_is_named_as_declared_in_the_check(users, advanced_task, factory_a):
    application = with_materials(
        users["enterprise_a"], draft(users["enterprise_a"], advanced_task, factory_a, level=2)
    )
    application = step(users["enterprise_a"], application, "submit")
    application.refresh_from_db()
    assert maturity_condition(application) == {
        "code": "maturity",
        "label": "智能制造能力成熟度二级及以上",
        "outcome": "met",
        "detail": "自评估为二级（企业申报）。",
    }


def test_the_draft_page_shows_the_level_it_would_be_submitted_with(
    client, users, advanced_task, enterprise_a, factory_a
):
    application = draft(users["enterprise_a"], advanced_task, factory_a, level=4)
    platform(enterprise_a, level=2, score="2.20", on=date(2026, 3, 30))
    client.force_login(users["city_a"])
    response = client.get(reverse("campaigns:application_detail", args=[application.pk]))
    assert response.context["maturity"].source == "platform"
    assert response.context["maturity"].level == 2
    conditions = {c["code"]: c for c in response.context["conditions"]}
    assert conditions["maturity"]["detail"] == "自评估为二级（国家平台结果）。"
    application.refresh_from_db()
    assert application.maturity_level == 4  # nothing written by reading
