"""Load the typical-scenario guide and the seeded campaign into the database.

Used by data migration 0002 (with historical models); idempotent, rows matched on their keys.
"""

import json
from datetime import date
from pathlib import Path

from factorytiers.reference.loaders import read_rows

SEED_DIR = Path(__file__).resolve().parent / "seed"
SCENARIO_EDITION = {
    "code": "2025",
    "title": "智能制造典型场景参考指引（2025年版）",
    "source": "工业和信息化部《智能制造典型场景参考指引（2025年版）》，2025年4月；"
    "场景说明为本项目自行撰写（见 factorytiers/data/scenarios_2025.csv）。",
}


def read_json(name: str) -> dict:
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))


def default_settings() -> dict:
    return read_json("settings_defaults.json")


def load_scenarios(edition_model, link_model, scenario_model):
    edition, _ = edition_model.objects.update_or_create(
        code=SCENARIO_EDITION["code"],
        defaults={k: v for k, v in SCENARIO_EDITION.items() if k != "code"},
    )
    for row in read_rows("construction_links.csv"):
        link_model.objects.update_or_create(
            edition=edition,
            guide_link=row["guide_link"],
            defaults={"construction_link": row["construction_link"]},
        )
    for row in read_rows("scenarios_2025.csv"):
        scenario_model.objects.update_or_create(
            edition=edition,
            number=int(row["number"]),
            defaults={
                "link": row["link"],
                "name": row["name"],
                "construction_link": row["construction_link"],
                "name_variant": row["name_variant"],
                "description": row["description"],
            },
        )
    return edition


def load_campaign(campaign_model, task_model, region_model, edition, name="shanxi_2026.json"):
    data = read_json(name)
    campaign, _created = campaign_model.objects.get_or_create(
        province=region_model.objects.get(code=data["province_code"]),
        year=data["year"],
        defaults={
            "title": data["title"],
            "document_number": data["document_number"],
            "issued_on": date.fromisoformat(data["issued_on"]),
            "issuer": data["issuer"],
            "contact_name": data["contact_name"],
            "contact_department": data["contact_department"],
            "contact_phone": data["contact_phone"],
            "free_statement": data["free_statement"],
            "platforms": data["platforms"],
            "scenario_edition": edition,
            "settings": default_settings(),
        },
    )
    # Early migrations run this with models that do not have every field yet.
    fields = {field.name for field in task_model._meta.get_fields()}
    for order, task in enumerate(data["tasks"], start=1):
        defaults = {
            "title": task["title"],
            "deadline": date.fromisoformat(task["deadline"]) if task["deadline"] else None,
            "deadline_note": task["deadline_note"],
            "deliverable": task["deliverable"],
            "order": order,
        }
        if "instructions" in fields:
            defaults["instructions"] = task.get("instructions", "")
        task_model.objects.update_or_create(campaign=campaign, kind=task["kind"], defaults=defaults)
    return campaign


def load_task_instructions(campaign_model, task_model, name="shanxi_2026.json"):
    """The notice's instructions per task, for a campaign seeded before tasks had them."""
    data = read_json(name)
    campaign = campaign_model.objects.filter(year=data["year"]).first()
    if campaign is None:
        return
    for task in data["tasks"]:
        task_model.objects.filter(campaign=campaign, kind=task["kind"], instructions="").update(
            instructions=task.get("instructions", "")
        )


def load_all(get_model, region_model):
    edition = load_scenarios(
        get_model("ScenarioEdition"), get_model("ConstructionLink"), get_model("Scenario")
    )
    return load_campaign(get_model("Campaign"), get_model("Task"), region_model, edition)
