"""A realistic, fictitious demo data set: enterprises spread over Shanxi's units and sectors.

Names, people and phone numbers are generated from word lists; none belongs to a real person or
enterprise. The generator is deterministic for a seed.
"""

import itertools
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from factorytiers.domain.credit_code import CHARSET, make_credit_code
from factorytiers.domain.sectors import EnterpriseNature
from factorytiers.reference.models import Country, IndustryCode, Region

from .models import Enterprise, Factory

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


def _pick(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


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


@transaction.atomic
def generate(*, count: int, seed: int = 2026) -> DemoResult:
    rng = random.Random(seed)
    units = {r.code: r for r in Region.objects.filter(is_reporting_unit=True)}
    unit_weights = {code: w for code, w in UNIT_WEIGHTS.items() if code in units}
    classes_by_division: dict[str, list[IndustryCode]] = {}
    for code in IndustryCode.objects.filter(level=IndustryCode.Level.CLASS).select_related(
        "parent__parent"
    ):
        classes_by_division.setdefault(code.code[:2], []).append(code)
    sector_by_division = dict(
        IndustryCode.objects.filter(level=IndustryCode.Level.DIVISION).values_list(
            "code", "suggested_sector"
        )
    )
    countries = {c.iso2: c for c in Country.objects.filter(iso2__in=OVERSEAS_COUNTRIES)}
    used_bodies = set(Enterprise.objects.values_list("credit_code", flat=True))
    used_names = set(Enterprise.objects.values_list("name", flat=True))
    enterprises = []
    for _ in range(count):
        unit = units[_pick(rng, unit_weights)]
        division = _pick(rng, DIVISION_WEIGHTS)
        industry = rng.choice(classes_by_division[division])
        city = (unit.short_name or unit.name).removesuffix("市")[:2]
        name = _unique_name(rng, city, division, used_names)
        employees, revenue = _size(rng)
        division_code = unit.code if unit.code.isdigit() else "140100"
        enterprise = Enterprise(
            name=name,
            credit_code=make_credit_code(
                division=division_code, org_body=_org_body(rng, used_bodies)
            ),
            unit=unit,
            address=f"{unit.name}{rng.choice(STEMS)}路{rng.randint(1, 399)}号",
            nature=_pick(rng, NATURE_WEIGHTS).value,
            industry=industry,
            sector=sector_by_division[division],
            employees=employees,
            revenue_wan=revenue,
            contact_name=_person(rng),
            contact_phone=_mobile(rng),
            is_pilot_winner=rng.random() < 0.01,
        )
        enterprise.compute_derived()
        enterprises.append(enterprise)
    created = bulk_create_with_history(enterprises, Enterprise, batch_size=500)
    factories = []
    for enterprise in created:
        factories.append(
            Factory(
                enterprise=enterprise,
                name=f"{enterprise.name.removesuffix('有限公司')}一厂"[:120],
                location=enterprise.address,
            )
        )
        if enterprise.size_class == "大型企业" and rng.random() < 0.25 and countries:
            country = countries[rng.choice(sorted(countries))]
            factories.append(
                Factory(
                    enterprise=enterprise,
                    name=f"{enterprise.name[:12]}{country.name_zh}工厂",
                    location=f"{country.name_zh}",
                    is_overseas=True,
                    country=country,
                )
            )
    bulk_create_with_history(factories, Factory, batch_size=1000)
    return DemoResult(enterprises=len(created), factories=len(factories))
