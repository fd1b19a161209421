"""Demo self-assessment results on top of the demo enterprises: national-platform results for
2025 and 2026 (most enterprises, more often the 规上 ones) and in-product assessments answered
and submitted through the services for a few enterprises, the demo enterprise users' included.
Deterministic for a seed; fictitious data."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from factorytiers.accounts import bulk
from factorytiers.accounts.demo import SHANGHAI, on
from factorytiers.accounts.models import User
from factorytiers.domain.maturity import MaturityModel, level_for_score, score_assessment
from factorytiers.enterprises.models import Enterprise

from . import services
from .counted import SOURCE_ASSESSMENT, SOURCE_PLATFORM
from .models import Assessment, CountedResult, MaturityModelEdition, PlatformResult

# Share of results per level band (未达一级 … 五级), roughly what provinces report.
LEVEL_WEIGHTS = [8, 30, 37, 18, 6, 1]
BANDS = [
    (Decimal("0.20"), Decimal("0.79")),
    (Decimal("0.80"), Decimal("1.79")),
    (Decimal("1.80"), Decimal("2.79")),
    (Decimal("2.80"), Decimal("3.79")),
    (Decimal("3.80"), Decimal("4.79")),
    (Decimal("4.80"), Decimal("5.00")),
]
GRADE_WEIGHTS = {"FULL": 5, "MOSTLY": 3, "PARTLY": 2, "NOT_MET": 1}


def _score(rng: random.Random) -> Decimal:
    low, high = BANDS[rng.choices(range(6), weights=LEVEL_WEIGHTS)[0]]
    cents = rng.randint(int(low * 100), int(high * 100))
    return Decimal(cents) / 100


YEARS = (2025, 2026)  # the years the demo has results of


def _chances(above_scale: bool) -> tuple[tuple[int, float], ...]:
    """The share of enterprises assessed last year and this year (more often the 规上 ones)."""
    return ((YEARS[0], 0.5 if above_scale else 0.2), (YEARS[1], 0.75 if above_scale else 0.3))


def _platform_result(rng, enterprise_id, year, edition, model) -> PlatformResult:
    score = _score(rng)
    return PlatformResult(
        enterprise_id=enterprise_id,
        year=year,
        score=score,
        level=level_for_score(score, model=model),
        assessed_on=date(year, 1, 15) + timedelta(days=rng.randint(0, 85)),
        source=PlatformResult.Source.IMPORT,
        edition=edition,
    )


def generate(seed: int = 2026, in_product: int = 12) -> dict[str, int]:
    rng = random.Random(seed)
    edition = MaturityModelEdition.objects.active()
    model = edition.model
    results = []
    enterprises = list(Enterprise.objects.order_by("pk").values_list("pk", "is_above_scale"))
    for enterprise_id, above_scale in enterprises:
        for year, chance in _chances(above_scale):
            if rng.random() >= chance:
                continue
            results.append(_platform_result(rng, enterprise_id, year, edition, model))
    PlatformResult.objects.bulk_create(results, batch_size=1000)

    users = list(
        User.objects.filter(enterprise__isnull=False).select_related("enterprise").order_by("pk")
    )
    submitted = 0
    for index, user in enumerate(users[:in_product]):
        # Half of them assessed last year only, so this year's questionnaire starts from a copy.
        year = 2025 if index % 2 == 0 else 2026
        with on(date(year, 3, 20)):
            _answer_and_submit(user, year, model, rng)
        submitted += 1
    return {"platform_results": len(results), "assessments": submitted}


def _answers(rng: random.Random, model: MaturityModel) -> tuple[str, dict[str, str]]:
    """A manufacturing type and an answer to every item; some enterprises answer better."""
    kind = rng.choice(model.manufacturing_types).code
    bias = rng.choice([0, 1, 2])
    grades = list(GRADE_WEIGHTS)
    weights = [w + (bias * 2 if g == "FULL" else 0) for g, w in GRADE_WEIGHTS.items()]
    return kind, {item.code: rng.choices(grades, weights=weights)[0] for item in model.items}


def _answer_and_submit(user, year, model, rng) -> None:
    kind, answers = _answers(rng, model)
    assessment, _ = services.start_assessment(
        actor=user, enterprise=user.enterprise, year=year, manufacturing_type=kind
    )
    assessment.answers = answers
    assessment.save(update_fields=["answers"])
    services.submit_assessment(actor=user, assessment=assessment, version=assessment.version)


# --------------------------------------------------------------------------------------------
# National sizes: the results of the enterprises past the small demo, a chunk at a time
# --------------------------------------------------------------------------------------------

# Of the enterprises assessed in a year, the share that answered in the product (the others
# bring their national-platform result): a submitted assessment with answers and scores.
IN_PRODUCT_SHARE = 0.1
# Distinct answer sheets the in-product assessments are drawn from, each scored once.
ANSWER_SHEETS = 32


@dataclass(frozen=True)
class _Sheet:
    manufacturing_type: str
    answers: dict[str, str]
    scored: dict


class BulkResults:
    """Last year's and this year's results of enterprises written in bulk, in the small demo's
    proportions (``_chances``): most as imported national-platform results (no history, as in
    the small demo), ``IN_PRODUCT_SHARE`` as submitted in-product assessments holding what
    ``services.submit_assessment`` would store for their answers (scored once per answer sheet;
    no per-row service call, audit entry or account: these enterprises have none) with their
    creation history row. Deterministic for a seed and the enterprises given."""

    def __init__(self, seed: int = 2026):
        self.rng = random.Random(f"bulk-results-{seed}")
        self.edition = MaturityModelEdition.objects.active()
        self.model = self.edition.model
        self.levels: dict[Decimal, int] = {}  # a score's level, computed once
        sheets_rng = random.Random(f"bulk-sheets-{seed}")
        self.sheets = []
        for _ in range(ANSWER_SHEETS):
            kind, answers = _answers(sheets_rng, self.model)
            result = score_assessment(self.model, answers, manufacturing_type=kind)
            self.sheets.append(_Sheet(kind, answers, services.scored_fields(result)))

    def _level(self, score: Decimal) -> int:
        if score not in self.levels:
            self.levels[score] = level_for_score(score, model=self.model)
        return self.levels[score]

    def draw(self, enterprises: list[tuple[int, bool]], ids: bulk.NextIds) -> DrawnResults:
        """The results of these (enterprise id, 规上), numbered, and their counted results:
        plain rows, nothing written (rows are drawn in order, then written in any order)."""
        rng, edition, results, assessments = self.rng, self.edition, [], []
        for enterprise_id, above_scale in enterprises:
            for year, chance in _chances(above_scale):
                if rng.random() >= chance:
                    continue
                if rng.random() >= IN_PRODUCT_SHARE:
                    score = _score(rng)
                    results.append(
                        {
                            "enterprise_id": enterprise_id,
                            "year": year,
                            "score": score,
                            "level": self._level(score),
                            "assessed_on": date(year, 1, 15) + timedelta(days=rng.randint(0, 85)),
                            "source": PlatformResult.Source.IMPORT.value,
                            "edition_id": edition.pk,
                        }
                    )
                    continue
                sheet = rng.choice(self.sheets)
                day = date(year, 3, 1) + timedelta(days=rng.randint(0, 80))
                assessments.append(
                    {
                        "enterprise_id": enterprise_id,
                        "year": year,
                        "edition_id": edition.pk,
                        "manufacturing_type": sheet.manufacturing_type,
                        "status": Assessment.Status.SUBMITTED.value,
                        "answers": sheet.answers,
                        "submitted_at": datetime(year, day.month, day.day, 10, tzinfo=SHANGHAI),
                        "submitted_on": day,
                        "version": 2,  # created, then submitted
                        **sheet.scored,
                    }
                )
        for model, rows in ((PlatformResult, results), (Assessment, assessments)):
            first = ids.take(model, len(rows))
            for offset, row in enumerate(rows):
                row["id"] = first + offset
        return DrawnResults(results, assessments, _counted(results, assessments))

    @staticmethod
    def write(drawn: DrawnResults) -> dict[str, int]:
        """Write drawn results, the assessments' creation history and the counted results
        (inside the caller's transaction). Written before their enterprises are announced
        (``regrouped``), which counts them into the tallies with the enterprises."""
        bulk.insert_rows(PlatformResult, drawn.results)
        if drawn.assessments:
            bulk.insert_rows(Assessment, drawn.assessments)
            bulk.copy_history(Assessment, drawn.assessments[0]["id"], drawn.assessments[-1]["id"])
        bulk.insert_rows(CountedResult, drawn.counted)
        return {"platform_results": len(drawn.results), "assessments": len(drawn.assessments)}


@dataclass(frozen=True)
class DrawnResults:
    results: list[dict]
    assessments: list[dict]
    counted: list[dict]


def _counted(results: list[dict], assessments: list[dict]) -> list[dict]:
    """The counted results of new enterprises. Each has at most one result a year (one draw per
    year in ``draw``), which is therefore the counted one: its rows are written as they are,
    not recomputed by ``refresh_counted`` (about a third of the generator's time). The
    load-demo tests check them against ``live_counted`` and the tallies against a rebuild."""
    counted: dict[tuple[int, int], dict] = {}
    for source, rows, day, link in (
        (SOURCE_PLATFORM, results, "assessed_on", "platform_result_id"),
        (SOURCE_ASSESSMENT, assessments, "submitted_on", "assessment_id"),
    ):
        for row in rows:
            key = (row["enterprise_id"], row["year"])
            if key in counted:
                raise ValueError(f"two results of enterprise {key[0]} in {key[1]}")
            counted[key] = {
                "enterprise_id": key[0],
                "year": key[1],
                "source": source,
                "score": row["score"],
                "level": row["level"],
                "counted_on": row[day],
                "assessment_id": None,
                "platform_result_id": None,
                link: row["id"],
            }
    return list(counted.values())
