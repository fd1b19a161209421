"""On a demo data set of several thousand enterprises, the report's figures equal the
statistics page's, and every figure equals the length of the list behind it."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from factorytiers.campaigns.models import Campaign
from factorytiers.documents import figures, generate
from factorytiers.documents.report import overview, overview_figures
from factorytiers.enterprises import demo
from factorytiers.enterprises.models import Enterprise, Factory
from tests.documents import builders
from tests.documents.inspect_files import pdf_text

NOW = datetime(2026, 5, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def demo_data(users):
    demo.generate(count=3000, seed=5)
    builders.platform_results(Enterprise.objects.all(), 2026)
    builders.platform_results(Enterprise.objects.all(), 2025, seed=8)
    builders.recognitions(Factory.objects.all(), 2026)


def _page_figures(response) -> dict:
    shown = response.context["figures"]
    return {
        "assessed": int(shown["assessed"].value),
        "above_scale": int(shown["above_scale"].value),
        "above_scale_assessed": int(shown["above_scale_assessed"].value),
        "coverage": shown["coverage"].value,
        "penetration": shown["penetration"].value,
        "mean": shown["mean"].value,
        "median": shown["median"].value,
        **{f.label.removeprefix("成熟度"): int(f.value) for f in response.context["levels"]},
    }


def test_report_figures_equal_the_statistics_page_and_the_lists_behind_them(
    client, users, demo_data, unit_a
):
    assert Enterprise.objects.count() >= 3000
    campaign = Campaign.objects.get(year=2026)
    with time_machine.travel(NOW, tick=False):
        client.force_login(users["city_a"])
        page = client.get(reverse("documents:statistics"), {"year": 2026})
        assert page.status_code == 200
        data = generate.report_data(users["city_a"], campaign, unit_a)
        report = {
            key: (str(value) if key in ("mean", "median") else value)
            for key, value in overview_figures(data.statistics).items()
        }
        assert report == _page_figures(page)
        assert report["assessed"] > 300  # a real data set, not an empty one

        parts = overview(data)
        shown = page.context["figures"]
        assert f"共有{shown['assessed'].value}家制造企业参加" in parts.assessment_paragraph
        assert f"覆盖度为{shown['coverage'].value}" in parts.assessment_paragraph
        assert (
            f"普及率（达到成熟度二级及以上的规上企业数量/规上企业总数）为{shown['penetration'].value}"
            in parts.maturity_paragraph
        )
        for tier in ("基础级", "先进级"):
            assert f"{tier}智能工厂{shown[f'in_force_{tier}'].value}家" in parts.tiers_paragraph

        for key in sorted(figures.FIGURE_KEYS):
            listing = client.get(
                reverse("documents:statistics_list"), {"year": 2026, "figure": key}
            )
            assert listing.status_code == 200, key
            expected = next(f.count for f in shown.values() if f.key == key)
            assert (
                listing.context["count"] == expected == listing.context["page"].paginator.count
            ), key
            if key in figures.COUNT_LABELS or key.startswith(
                ("level_", "in_force_", "recognized_")
            ):
                assert expected == int(next(f.value for f in shown.values() if f.key == key)), key


def test_the_province_page_adds_up_over_the_units(client, users, demo_data):
    with time_machine.travel(NOW, tick=False):
        client.force_login(users["province"])
        page = client.get(reverse("documents:statistics"), {"year": 2026})
    by_unit = page.context["groupings"][0]["rows"]
    total = int(page.context["figures"]["assessed"].value)
    assessed_column = list(figures.TABLE_COLUMNS).index("assessed")
    assert sum(int(row["cells"][assessed_column].value) for row in by_unit) == total
    assert len(by_unit) == 12


def test_the_reports_maturity_tables_by_sector_and_by_division_are_the_statistics_pages(
    client, users, demo_data, unit_a
):
    campaign = Campaign.objects.get(year=2026)
    task = campaign.tasks.get(kind="report")
    columns = ["assessed", *figures.LEVEL_KEYS, "mean", "median"]
    with time_machine.travel(NOW, tick=False):
        client.force_login(users["city_a"])
        page = client.get(reverse("documents:statistics"), {"year": 2026})
        groupings = {grouping["key"]: grouping["rows"] for grouping in page.context["groupings"]}
        expected = {
            by: [
                [
                    row["name"],
                    *(row["cells"][list(figures.TABLE_COLUMNS).index(c)].value for c in columns),
                ]
                for row in groupings[by]
            ]
            for by in ("sector", "division")
        }
        total = [page.context["figures"][key].value for key in columns]
        docx = client.get(reverse("documents:report_download", args=[task.pk, unit_a.pk, "docx"]))
        pdf = client.get(reverse("documents:report_download", args=[task.pk, unit_a.pk, "pdf"]))
    tables = Document(io.BytesIO(docx.content)).tables[2:4]
    text = pdf_text(pdf.content)
    for table, by in zip(tables, ("sector", "division"), strict=True):
        cells = [[cell.text for cell in row.cells] for row in table.rows[1:]]
        assert len(expected[by]) > 3  # a real data set, several groups
        assert [[row[0], row[1], *row[3:]] for row in cells[:-1]] == expected[by]
        assert [cells[-1][0], cells[-1][1], *cells[-1][3:]] == ["合计", *total]
        for row in cells:  # the same figures in the PDF, row by row
            assert " ".join(row[1:]) in text, row
