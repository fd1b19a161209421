"""The four factory tiers of the 梯度培育 (in rank order) and the kind of a 揭榜 acceptance."""

from enum import StrEnum
from typing import Final


class Tier(StrEnum):
    BASIC = "基础级"
    ADVANCED = "先进级"
    EXCELLENT = "卓越级"
    LEADING = "领航级"


TIERS: Final[tuple[Tier, ...]] = tuple(Tier)

# An application is for a tier, or for the acceptance of a 揭榜 (示范工厂揭榜单位验收).
ACCEPTANCE: Final = "揭榜验收"


def tier_rank(tier: str) -> int:
    """0 for 基础级 … 3 for 领航级; ValueError for anything else."""
    return TIERS.index(Tier(tier))


def is_lower(tier: str, than: str) -> bool:
    return tier_rank(tier) < tier_rank(than)
