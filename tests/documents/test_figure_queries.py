"""The list behind each figure, read as a query, holds as many rows as the figure counts
(``figures.figure_count`` over the statistics computed from the kept and counted tallies),
for the whole scope and for every group, for the province and a city. The two are computed
apart: the figures from the counts, each list by its own filter over the rows."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from factorytiers.documents import figures, selectors
from factorytiers.domain.statistics import compute, compute_by
from tests.documents import builders

NOW = datetime(2026, 5, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def data(users, unit_a, unit_b, enterprise_a, enterprise_b, factory_a, factory_b):
    builders.grouped_enterprises([unit_a, unit_b], 30, name="图表测试", body="MA0F")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _check(user, units, stats, by="", group=""):
    scope = selectors.figure_scope(user, units, by=by, group=group)
    for key in sorted(figures.FIGURE_KEYS):
        if figures.is_tier_figure(key):
            got = selectors.figure_factories(user, 2026, scope, key).values_list("pk", flat=True)
        else:
            got = selectors.figure_enterprises(user, 2026, scope, key).values_list("pk", flat=True)
        got = list(got)
        assert len(got) == len(set(got)), (key, by, group)
        assert len(got) == figures.figure_count(stats, key), (key, by, group)


@pytest.mark.parametrize("role", ["province", "city_a"])
def test_every_figure_list_has_the_rows_it_counts(users, data, role):
    user = users[role]
    units = list(selectors.units_for(user))
    counted = selectors.statistics_counted(user, 2026, units)
    stats = compute(counted, 2026)
    assert stats.assessed.value and any(t.value for t in stats.in_force.values())
    _check(user, units, stats)
    for by in ("unit", "sector", "division"):
        for group, group_stats in compute_by(counted, 2026, by).items():
            _check(user, units, group_stats, by, group)


@pytest.mark.parametrize("role", ["province", "city_a"])
@pytest.mark.parametrize("key", ["enterprises", "above_scale", "assessed", "level_2", "coverage"])
def test_each_page_of_a_figures_list_holds_the_rows_of_the_whole_list_in_its_order(
    users, data, role, key
):
    """The drill-down's page, read in two statements, cuts the whole list into pages."""
    user = users[role]
    units = list(selectors.units_for(user))
    scope = selectors.figure_scope(user, units)
    whole = list(
        selectors.figure_enterprises(user, 2026, scope, key).values_list("pk", "counted_level")
    )
    assert whole or key == "level_2"
    paged = []
    for number in range(1, len(whole) + 2):
        page = selectors.figure_enterprise_page(
            user, 2026, scope, key, number, units=units, per_page=4
        )
        paged += [(row.pk, row.counted_level) for row in page.object_list]
        if not page.has_next():
            break
    assert paged == whole
    assert page.paginator.count == len(whole)


@pytest.mark.parametrize("read", ["kept", "counted over the enterprises"])
@pytest.mark.parametrize("role", ["province", "city_a"])
def test_the_counts_as_of_a_day_equal_the_kept_counts_when_every_result_is_dated_by_then(
    users, data, role, read, monkeypatch
):
    """The report's counts (each enterprise's result as of its 截至 date, counted by the
    statistics rule) and the statistics page's (the kept counts) agree on the reference day:
    read from the kept counts (no result is later) or counted over the enterprises."""
    assert not selectors._kept_results_after(
        [u.pk for u in selectors.units_for(users[role])], 2026, selectors.reference_date(2026)
    )
    if read != "kept":
        monkeypatch.setattr(selectors, "_kept_results_after", lambda *args: True)
    user = users[role]
    units = list(selectors.units_for(user))
    kept = selectors.statistics_counted(user, 2026, units)
    as_of = selectors.statistics_counted(user, 2026, units, as_of=selectors.reference_date(2026))

    def tallies(counted):
        return sorted(
            (t.unit, t.sector, t.division, t.above_scale, str(t.level), t.count, t.score_total)
            for t in counted.tallies
            if t.count
        )

    assert tallies(as_of) == tallies(kept) and tallies(kept)
    assert as_of.scores == kept.scores
    assert as_of.scores_by == {by: dict(groups) for by, groups in kept.scores_by.items()}
    assert sorted(map(repr, as_of.tiers)) == sorted(map(repr, kept.tiers))


def test_keys_read_a_unit_at_a_time_slice_as_the_whole_ordered_list(users, data):
    from factorytiers.enterprises.selectors import LIST_ORDER

    user = users["province"]
    units = list(selectors.units_for(user))
    keys = selectors.figure_scope(user, units)
    whole = list(keys.order_by(*LIST_ORDER).values_list("pk", flat=True))
    by_unit = selectors.KeysByUnit(keys, units)
    assert by_unit.count() == len(whole) > 10
    for start in range(len(whole) + 1):
        for stop in range(start, len(whole) + 2):
            assert by_unit[start:stop] == whole[start:stop], (start, stop)
