"""Scoring an assessment against a maturity model; nothing here depends on Django.

Scoring follows the project's maturity specification (GB/T 39117-2020 as far as public
sources confirm it):

1. every item is answered on the model's grades (全部满足 1 / 大部分满足 0.8 / 部分满足 0.5 / 不满足 0);
2. a sub-domain's score at a level is the weighted mean of its item grades at that level;
3. a level's score is the weighted mean of the scores of the sub-domains that have items at that
   level and are not left out (weights of the enterprise's manufacturing type, renormalised);
4. levels are evaluated from 1 upward; a level is met when its score reaches ``met_threshold``,
   and the next level is evaluated only when this one is met;
5. the total is the sum of the evaluated level scores (the first unmet level included);
6. the level comes from the total by ``bands`` (``level_rule = "band"``) or is the number of
   consecutive met levels (``level_rule = "met_levels"``); when the two differ the result is a
   borderline case (边界情况) and says so.

Arithmetic is exact: grades and weights are Decimals from the data, sums and means are computed
as fractions, and every decision (met or not, which band) is taken on the exact value. Results
are handed out as Decimals (exact whenever the value has a finite decimal expansion, else to 28
significant digits); the two-decimal total is for display only (``display_score``).

An unanswered item counts as 不满足 (0) and is listed in ``AssessmentScore.unanswered``; a
submitted assessment is expected to answer every item (see ``unanswered_items``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from fractions import Fraction
from types import MappingProxyType
from typing import Final

from .model import LEVEL_RULE_BAND, AnswerError, MaturityModel, SubDomain, level_name

DISPLAY_QUANTUM: Final = Decimal("0.01")

Answer = str | Decimal | int | None


@dataclass(frozen=True)
class AssessmentScore:
    edition: str
    version: str
    manufacturing_type: str  # the type's code
    level_rule: str
    # Exact total (see the module docstring); show it with ``total_display``.
    total: Decimal
    level: int  # 0 = 未达一级; by ``level_rule``
    level_name: str  # 未达一级 / 一级 / …
    level_title: str  # 规划级 / …; empty for 未达一级
    band_level: int  # the level by ``bands``, whatever the rule
    met_levels: int  # number of consecutive met levels from 一级
    evaluated_levels: tuple[int, ...]
    level_scores: Mapping[int, Decimal]  # evaluated levels only
    next_level: int  # level + 1, at most the top level: the radar chart's level
    # level -> code -> score, for every evaluated level and for ``next_level``; a sub-domain
    # (domain) appears at a level only when it has items there and is not left out.
    sub_domain_scores: Mapping[int, Mapping[str, Decimal]]
    domain_scores: Mapping[int, Mapping[str, Decimal]]
    borderline: bool  # 边界情况: band level differs from the number of met levels
    # The two-decimal display total falls in another band than the exact total (e.g. 1.795
    # shows as 1.80 yet is 一级): the report should say the level uses the exact value.
    rounding_changes_band: bool
    left_out: tuple[str, ...]
    unanswered: tuple[str, ...]  # items of the evaluated levels counted as 0, model order

    @property
    def total_display(self) -> Decimal:
        return display_score(self.total)


@dataclass(frozen=True)
class ImprovementItem:
    code: str
    sub_domain: str
    sub_domain_name: str
    level: int
    text: str
    grade: Decimal | None  # None: not answered


@dataclass(frozen=True)
class ImprovementGroup:
    domain: str
    domain_name: str
    items: tuple[ImprovementItem, ...]


def display_score(value: Decimal) -> Decimal:
    """Two places, half up: how scores are shown and reported."""
    return value.quantize(DISPLAY_QUANTUM, rounding=ROUND_HALF_UP)


def level_for_score(total: Decimal | int | str, *, model: MaturityModel) -> int:
    """The level a total falls in by the model's bands (rule 6), 0 for 未达一级.

    Used to check a result entered from the national platform.
    """
    return _band_level(_score_fraction(total, model), model)


def score_matches_level(total: Decimal | int | str, level: int, *, model: MaturityModel) -> bool:
    """Whether a reported score and level can belong together under the model's level rule.

    Under ``band`` the level must be the band of the score. Under ``met_levels`` the score only
    bounds the number k of met levels: each met level scores at least the threshold t and the
    first unmet one less than t, so t·k ≤ score < k + t (score ≤ top level when all are met).
    """
    exact = _score_fraction(total, model)
    if not 0 <= level <= model.max_level:
        return False
    if model.level_rule == LEVEL_RULE_BAND:
        return _band_level(exact, model) == level
    threshold = Fraction(model.met_threshold)
    if exact < threshold * level:
        return False
    return level == model.max_level or exact < level + threshold


def score_assessment(
    model: MaturityModel,
    answers: Mapping[str, Answer],
    *,
    manufacturing_type: str,
    left_out: Collection[str] = (),
) -> AssessmentScore:
    """Score one assessment by the rules in the module docstring.

    ``answers`` maps item codes to a grade key (or grade name), to a Decimal equal to one of the
    grade values, or to None (not answered); an unknown item code or grade raises AnswerError.
    Answers of left-out sub-domains, and of levels above the first unmet one, do not count.
    ``manufacturing_type`` is a type code or name. ``left_out`` names sub-domains that do not
    apply to the enterprise; they leave every average and the weights are renormalised.
    """
    kind = model.manufacturing_type(manufacturing_type)
    excluded = _left_out(model, left_out)
    grades = _grades(model, answers)
    weights = {code: Fraction(weight) for code, weight in kind.weights.items()}

    included_at: dict[int, list[SubDomain]] = {}
    for level in model.levels:
        included = [
            sub
            for sub in model.sub_domains
            if level.number in sub.levels and sub.code not in excluded
        ]
        if not included:
            raise AnswerError(f"第 {level.number} 级的能力子域都被剔除了，无法评分")
        included_at[level.number] = included

    def sub_scores(level: int) -> dict[str, Fraction]:
        return {
            sub.code: _weighted_mean(
                (Fraction(item.weight), grades.get(item.code, Fraction(0)))
                for item in model.items_at(sub.code, level)
            )
            for sub in included_at[level]
        }

    threshold = Fraction(model.met_threshold)
    level_scores: dict[int, Fraction] = {}
    scores_by_level: dict[int, dict[str, Fraction]] = {}
    met = 0
    for level in range(1, model.max_level + 1):
        scores = sub_scores(level)
        scores_by_level[level] = scores
        level_scores[level] = _weighted_mean(
            (weights[code], score) for code, score in scores.items()
        )
        if level_scores[level] < threshold:
            break
        met += 1

    total = min(sum(level_scores.values(), Fraction(0)), Fraction(model.max_level))
    band = _band_level(total, model)
    level = band if model.level_rule == LEVEL_RULE_BAND else met
    next_level = min(level + 1, model.max_level)
    evaluated = tuple(level_scores)
    if next_level not in scores_by_level:
        scores_by_level[next_level] = sub_scores(next_level)

    reported_levels = sorted({*evaluated, next_level})
    sub_domain_scores = {
        lvl: MappingProxyType({code: _to_decimal(v) for code, v in scores_by_level[lvl].items()})
        for lvl in reported_levels
    }
    domain_scores = {
        lvl: MappingProxyType(_domain_scores(model, scores_by_level[lvl], weights))
        for lvl in reported_levels
    }
    exact_total = _to_decimal(total)
    shown_band = _band_level(Fraction(display_score(exact_total)), model)

    unanswered = tuple(
        item.code
        for item in model.items
        if item.level in level_scores
        and item.sub_domain not in excluded
        and item.code not in grades
    )
    return AssessmentScore(
        edition=model.edition,
        version=model.version,
        manufacturing_type=kind.code,
        level_rule=model.level_rule,
        total=exact_total,
        level=level,
        level_name=level_name(level),
        level_title=model.levels[level - 1].name if level else "",
        band_level=band,
        met_levels=met,
        evaluated_levels=evaluated,
        level_scores=MappingProxyType({lvl: _to_decimal(s) for lvl, s in level_scores.items()}),
        next_level=next_level,
        sub_domain_scores=MappingProxyType(sub_domain_scores),
        domain_scores=MappingProxyType(domain_scores),
        borderline=band != met,
        rounding_changes_band=shown_band != band,
        left_out=tuple(sub.code for sub in model.sub_domains if sub.code in excluded),
        unanswered=unanswered,
    )


def improvement_items(
    model: MaturityModel,
    answers: Mapping[str, Answer],
    *,
    target_level: int,
    left_out: Collection[str] = (),
) -> list[ImprovementGroup]:
    """Items of ``target_level`` not fully met (or not answered), grouped by domain.

    Domains, sub-domains and items keep the model's order; domains with nothing to improve and
    left-out sub-domains are omitted.
    """
    model.level(target_level)
    excluded = _left_out(model, left_out)
    grades = _grades(model, answers)
    full = Fraction(model.full_grade)
    groups = []
    for domain in model.domains:
        found = []
        for sub in model.sub_domains_of(domain.code):
            if sub.code in excluded:
                continue
            for item in model.items_at(sub.code, target_level):
                grade = grades.get(item.code)
                if grade is not None and grade >= full:
                    continue
                found.append(
                    ImprovementItem(
                        code=item.code,
                        sub_domain=sub.code,
                        sub_domain_name=sub.name,
                        level=item.level,
                        text=item.text,
                        grade=None if grade is None else _to_decimal(grade),
                    )
                )
        if found:
            groups.append(
                ImprovementGroup(domain=domain.code, domain_name=domain.name, items=tuple(found))
            )
    return groups


def unanswered_items(
    model: MaturityModel, answers: Mapping[str, Answer], *, left_out: Collection[str] = ()
) -> tuple[str, ...]:
    """Every item of the sub-domains that apply that has no answer yet, in model order."""
    excluded = _left_out(model, left_out)
    grades = _grades(model, answers)
    return tuple(
        item.code
        for item in model.items
        if item.sub_domain not in excluded and item.code not in grades
    )


def _grades(model: MaturityModel, answers: Mapping[str, Answer]) -> dict[str, Fraction]:
    grades: dict[str, Fraction] = {}
    values = {grade.value for grade in model.grades}
    for code, answer in answers.items():
        model.item(code)
        if answer is None:
            continue
        if isinstance(answer, str):
            grade = model._grade_index.get(answer)
            if grade is None:
                raise AnswerError(f"条目“{code}”的答案“{answer}”不是已定义的评分等级")
            grades[code] = Fraction(grade.value)
        elif isinstance(answer, Decimal) or (
            isinstance(answer, int) and not isinstance(answer, bool)
        ):
            value = Decimal(answer)
            if value not in values:
                raise AnswerError(f"条目“{code}”的得分 {value} 不是评分等级的分值之一")
            grades[code] = Fraction(value)
        else:
            raise AnswerError(f"条目“{code}”的答案“{answer!r}”应是评分等级或 Decimal 分值")
    return grades


def _left_out(model: MaturityModel, left_out: Collection[str]) -> frozenset[str]:
    if isinstance(left_out, str):
        raise AnswerError("left_out 应是能力子域编码的集合，而不是单个字符串")
    for code in left_out:
        model.sub_domain(code)
    return frozenset(left_out)


def _weighted_mean(pairs: Iterable[tuple[Fraction, Fraction]]) -> Fraction:
    total_weight = Fraction(0)
    weighted = Fraction(0)
    for weight, value in pairs:
        total_weight += weight
        weighted += weight * value
    return weighted / total_weight


def _domain_scores(
    model: MaturityModel, sub_scores: Mapping[str, Fraction], weights: Mapping[str, Fraction]
) -> dict[str, Decimal]:
    result = {}
    for domain in model.domains:
        pairs = [
            (weights[sub.code], sub_scores[sub.code])
            for sub in model.sub_domains_of(domain.code)
            if sub.code in sub_scores
        ]
        if pairs:
            result[domain.code] = _to_decimal(_weighted_mean(pairs))
    return result


def _band_level(total: Fraction, model: MaturityModel) -> int:
    return sum(1 for bound in model.bands if total >= Fraction(bound))


def _score_fraction(total: Decimal | int | str, model: MaturityModel) -> Fraction:
    if isinstance(total, bool) or isinstance(total, float):
        raise AnswerError(f"分数“{total}”应是 Decimal 或数字字符串，不能是浮点数")
    try:
        value = Decimal(total)
    except (InvalidOperation, TypeError, ValueError):
        raise AnswerError(f"分数“{total}”不是数字") from None
    if not value.is_finite() or not 0 <= value <= model.max_level:
        raise AnswerError(f"分数 {total} 不在 0 到 {model.max_level} 之间")
    return Fraction(value)


def _to_decimal(value: Fraction) -> Decimal:
    # A local context: the result must not depend on whatever the caller set globally.
    with localcontext() as context:
        context.prec = 28
        context.rounding = ROUND_HALF_EVEN
        return Decimal(value.numerator) / Decimal(value.denominator)
