"""Fixtures of the rendering tests: a template folder with sample print templates."""

import copy
from pathlib import Path

import pytest


@pytest.fixture
def sample_templates(settings):
    """Make ``tests/rendering/templates`` visible to the template loader."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates
