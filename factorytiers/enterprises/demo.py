"""A realistic, fictitious demo data set: enterprises spread over Shanxi's units and sectors.

Names, people and phone numbers are generated from word lists; none belongs to a real person or
enterprise. The generator is deterministic for a seed.
"""

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from factorytiers.accounts import bulk
from factorytiers.domain.credit_code import CHARSET, make_credit_code
from factorytiers.domain.enterprise_size import is_above_scale, size_class
from factorytiers.domain.sectors import EnterpriseNature
from factorytiers.domain.tiers import Tier
from factorytiers.reference.models import Country, IndustryCode, Region

from .models import Enterprise, Factory, TierRecognition

# Industry mix leaning the way Shanxi's does (coal chemicals, metals, equipment, food and drink).
DIVISION_WEIGHTS = {
    "13": 4,
    "14": 3,
    "15": 4,
    "17": 1,
    "18": 1,
    "19": 1,
    "20": 1,
    "21": 1,
    "22": 1,
    "23": 1,
    "24": 1,
    "25": 4,
    "26": 7,
    "27": 3,
    "28": 1,
    "29": 2,
    "30": 7,
    "31": 8,
    "32": 5,
    "33": 5,
    "34": 6,
    "35": 6,
    "36": 4,
    "37": 3,
    "38": 4,
    "39": 4,
    "40": 2,
    "41": 1,
    "42": 1,
    "43": 2,
}
UNIT_WEIGHTS = {
    "140100": 22,
    "140200": 8,
    "140300": 5,
    "140400": 9,
    "140500": 8,
    "140600": 5,
    "140700": 9,
    "140800": 9,
    "140900": 5,
    "141000": 8,
    "141100": 6,
    "14Z001": 6,
}
STEMS = [
    "晋华",
    "汾河",
    "龙城",
    "恒通",
    "鑫源",
    "宏达",
    "瑞丰",
    "晋泰",
    "华阳",
    "永盛",
    "中兴",
    "广源",
    "信达",
    "天和",
    "金石",
    "东方",
    "北辰",
    "嘉禾",
    "盛世",
    "华宇",
    "润泽",
    "长风",
    "鼎盛",
    "安泰",
    "晋信",
    "新元",
    "巨鹏",
    "泰和",
    "丰源",
    "远航",
    "宏图",
    "正阳",
    "三晋",
    "太行",
    "吕梁山",
    "五台",
    "云冈",
    "雁门",
    "壶口",
    "河东",
    "上党",
    "晋阳",
    "并州",
    "平遥",
]
WORDS_BY_DIVISION = {
    "13": "食品",
    "14": "食品",
    "15": "酒业",
    "17": "纺织",
    "18": "服饰",
    "19": "皮革",
    "20": "木业",
    "21": "家具",
    "22": "纸业",
    "23": "印务",
    "24": "文体用品",
    "25": "焦化",
    "26": "化工",
    "27": "制药",
    "28": "化纤",
    "29": "塑胶",
    "30": "建材",
    "31": "钢铁",
    "32": "铝业",
    "33": "金属制品",
    "34": "机械",
    "35": "重工",
    "36": "汽车部件",
    "37": "轨道装备",
    "38": "电气",
    "39": "电子",
    "40": "仪器仪表",
    "41": "制造",
    "42": "再生资源",
    "43": "设备修理",
}
SUFFIXES = ["有限公司", "股份有限公司", "集团有限公司", "有限责任公司"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国晓东红梅志强海燕文斌"
NATURE_WEIGHTS = {
    EnterpriseNature.CENTRAL_SOE: 5,
    EnterpriseNature.LOCAL_SOE: 15,
    EnterpriseNature.PRIVATE: 72,
    EnterpriseNature.FOREIGN_INVESTED: 8,
}
OVERSEAS_COUNTRIES = ["KZ", "UZ", "RU", "ID", "VN", "TH", "MY", "BR", "ZA", "EG", "AE", "DE"]


@dataclass
class DemoResult:
    enterprises: int
    factories: int


@dataclass(frozen=True)
class Weighted:
    """Keys and their cumulative weights, summed once: ``rng.choices`` draws with them exactly
    as with the weights themselves."""

    keys: list
    cumulative: list

    @classmethod
    def of(cls, weights: dict) -> "Weighted":
        return cls(list(weights), list(itertools.accumulate(weights.values())))


def _pick(rng: random.Random, weights: dict | Weighted):
    if isinstance(weights, dict):
        weights = Weighted.of(weights)
    return rng.choices(weights.keys, cum_weights=weights.cumulative)[0]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def _org_body(rng: random.Random, used: set[str]) -> str:
    # New-style bodies start with "MA", as codes issued after 2015 usually do.
    while True:
        body = "MA" + "".join(rng.choice(CHARSET[:-5]) for _ in range(6))
        if body not in used:
            used.add(body)
            return body


# Random draws before a name is made unique with a branch: the pool of one city and 大类 holds
# a few thousand names, and at national sizes a draw would otherwise never find a free one.
NAME_DRAWS = 20
ORDINALS = "一二三四五六七八九"


def _branch(n: int) -> str:
    """第一 … 第九十九: the numbering of a company's branches."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return ORDINALS[ones - 1]
    return (ORDINALS[tens - 1] if tens > 1 else "") + "十" + (ORDINALS[ones - 1] if ones else "")


def _unique_name(rng: random.Random, city: str, division: str, used: set[str]) -> str:
    for _ in range(NAME_DRAWS):
        prefix = rng.choice(["山西", city])
        stem = rng.choice(STEMS) + rng.choice(["", *STEMS[:10]])
        name = f"{prefix}{stem}{WORDS_BY_DIVISION[division]}{rng.choice(SUFFIXES)}"
        if name not in used:
            used.add(name)
            return name
    # The last draw is taken: a branch of it, numbered past the branches already made.
    for n in itertools.count(1):
        branch = f"{name}{city}第{_branch(n) if n < 100 else n}分公司"
        if branch not in used:
            used.add(branch)
            return branch
    raise AssertionError("unreachable")


def _size(rng: random.Random) -> tuple[int, Decimal]:
    band = rng.random()
    if band < 0.04:
        employees, revenue = rng.randint(1000, 12000), rng.uniform(40000, 900000)
    elif band < 0.22:
        employees, revenue = rng.randint(300, 999), rng.uniform(2000, 40000)
    elif band < 0.75:
        employees, revenue = rng.randint(20, 299), rng.uniform(300, 2000 * 3)
    else:
        employees, revenue = rng.randint(3, 19), rng.uniform(20, 300)
    return employees, Decimal(f"{revenue:.2f}")


@dataclass
class Reference:
    """The reference data the generator draws from, read once."""

    units: dict[str, Region]
    unit_weights: Weighted
    division_weights: Weighted
    nature_weights: Weighted
    classes_by_division: dict[str, list[IndustryCode]]
    sector_by_division: dict[str, str]
    countries: dict[str, Country]

    @classmethod
    def load(cls) -> "Reference":
        units = {r.code: r for r in Region.objects.filter(is_reporting_unit=True)}
        classes_by_division: dict[str, list[IndustryCode]] = {}
        for code in IndustryCode.objects.filter(level=IndustryCode.Level.CLASS).select_related(
            "parent__parent"
        ):
            classes_by_division.setdefault(code.code[:2], []).append(code)
        return cls(
            units=units,
            unit_weights=Weighted.of({c: w for c, w in UNIT_WEIGHTS.items() if c in units}),
            division_weights=Weighted.of(DIVISION_WEIGHTS),
            nature_weights=Weighted.of(NATURE_WEIGHTS),
            classes_by_division=classes_by_division,
            sector_by_division=dict(
                IndustryCode.objects.filter(level=IndustryCode.Level.DIVISION).values_list(
                    "code", "suggested_sector"
                )
            ),
            countries={c.iso2: c for c in Country.objects.filter(iso2__in=OVERSEAS_COUNTRIES)},
        )


def _enterprise(
    rng: random.Random, ref: Reference, used_names: set[str], used_bodies: set[str]
) -> dict:
    """The fields of one enterprise (its derived fields not yet computed)."""
    unit = ref.units[_pick(rng, ref.unit_weights)]
    division = _pick(rng, ref.division_weights)
    industry = rng.choice(ref.classes_by_division[division])
    city = (unit.short_name or unit.name).removesuffix("市")[:2]
    name = _unique_name(rng, city, division, used_names)
    employees, revenue = _size(rng)
    division_code = unit.code if unit.code.isdigit() else "140100"
    return {
        "name": name,
        "credit_code": make_credit_code(
            division=division_code, org_body=_org_body(rng, used_bodies)
        ),
        "unit": unit,
        "address": f"{unit.name}{rng.choice(STEMS)}路{rng.randint(1, 399)}号",
        "nature": _pick(rng, ref.nature_weights).value,
        "industry": industry,
        "sector": ref.sector_by_division[division],
        "employees": employees,
        "revenue_wan": revenue,
        "contact_name": _person(rng),
        "contact_phone": _mobile(rng),
        "is_pilot_winner": rng.random() < 0.01,
    }


def _factories(rng: random.Random, name: str, address: str, size: str, countries: dict) -> list:
    """The fields of the enterprise's factory at home and, for a quarter of the large ones, of
    one overseas."""
    factories = [
        {
            "name": f"{name.removesuffix('有限公司')}一厂"[:120],
            "location": address,
            "is_overseas": False,
            "country": None,
        }
    ]
    if size == "大型企业" and rng.random() < 0.25 and countries:
        country = countries[rng.choice(sorted(countries))]
        factories.append(
            {
                "name": f"{name[:12]}{country.name_zh}工厂",
                "location": f"{country.name_zh}",
                "is_overseas": True,
                "country": country,
            }
        )
    return factories


def basic_recognition(rng: random.Random, unit: Region) -> dict | None:
    """The fields of a 基础级 recognized by the city in 2025 or early 2026 for 15 % of the
    domestic factories of 规上 enterprises (the caller asks only for those), as an operator
    would import the city's own records; None for the others."""
    if rng.random() >= 0.15:
        return None
    year = rng.choice([2025, 2026])
    return {
        "tier": Tier.BASIC.value,
        "year": year,
        "recognized_by": TierRecognition.Level.UNIT.value,
        "recognizing_unit": unit,
        "document_number": f"{unit.name}工信发〔{year}〕{rng.randint(10, 99)}号",
        "recognized_on": date(year, rng.randint(1, 3), rng.randint(1, 28)),
    }


@transaction.atomic
def generate(*, count: int, seed: int = 2026) -> DemoResult:
    """The small demo: ``count`` enterprises and their factories (what `make run` loads)."""
    rng = random.Random(seed)
    ref = Reference.load()
    used_bodies = set(Enterprise.objects.values_list("credit_code", flat=True))
    used_names = set(Enterprise.objects.values_list("name", flat=True))
    enterprises = []
    for _ in range(count):
        enterprise = Enterprise(**_enterprise(rng, ref, used_names, used_bodies))
        enterprise.compute_derived()
        enterprises.append(enterprise)
    created = bulk_create_with_history(enterprises, Enterprise, batch_size=500)
    factories = []
    for e in created:
        for fields in _factories(rng, e.name, e.address, e.size_class, ref.countries):
            factories.append(Factory(enterprise=e, **fields))
    bulk_create_with_history(factories, Factory, batch_size=1000)
    return DemoResult(enterprises=len(created), factories=len(factories))


# --------------------------------------------------------------------------------------------
# National sizes: the enterprises past the small demo, generated and written a chunk at a time
# --------------------------------------------------------------------------------------------

CHUNK_SIZE = 5000


def _ids(model: type[Model], fields: dict) -> dict:
    """Fields as row values by attribute name: a related object becomes its id."""
    attnames = _ATTNAMES.get(model) or _ATTNAMES.setdefault(
        model, {f.name: f.attname for f in model._meta.concrete_fields}
    )
    return {attnames[k]: (v.pk if isinstance(v, Model) else v) for k, v in fields.items()}


_ATTNAMES: dict[type[Model], dict[str, str]] = {}


@dataclass
class Chunk:
    """One chunk's rows as plain values: enterprises, their factories (with the index of their
    enterprise in the chunk) and 基础级 recognitions (with the index of their factory)."""

    enterprises: list[dict] = field(default_factory=list)
    factories: list[tuple[int, dict]] = field(default_factory=list)
    recognitions: list[tuple[int, dict]] = field(default_factory=list)


def chunks(*, count: int, seed: int = 2026, size: int = CHUNK_SIZE) -> Iterator[Chunk]:
    """``count`` more enterprises, ``size`` at a time, each with its factories and recognitions
    drawn by the small demo's rules (one random stream, so the rows depend on the seed and on
    the enterprises already stored, never on the chunk size). Names and credit codes stay
    unique against the stored ones; only they are held for the whole run, never the rows."""
    rng = random.Random(f"bulk-{seed}")
    ref = Reference.load()
    used_names = set(Enterprise.objects.values_list("name", flat=True))
    used_bodies = {code[8:16] for code in Enterprise.objects.values_list("credit_code", flat=True)}
    left = count
    while left > 0:
        chunk = Chunk()
        for _ in range(min(size, left)):
            fields = _enterprise(rng, ref, used_names, used_bodies)
            revenue = fields["revenue_wan"]
            fields["size_class"] = size_class(fields["employees"], revenue).value
            fields["is_above_scale"] = is_above_scale(revenue)
            index = len(chunk.enterprises)
            chunk.enterprises.append(_ids(Enterprise, fields))
            for factory in _factories(
                rng, fields["name"], fields["address"], fields["size_class"], ref.countries
            ):
                chunk.factories.append((index, _ids(Factory, factory)))
                if fields["is_above_scale"] and not factory["is_overseas"]:
                    recognition = basic_recognition(rng, fields["unit"])
                    if recognition is not None:
                        # Its enterprise's group, as TierRecognition.save copies it.
                        recognition.update(
                            group_unit=fields["unit"],
                            group_sector=fields["sector"],
                            group_division=fields["industry"].parent.parent,
                        )
                        chunk.recognitions.append(
                            (len(chunk.factories) - 1, _ids(TierRecognition, recognition))
                        )
        left -= len(chunk.enterprises)
        yield chunk


def numbered(chunk: Chunk, ids: bulk.NextIds) -> dict[type[Model], list[dict]]:
    """The chunk's rows with their ids (``id`` and the ids they point at), by model."""
    first = {
        model: ids.take(model, len(rows))
        for model, rows in (
            (Enterprise, chunk.enterprises),
            (Factory, chunk.factories),
            (TierRecognition, chunk.recognitions),
        )
    }
    return {
        Enterprise: [
            {"id": first[Enterprise] + i, **row} for i, row in enumerate(chunk.enterprises)
        ],
        Factory: [
            {"id": first[Factory] + i, "enterprise_id": first[Enterprise] + owner, **row}
            for i, (owner, row) in enumerate(chunk.factories)
        ],
        TierRecognition: [
            {"id": first[TierRecognition] + i, "factory_id": first[Factory] + owner, **row}
            for i, (owner, row) in enumerate(chunk.recognitions)
        ],
    }


def insert(rows: dict[type[Model], list[dict]]) -> None:
    """Write one chunk's numbered rows (inside the caller's transaction), each with its
    creation history row. The id sequences are the caller's to reset."""
    now = timezone.now()
    for model, model_rows in rows.items():
        if model_rows:
            bulk.insert_rows(model, model_rows, now=now)
            bulk.copy_history(model, model_rows[0]["id"], model_rows[-1]["id"], when=now)
