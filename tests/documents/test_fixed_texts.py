"""The embedded fonts cover every fixed text of the forms and the report."""

from factorytiers.documents import forms, report
from factorytiers.rendering.fonts import FACES
from tests.documents.inspect_files import font_covers


def test_the_fonts_cover_every_fixed_text_of_the_forms_and_the_report():
    texts = [report.report_title(2026), *report.SECTION_HEADINGS, report.ATTACHMENT_LINE]
    for spec in forms.SPECS.values():
        texts += [spec.label, spec.title, spec.unit_label, *spec.header, *spec.notes]
    for item in FACES:
        assert font_covers(item.path, "".join(texts)) == set(), item.file_name
