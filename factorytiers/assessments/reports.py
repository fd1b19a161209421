"""What the result page, the summary before submitting and the PDF report show, as plain data
computed from an assessment (the page and the PDF render the same data)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from factorytiers.domain.maturity import (
    AnswerError,
    display_score,
    improvement_items,
    level_name,
    score_assessment,
    unanswered_items,
)
from factorytiers.enterprises.models import Enterprise
from factorytiers.rendering.charts import radar_chart
from factorytiers.rendering.pdf import png_data_uri, render_pdf

from . import selectors, services
from .models import Assessment
from .questionnaire import progress_of


def _score(value: str | None) -> Decimal | None:
    return None if value in (None, "") else display_score(Decimal(value))


def summary_context(assessment: Assessment) -> dict:
    """A draft: progress by domain, what is missing, what is left out, a provisional score."""
    model = assessment.model
    progress = progress_of(assessment, model)
    missing = unanswered_items(model, assessment.answers, left_out=assessment.left_out.keys())
    missing_rows = []
    for code in missing[:30]:
        item = model.item(code)
        sub = model.sub_domain(item.sub_domain)
        missing_rows.append(
            {
                "code": code,
                "text": item.text,
                "sub_domain": sub.name,
                "domain": sub.domain,
                "level": level_name(item.level),
            }
        )
    provisional = None
    try:
        provisional = score_assessment(
            model,
            assessment.answers,
            manufacturing_type=assessment.manufacturing_type,
            left_out=assessment.left_out.keys(),
        )
    except AnswerError:
        pass
    domains = [
        {
            "code": d.code,
            "name": d.name,
            "answered": progress["by_domain"][d.code][0],
            "total": progress["by_domain"][d.code][1],
        }
        for d in model.domains
    ]
    return {
        "assessment": assessment,
        "model": model,
        "progress": progress,
        "domains": domains,
        "missing_count": len(missing),
        "missing": missing_rows,
        "left_out": _left_out_rows(assessment),
        "problems": services.submission_problems(assessment),
        "provisional": provisional,
        "first_domain": model.domains[0].code,
    }


def _left_out_rows(assessment: Assessment) -> list[dict]:
    model = assessment.model
    return [
        {
            "code": sub.code,
            "name": sub.name,
            "domain": model.domain(sub.domain).name,
            "reason": assessment.left_out[sub.code],
        }
        for sub in model.sub_domains
        if sub.code in assessment.left_out
    ]


def result_data(user, assessment: Assessment) -> dict:
    """A submitted assessment's result: scores, radar, improvements, peers, earlier years."""
    model = assessment.model
    level = assessment.level
    next_level = min(level + 1, model.max_level)
    level_scores = {int(k): Decimal(v) for k, v in assessment.level_scores.items()}
    levels = [
        {
            "number": lvl.number,
            "name": level_name(lvl.number),
            "title": lvl.name,
            "score": display_score(level_scores[lvl.number])
            if lvl.number in level_scores
            else None,
            "met": lvl.number in level_scores and level_scores[lvl.number] >= model.met_threshold,
            "evaluated": lvl.number in level_scores,
        }
        for lvl in model.levels
    ]
    evaluated = sorted(level_scores)
    shown_levels = sorted({*evaluated, next_level})
    domain_scores = assessment.domain_scores
    sub_scores = assessment.sub_domain_scores
    domains = [
        {
            "code": d.code,
            "name": d.name,
            "element": model.element(d.element).name,
            "scores": [_score(domain_scores.get(str(lvl), {}).get(d.code)) for lvl in shown_levels],
            "next": _score(domain_scores.get(str(next_level), {}).get(d.code)),
        }
        for d in model.domains
    ]
    subs = [
        {
            "code": s.code,
            "name": s.name,
            "domain": model.domain(s.domain).name,
            "left_out": s.code in assessment.left_out,
            "scores": [_score(sub_scores.get(str(lvl), {}).get(s.code)) for lvl in shown_levels],
        }
        for s in model.sub_domains
    ]
    radar_levels = [next_level] + ([level] if 1 <= level < next_level else [])
    radar_domains = [d for d in domains if d["next"] is not None]
    radar = {
        "indicators": [{"name": d["name"], "max": 1} for d in radar_domains],
        "series": [
            {
                "name": f"{level_name(lvl)}（{'下一等级' if lvl == next_level and lvl != level else '当前等级'}）",
                "values": [
                    float(_score(domain_scores.get(str(lvl), {}).get(d["code"])) or 0)
                    for d in radar_domains
                ],
            }
            for lvl in radar_levels
        ],
    }
    counted = (
        selectors.with_counted_result(
            Enterprise.objects.visible_to(user).filter(pk=assessment.enterprise_id),
            assessment.year,
        )
        .values("counted_assessment_id", "counted_source")
        .first()
    )
    return {
        "assessment": assessment,
        "enterprise": assessment.enterprise,
        "model": model,
        "score": assessment.score,
        "level_name": level_name(level),
        "level_title": model.levels[level - 1].name if level else "",
        "next_level": next_level,
        "next_level_name": level_name(next_level),
        "levels": levels,
        "shown_levels": [level_name(lvl) for lvl in shown_levels],
        "domains": domains,
        "sub_domains": subs,
        "radar": radar,
        "improvements": improvement_items(
            model,
            assessment.answers,
            target_level=next_level,
            left_out=assessment.left_out.keys(),
        ),
        "left_out": _left_out_rows(assessment),
        "peers": selectors.peer_comparison(assessment.enterprise, assessment.year),
        "min_peers": selectors.MIN_PEERS,
        "earlier": selectors.earlier_results(user, assessment.enterprise_id, assessment.year),
        "is_counted": bool(counted) and counted["counted_assessment_id"] == assessment.pk,
        "counted_source": counted["counted_source"] if counted else None,
        "source_labels": selectors.SOURCE_LABELS,
        "grade_names": {g.key: g.name for g in model.grades},
    }


def result_context(user, assessment: Assessment) -> dict:
    return result_data(user, assessment)


def report_pdf(user, assessment: Assessment) -> bytes:
    data = result_data(user, assessment)
    radar = data["radar"]
    chart = None
    if len(radar["indicators"]) >= 3:
        chart = png_data_uri(
            radar_chart(
                [i["name"] for i in radar["indicators"]],
                {s["name"]: s["values"] for s in radar["series"]},
                1.0,
                title=f"各能力域得分（{data['next_level_name']}）",
            )
        )
    return render_pdf(
        "assessments/report_pdf.html",
        {
            **data,
            "document_title": f"{assessment.enterprise.name}{assessment.year}年度智能制造能力成熟度自评估报告",
            "radar_image": chart,
            "generated_at": timezone.localtime(),
        },
    )
