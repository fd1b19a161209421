"""Demo self-assessment results on top of the demo enterprises: national-platform results for
2025 and 2026 (most enterprises, more often the 规上 ones) and in-product assessments answered
and submitted through the services for a few enterprises, the demo enterprise users' included.
Deterministic for a seed; fictitious data."""

import random
from datetime import date, timedelta
from decimal import Decimal

from factorytiers.accounts.demo import on
from factorytiers.accounts.models import User
from factorytiers.domain.maturity import level_for_score
from factorytiers.enterprises.models import Enterprise

from . import services
from .models import MaturityModelEdition, PlatformResult

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


def generate(seed: int = 2026, in_product: int = 12) -> dict[str, int]:
    rng = random.Random(seed)
    edition = MaturityModelEdition.objects.active()
    model = edition.model
    results = []
    enterprises = list(Enterprise.objects.order_by("pk").values_list("pk", "is_above_scale"))
    for enterprise_id, above_scale in enterprises:
        for year, chance in (
            (2025, 0.5 if above_scale else 0.2),
            (2026, 0.75 if above_scale else 0.3),
        ):
            if rng.random() >= chance:
                continue
            score = _score(rng)
            results.append(
                PlatformResult(
                    enterprise_id=enterprise_id,
                    year=year,
                    score=score,
                    level=level_for_score(score, model=model),
                    assessed_on=date(year, 1, 15) + timedelta(days=rng.randint(0, 85)),
                    source=PlatformResult.Source.IMPORT,
                    edition=edition,
                )
            )
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


def _answer_and_submit(user, year, model, rng) -> None:
    assessment, _ = services.start_assessment(
        actor=user,
        enterprise=user.enterprise,
        year=year,
        manufacturing_type=rng.choice(model.manufacturing_types).code,
    )
    bias = rng.choice([0, 1, 2])  # some enterprises answer better than others
    grades = list(GRADE_WEIGHTS)
    weights = [w + (bias * 2 if g == "FULL" else 0) for g, w in GRADE_WEIGHTS.items()]
    assessment.answers = {
        item.code: rng.choices(grades, weights=weights)[0] for item in model.items
    }
    assessment.save(update_fields=["answers"])
    services.submit_assessment(actor=user, assessment=assessment, version=assessment.version)
