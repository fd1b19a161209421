"""Load the reference data files into the database.

Used by the data migration (with historical models) and by ``manage.py load_reference`` after a
data file was updated. Loading is idempotent: rows are matched on their code and updated.
"""

import csv
from collections.abc import Iterator
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def read_rows(filename: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_regions(region_model) -> int:
    rows = list(read_rows("regions.csv"))
    by_code = {}
    # Parents precede children in the file; a second pass would be needed otherwise.
    for row in rows:
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        if row["parent_code"] and parent is None:
            parent = region_model.objects.get(code=row["parent_code"])
        region, _ = region_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "short_name": row["short_name"],
                "level": row["level"],
                "parent": parent,
                "is_reporting_unit": row["is_reporting_unit"] == "1",
            },
        )
        by_code[region.code] = region
    return len(rows)


def load_industry_codes(industry_model) -> int:
    sectors = {r["division_code"]: r["sector"] for r in read_rows("sectors.csv")}
    rows = list(read_rows("gbt4754_2017_section_c.csv"))
    by_code = {}
    for row in rows:
        parent = by_code.get(row["parent"]) if row["parent"] else None
        code, _ = industry_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "level": row["level"],
                "name": row["name"],
                "parent": parent,
                "suggested_sector": sectors.get(row["code"], "") if row["level"] == "大类" else "",
            },
        )
        by_code[code.code] = code
    return len(rows)


def load_countries(country_model) -> int:
    rows = list(read_rows("countries.csv"))
    for row in rows:
        country_model.objects.update_or_create(
            iso2=row["iso2"],
            defaults={
                "iso3": row["iso3"],
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "brics": row["brics"],
                "belt_and_road": row["belt_and_road"] == "1",
            },
        )
    return len(rows)


def load_all(get_model) -> dict[str, int]:
    """``get_model(name)`` returns the model class (historical inside a migration)."""
    return {
        "regions": load_regions(get_model("Region")),
        "industry_codes": load_industry_codes(get_model("IndustryCode")),
        "countries": load_countries(get_model("Country")),
    }
