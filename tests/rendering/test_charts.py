"""Charts for documents: PNG images drawn with the CJK font, refusing data they cannot draw."""

import io
import warnings

import pytest
from PIL import Image

from factorytiers.rendering import charts
from factorytiers.rendering.charts import ChartDataError

LEVELS = ["未达一级", "一级", "二级", "三级", "四级", "五级"]


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def _draw_without_warnings(draw):
    # matplotlib warns "Glyph … missing from font(s)" for a character it cannot draw.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return draw()


def test_a_radar_chart_is_a_png_with_chinese_labels():
    png = _draw_without_warnings(
        lambda: charts.radar_chart(
            ["人员", "技术", "资源", "制造", "设计"],
            {"本企业": [3, 2.5, 4, 1, 2], "行业中位数": [2, 2, 3, 2, 2]},
            5,
            title="能力域得分",
        )
    )
    image = _image(png)
    assert image.format == "PNG"
    assert image.width > 800 and image.height > 800


def test_a_bar_chart_draws_every_unit():
    png = _draw_without_warnings(
        lambda: charts.bar_chart(
            ["太原市", "大同市", "山西转型综改示范区"],
            {"自评估企业数": [12, 8, 3], "规上企业数": [20, 10, 5]},
            title="各报送单位自评估情况",
            value_label="企业数（家）",
        )
    )
    assert _image(png).format == "PNG"


def test_a_horizontal_bar_chart_is_drawn():
    png = _draw_without_warnings(
        lambda: charts.bar_chart(["原材料", "消费品"], {"普及率": [0.5, 0.25]}, horizontal=True)
    )
    assert _image(png).format == "PNG"


def test_a_distribution_is_drawn_as_a_pie_with_empty_categories_kept():
    png = _draw_without_warnings(
        lambda: charts.pie_or_distribution_chart(LEVELS, [5, 10, 6, 2, 0, 0], title="成熟度分布")
    )
    assert _image(png).format == "PNG"


def test_an_all_zero_distribution_is_drawn_as_bars_instead_of_a_pie():
    pie = charts.pie_or_distribution_chart(LEVELS, [0] * 6, title="成熟度分布")
    bars = charts.pie_or_distribution_chart(LEVELS, [0] * 6, title="成熟度分布", pie=False)
    assert pie == bars


def test_different_data_gives_different_images():
    one = charts.bar_chart(["一级"], {"数量": [1]})
    two = charts.bar_chart(["一级"], {"数量": [2]})
    assert one != two


@pytest.mark.parametrize(
    ("draw", "message"),
    [
        (lambda: charts.radar_chart(["一", "二"], {"甲": [1, 2]}, 5), "至少需要3个维度"),
        (lambda: charts.radar_chart(["一", "二", "三"], {}, 5), "至少需要一个数据系列"),
        (lambda: charts.radar_chart(["一", "二", "三"], {"甲": [1, 2, 3]}, 0), "最大值"),
        (lambda: charts.radar_chart(["一", "二", "三"], {"甲": [1, 2]}, 5), "有2个值，应有3个"),
        (lambda: charts.bar_chart([], {"甲": []}), "至少需要一个类别"),
        (lambda: charts.bar_chart(["一"], {"甲": [-1]}), "负数"),
        (lambda: charts.bar_chart(["一"], {"甲": [float("nan")]}), "无效数值"),
        (lambda: charts.pie_or_distribution_chart([], []), "至少需要一个类别"),
    ],
)
def test_data_that_cannot_be_drawn_is_refused_with_a_reason(draw, message):
    with pytest.raises(ChartDataError, match=message):
        draw()
