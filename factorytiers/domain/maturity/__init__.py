"""Intelligent-manufacturing capability maturity: the model as data, and its scoring.

The model (GB/T 39116-2020 structure) lives in a versioned TOML file under
``factorytiers/data/maturity/``; an admin may replace the item bank with the official one, and a
new edition of the standard is a new file. Nothing here depends on Django.

``model`` holds the model's types, ``loading`` reads and checks the model data, ``scoring``
scores an assessment (its docstring states the rules). Callers import from this package.
"""

from .loading import DEFAULT_MODEL_PATH, build_model, load_model
from .model import (
    LEVEL_RULE_BAND,
    LEVEL_RULE_MET_LEVELS,
    LEVEL_RULES,
    AnswerError,
    Domain,
    Element,
    Grade,
    Item,
    Level,
    ManufacturingType,
    MaturityModel,
    ModelError,
    SubDomain,
    level_name,
)
from .scoring import (
    DISPLAY_QUANTUM,
    Answer,
    AssessmentScore,
    ImprovementGroup,
    ImprovementItem,
    display_score,
    improvement_items,
    level_for_score,
    score_assessment,
    score_matches_level,
    unanswered_items,
)

__all__ = [
    "DEFAULT_MODEL_PATH",
    "DISPLAY_QUANTUM",
    "LEVEL_RULES",
    "LEVEL_RULE_BAND",
    "LEVEL_RULE_MET_LEVELS",
    "Answer",
    "AnswerError",
    "AssessmentScore",
    "Domain",
    "Element",
    "Grade",
    "ImprovementGroup",
    "ImprovementItem",
    "Item",
    "Level",
    "ManufacturingType",
    "MaturityModel",
    "ModelError",
    "SubDomain",
    "build_model",
    "display_score",
    "improvement_items",
    "level_for_score",
    "level_name",
    "load_model",
    "score_assessment",
    "score_matches_level",
    "unanswered_items",
]
