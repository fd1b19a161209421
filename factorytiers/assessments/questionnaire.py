"""The questionnaire screens: one capability domain per screen, its sub-domains and their items
level by level; progress counted over the items of the sub-domains that apply.

Field names of a screen's form: ``a:<item>`` (grade key), ``e:<item>`` (evidence note),
``x:<sub-domain>`` (checked: does not apply) and ``r:<sub-domain>`` (the reason).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from factorytiers.domain.maturity import MaturityModel, level_name

from .models import Assessment


@dataclass
class PostedPage:
    answers: dict[str, str]
    evidence: dict[str, str]
    left_out: dict[str, str | None]
    version: int | None


def posted_page(data: QueryDict, model: MaturityModel, domain: str) -> PostedPage:
    answers, evidence, left_out = {}, {}, {}
    for sub in model.sub_domains_of(domain):
        left_out[sub.code] = data.get(f"r:{sub.code}", "") if data.get(f"x:{sub.code}") else None
        for level in sub.levels:
            for item in model.items_at(sub.code, level):
                if f"a:{item.code}" in data:
                    answers[item.code] = data.get(f"a:{item.code}", "")
                if f"e:{item.code}" in data:
                    evidence[item.code] = data.get(f"e:{item.code}", "")
    try:
        version = int(data.get("version", ""))
    except ValueError:
        version = None  # refused like a stale page
    return PostedPage(answers, evidence, left_out, version)


def progress_of(assessment: Assessment, model: MaturityModel) -> dict:
    left_out = set(assessment.left_out)
    by_domain = {domain.code: [0, 0] for domain in model.domains}
    for item in model.items:
        sub = model.sub_domain(item.sub_domain)
        if sub.code in left_out:
            continue
        counts = by_domain[sub.domain]
        counts[1] += 1
        if item.code in assessment.answers:
            counts[0] += 1
    answered = sum(a for a, _ in by_domain.values())
    total = sum(t for _, t in by_domain.values())
    return {
        "answered": answered,
        "total": total,
        "percent": round(answered * 100 / total) if total else 100,
        "by_domain": by_domain,
    }


def page_context(
    assessment: Assessment, domain_code: str | None, *, posted: PostedPage | None = None
) -> dict:
    """Everything a screen shows; ``posted`` overlays values the user sent but that were not
    saved (a conflict or an error), so nothing typed is lost."""
    model = assessment.model
    progress = progress_of(assessment, model)
    context = {"assessment": assessment, "model": model, "progress": progress}
    if domain_code is None:
        return context
    answers = dict(assessment.answers)
    evidence = dict(assessment.evidence)
    left_out = dict(assessment.left_out)
    if posted is not None:
        answers.update({k: v for k, v in posted.answers.items() if v})
        evidence.update(posted.evidence)
        for code, reason in posted.left_out.items():
            if reason is None:
                left_out.pop(code, None)
            else:
                left_out[code] = reason
    codes = [d.code for d in model.domains]
    position = codes.index(domain_code)
    domain = model.domain(domain_code)
    subs = []
    for sub in model.sub_domains_of(domain_code):
        levels = []
        for number in sub.levels:
            items = [
                {
                    "code": item.code,
                    "text": item.text,
                    "answer": answers.get(item.code, ""),
                    "evidence": evidence.get(item.code, ""),
                }
                for item in model.items_at(sub.code, number)
            ]
            levels.append(
                {
                    "number": number,
                    "name": level_name(number),
                    "title": model.level(number).name,
                    "items": items,
                }
            )
        subs.append(
            {
                "code": sub.code,
                "name": sub.name,
                "left_out": sub.code in left_out,
                "reason": left_out.get(sub.code, ""),
                "levels": levels,
            }
        )
    nav = [
        {
            "code": d.code,
            "name": d.name,
            "element": model.element(d.element).name,
            "answered": progress["by_domain"][d.code][0],
            "total": progress["by_domain"][d.code][1],
            "current": d.code == domain_code,
        }
        for d in model.domains
    ]
    context.update(
        domain=domain,
        element=model.element(domain.element),
        sub_domains=subs,
        nav=nav,
        grades=model.grades,
        step=position + 1,
        steps=len(codes),
        previous=codes[position - 1] if position > 0 else None,
        next=codes[position + 1] if position + 1 < len(codes) else None,
    )
    return context
