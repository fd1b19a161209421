"""Charts for documents (DOCX/PDF) as PNG bytes, drawn by matplotlib with the CJK font.

Pages use ECharts; documents need images. Each chart is drawn on its own ``Figure`` with the Agg
canvas (no pyplot global state), so charts can be drawn from several threads or tasks at once.
Text uses Noto Sans SC (黑体-like), the same file that the PDFs embed; it is registered with
matplotlib once per process.

A chart is drawn once per data set in a process: the DOCX and the PDF of one report (and the
next request for the same figures) take the same PNG bytes from a small cache keyed by the data
(labels, values, title, options), never by a model or a request.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from factorytiers.rendering.fonts import SANS, face

DPI = 200
# Print-friendly palette that stays distinguishable in grey.
PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a5a5a5")


class ChartDataError(ValueError):
    """The data cannot be drawn; the message (Chinese) says which part is wrong."""


@cache
def _register_fonts() -> str:
    for weight in (400, 700):
        font_manager.fontManager.addfont(str(face(SANS, weight).path))
    return SANS


def _figure(width_cm: float, height_cm: float) -> Figure:
    _register_fonts()
    figure = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.set_facecolor("white")
    return figure


def _font(size: float = 9, weight: str = "normal") -> dict:
    # The family is passed to every text explicitly rather than set in the global rcParams,
    # which other code in the process may rely on.
    return {"family": _register_fonts(), "size": size, "weight": weight}


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def _check_numbers(name: str, values: Sequence[float], expected: int | None = None) -> None:
    if expected is not None and len(values) != expected:
        raise ChartDataError(f"数据系列“{name}”有{len(values)}个值，应有{expected}个")
    for value in values:
        if value is None or not math.isfinite(float(value)):
            raise ChartDataError(f"数据系列“{name}”含有无效数值：{value!r}")
        if float(value) < 0:
            raise ChartDataError(f"数据系列“{name}”含有负数：{value}")


CACHED_CHARTS = 128  # PNGs of about 50 kB each: a few MB at most per process

Series = tuple[tuple[str, tuple[float, ...]], ...]


def _series(series: Mapping[str, Sequence[float]]) -> Series:
    return tuple((name, tuple(values)) for name, values in series.items())


def radar_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    max_value: float,
    *,
    title: str = "",
) -> bytes:
    """A radar (spider) chart: one polygon per series over ``labels``."""
    return _radar_chart(tuple(labels), _series(series), max_value, title)


@lru_cache(maxsize=CACHED_CHARTS)
def _radar_chart(labels: tuple[str, ...], series: Series, max_value: float, title: str) -> bytes:
    if len(labels) < 3:
        raise ChartDataError("雷达图至少需要3个维度")
    if not series:
        raise ChartDataError("雷达图至少需要一个数据系列")
    if not max_value or max_value <= 0:
        raise ChartDataError("雷达图的最大值应大于0")
    for name, values in series:
        _check_numbers(name, values, len(labels))

    figure = _figure(14, 12)
    axes = figure.add_subplot(projection="polar")
    angles = [2 * math.pi * index / len(labels) for index in range(len(labels))]
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    axes.set_xticks(angles)
    axes.set_xticklabels(list(labels), fontdict=_font(9))
    axes.set_ylim(0, max_value)
    axes.tick_params(axis="y", labelsize=7)
    for index, (name, values) in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        closed_angles = [*angles, angles[0]]
        closed_values = [float(value) for value in values] + [float(values[0])]
        axes.plot(closed_angles, closed_values, color=color, linewidth=1.5, label=name)
        axes.fill(closed_angles, closed_values, color=color, alpha=0.15)
    axes.legend(loc="upper right", bbox_to_anchor=(1.25, 1.12), prop=_font(8), frameon=False)
    if title:
        figure.suptitle(title, **_font(11, "bold"))
    return _png(figure)


def bar_chart(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str = "",
    value_label: str = "",
    horizontal: bool = False,
    value_format: str = "{:g}",
) -> bytes:
    """A grouped bar chart: one bar per series in each category, values written on the bars."""
    return _bar_chart(
        tuple(categories), _series(series), title, value_label, horizontal, value_format
    )


@lru_cache(maxsize=CACHED_CHARTS)
def _bar_chart(
    categories: tuple[str, ...],
    series: Series,
    title: str,
    value_label: str,
    horizontal: bool,
    value_format: str,
) -> bytes:
    if not categories:
        raise ChartDataError("柱状图至少需要一个类别")
    if not series:
        raise ChartDataError("柱状图至少需要一个数据系列")
    for name, values in series:
        _check_numbers(name, values, len(categories))

    height = 10 if not horizontal else max(8, 0.8 * len(categories) + 3)
    figure = _figure(16, height)
    axes = figure.add_subplot()
    count = len(series)
    width = 0.8 / count
    positions = range(len(categories))
    for index, (name, values) in enumerate(series):
        offsets = [position - 0.4 + width * (index + 0.5) for position in positions]
        numbers = [float(value) for value in values]
        color = PALETTE[index % len(PALETTE)]
        if horizontal:
            bars = axes.barh(offsets, numbers, height=width, label=name, color=color)
        else:
            bars = axes.bar(offsets, numbers, width=width, label=name, color=color)
        axes.bar_label(
            bars, labels=[value_format.format(value) for value in numbers], fontsize=7, padding=2
        )
    if horizontal:
        axes.set_yticks(list(positions))
        axes.set_yticklabels(list(categories), fontdict=_font(8))
        axes.invert_yaxis()
        if value_label:
            axes.set_xlabel(value_label, fontdict=_font(8))
    else:
        axes.set_xticks(list(positions))
        axes.set_xticklabels(
            list(categories),
            fontdict=_font(8),
            rotation=30 if len(categories) > 6 else 0,
            ha="right" if len(categories) > 6 else "center",
        )
        if value_label:
            axes.set_ylabel(value_label, fontdict=_font(8))
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=7)
    if count > 1:
        axes.legend(prop=_font(8), frameon=False)
    if title:
        axes.set_title(title, **_font(11, "bold"))
    return _png(figure)


def pie_or_distribution_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str = "",
    pie: bool = True,
) -> bytes:
    """A distribution (e.g. 未达一级 … 五级) as a pie with shares, or as bars with counts.

    Categories with a zero value are kept in the legend (a pie) or as empty bars, so the reader
    sees that the category exists and is empty. When every value is zero a pie cannot be drawn,
    and bars are drawn instead.
    """
    return _pie_or_distribution_chart(tuple(labels), tuple(values), title, pie)


@lru_cache(maxsize=CACHED_CHARTS)
def _pie_or_distribution_chart(
    labels: tuple[str, ...], values: tuple[float, ...], title: str, pie: bool
) -> bytes:
    if not labels:
        raise ChartDataError("分布图至少需要一个类别")
    _check_numbers(title or "分布", values, len(labels))
    total = sum(float(value) for value in values)
    if not pie or total == 0:
        return bar_chart(labels, {title or "数量": values}, title=title)

    figure = _figure(14, 10)
    axes = figure.add_subplot()
    numbers = [float(value) for value in values]
    colors = [PALETTE[index % len(PALETTE)] for index in range(len(labels))]

    def share(percent: float) -> str:
        return f"{percent:.1f}%" if percent >= 3 else ""

    wedges, _texts, autotexts = axes.pie(
        numbers,
        colors=colors,
        autopct=share,
        startangle=90,
        counterclock=False,
        pctdistance=0.75,
        wedgeprops={"linewidth": 0.8, "edgecolor": "white"},
    )
    for text in autotexts:
        text.set_fontsize(7)
        text.set_color("white")
    legend_labels = [
        f"{label}：{value:g}（{value / total:.1%}）"
        for label, value in zip(labels, numbers, strict=True)
    ]
    axes.legend(
        wedges,
        legend_labels,
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        prop=_font(8),
        frameon=False,
    )
    axes.set_aspect("equal")
    if title:
        axes.set_title(title, **_font(11, "bold"))
    return _png(figure)
