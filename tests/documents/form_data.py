"""Sample rows of every form and a demo data set, shared by the document tests."""

import random
from decimal import Decimal

from factorytiers.documents.rows import Form1Row, Form2Row, Form4Row, Form5Row
from factorytiers.domain.statistics import TIERS, EnterpriseRow, RecognitionRow, counted_from_rows


def form1_rows():
    return [
        Form1Row(1, "山西晋华重工有限公司", "晋华一厂", ["产品数字化设计", "数字孪生工厂构建"]),
        Form1Row(2, '=HYPERLINK("x")', "+晋华二厂", ["-生产计划优化"]),
    ]


def form2_rows():
    return [
        Form2Row(
            seq=1,
            enterprise_name="山西晋华重工有限公司",
            factory_name="晋华一厂",
            score=Decimal("2.46"),
            tier="先进级",
            sector="装备制造",
            nature="民营企业",
            size_class="大型企业",
            industry_group="341 锅炉及原动设备制造",
            industry_class="3411 锅炉及辅助设备制造",
            scenario_names=["产品数字化设计", "数字孪生工厂构建"],
        ),
        Form2Row(
            seq=2,
            enterprise_name="大同云冈食品有限公司",
            factory_name="云冈食品厂",
            score=None,
            tier="基础级",
            sector="消费品",
            nature="地方国企",
            size_class="中型企业",
            industry_group="131 谷物磨制",
            industry_class="1311 稻谷加工",
            scenario_names=[],
        ),
    ]


def form4_rows():
    return [
        Form4Row(1, "山西晋华重工有限公司", "重型装备智能制造示范工厂"),
        Form4Row(2, "@太钢不锈", "不锈钢智能制造示范工厂"),
    ]


def form5_rows():
    return [
        Form5Row(
            seq=1,
            enterprise_name="山西晋华重工有限公司",
            factory_name="泰国罗勇智能工厂",
            self_assessed_level="先进级",
            sector="装备制造",
            employees=1200,
            revenue_wan=Decimal("123456.78"),
            introduction="主营重型装备制造，建成数字孪生车间。",
            contact="张伟 13912345678",
        ),
    ]


def demo_data(count: int, seed: int = 7):
    """A deterministic data set of ``count`` enterprises with assessments and recognitions: counted
    as the database counts them."""
    rng = random.Random(seed)
    rows, recognitions = [], []
    for enterprise_id in range(1, count + 1):
        assessed = rng.random() < 0.6
        level = rng.choice(range(6)) if assessed else None
        rows.append(
            enterprise := EnterpriseRow(
                enterprise_id=enterprise_id,
                unit=rng.choice(["太原市", "大同市"]),
                sector=rng.choice(["原材料", "电子信息", "装备制造", "消费品"]),
                division=rng.choice(["13", "34", "39"]),
                above_scale=rng.random() < 0.4,
                level=level,
                score=None if level is None else Decimal(rng.randint(0, 500)) / 100,
            )
        )
        if rng.random() < 0.1:
            recognitions.append(
                RecognitionRow(
                    factory_id=enterprise_id,
                    enterprise_id=enterprise_id,
                    tier=rng.choice(TIERS),
                    year=rng.choice([2025, 2026]),
                    in_force=rng.random() < 0.9,
                    unit=enterprise.unit,
                    sector=enterprise.sector,
                    division=enterprise.division,
                )
            )
    return counted_from_rows(rows, recognitions, 2026)


ROWS = {"form1": form1_rows, "form2": form2_rows, "form4": form4_rows, "form5": form5_rows}
