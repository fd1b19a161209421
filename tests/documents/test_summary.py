"""The statistics summary sheet: one row per unit, and a 合计 row equal to the whole scope."""

import io
from decimal import Decimal

import openpyxl

from factorytiers.documents.summary import summary_header, summary_xlsx
from factorytiers.domain.statistics import LEVEL_NAMES, compute, compute_by
from tests.documents.form_data import demo_data


def test_the_summary_lists_every_unit_and_a_total_that_matches_the_whole_province():
    counted = demo_data(2500, seed=11)
    total = compute(counted, 2026)
    groups = compute_by(counted, 2026, "unit", order=["太原市", "大同市", "朔州市"])
    xlsx = summary_xlsx("2026年度智能工厂梯度培育统计汇总表", groups, total)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = summary_header("报送单位", 2026)
    assert cells[0][0] == "2026年度智能工厂梯度培育统计汇总表"
    assert cells[1] == header
    assert [row[0] for row in cells[2:]] == ["太原市", "大同市", "朔州市", "合计"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in cells[2:]}
    whole = by_name["合计"]
    assert whole["企业数"] == 2500
    for column in ["企业数", "规上企业数", "自评估企业数", "二级及以上规上企业数", *LEVEL_NAMES]:
        assert (
            sum(by_name[unit][column] for unit in ("太原市", "大同市", "朔州市")) == whole[column]
        )
    assert Decimal(str(whole["规上企业自评估覆盖度"])) == total.coverage.value
    assert Decimal(str(whole["平均得分"])) == total.scores.mean
    # A unit without enterprises shows dashes for shares, not 0 and not an error.
    assert by_name["朔州市"]["智能工厂普及率"] == "—"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$2:$2"
