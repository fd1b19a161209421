"""A new enterprise user answers the whole maturity questionnaire in Chromium: every answer is
autosaved (closing the tab midway loses nothing), submits, sees the result with its radar chart,
and downloads the PDF report."""

import io
import re
import time

from pypdf import PdfReader

from factorytiers.accounts.models import Role
from factorytiers.assessments.models import Assessment
from factorytiers.reference.models import Region
from tests.assessments.test_report_pdf import DOMAINS, embedded_fonts
from tests.browser.conftest import log_in
from tests.conftest import make_enterprise, make_user

# 一级–三级 全部满足, 四级 大部分满足 (0.8, met), 五级 不满足: total 3.80, 四级.
GRADE_BY_LEVEL = {"1": "FULL", "2": "FULL", "3": "FULL", "4": "MOSTLY", "5": "NOT_MET"}


def grade_for(code: str) -> str:
    return GRADE_BY_LEVEL[re.search(r"\.L(\d)\.", code).group(1)]


def item_codes(page) -> list[str]:
    return page.eval_on_selector_all(
        "input[data-kind=answer][value=FULL]", "els => els.map(e => e.dataset.key)"
    )


def answer(page, codes) -> None:
    for code in codes:
        page.check(f'input[name="a:{code}"][value="{grade_for(code)}"]')


def wait_until_saved(page) -> None:
    page.wait_for_function(
        "() => { const s = document.getElementById('autosave-status');"
        " return s.dataset.pending === '0' && s.textContent.includes('已保存'); }"
    )


def section_url(pk: int, domain: str) -> str:
    return f"/assessments/{pk}/fill/{domain}/"


def go_to(page, pk: int, domain: str) -> None:
    """Move to another screen by the navigation, as a user does (it waits for pending saves)."""
    page.click(f"#domain-nav a[href='{section_url(pk, domain)}']")
    page.wait_for_url(f"**{section_url(pk, domain)}")


def test_a_new_enterprise_answers_everything_closes_the_tab_midway_and_downloads_the_report(
    page, db
):
    unit = Region.objects.get(code="140100")
    enterprise = make_enterprise(unit, name="太原新晋智能装备有限公司", body="MA0E0001")
    make_user("new_ent", Role.ENTERPRISE, enterprise=enterprise)

    log_in(page, "new_ent")
    page.click("#main-nav >> text=成熟度自评估")
    page.click("#start-form button[type=submit]")
    page.wait_for_url(re.compile(r"/fill/STRATEGY/$"))
    assessment = Assessment.objects.get(enterprise=enterprise)
    domains = [d.code for d in assessment.model.domains]

    # First screen: answers and an evidence note typed without leaving the field.
    answer(page, item_codes(page))
    page.fill('textarea[name="e:STRAT.L1.1"]', "《智能制造发展规划（2026—2028）》")
    wait_until_saved(page)
    assert "已答 15 / 300 项" in page.inner_text("#progress-text")

    # Screens 2–5 through the navigation links: only autosave keeps the answers.
    for domain in domains[1:5]:
        go_to(page, assessment.pk, domain)
        answer(page, item_codes(page))
        wait_until_saved(page)

    # Midway through screen 6 the tab is closed.
    go_to(page, assessment.pk, domains[5])
    codes = item_codes(page)
    answer(page, codes[:7])
    wait_until_saved(page)
    context = page.context
    page.close()

    page = context.new_page()
    page.goto(section_url(assessment.pk, domains[5]))
    for code in codes[:7]:
        assert page.is_checked(f'input[name="a:{code}"][value="{grade_for(code)}"]')
    assert not page.locator(f'input[name="a:{codes[7]}"]:checked').count()
    assert "已答 82 / 300 项" in page.inner_text("#progress-text")
    page.goto(section_url(assessment.pk, domains[0]))
    assert page.input_value('textarea[name="e:STRAT.L1.1"]') == "《智能制造发展规划（2026—2028）》"
    page.goto(section_url(assessment.pk, domains[5]))
    answer(page, codes[7:])
    wait_until_saved(page)

    # The rest, leaving out 物流 with its reason, without waiting for the saves.
    for domain in domains[6:]:
        go_to(page, assessment.pk, domain)
        if domain == "LOGISTICS":
            page.check("#x-LOGISTICS")
            page.fill("#r-LOGISTICS", "产品由客户上门自提，企业无自有物流")
            continue
        answer(page, item_codes(page))
    page.click("#next-button")  # the page's own button: it saves the screen once all is saved
    page.wait_for_url(re.compile(r"/submit/$"))
    assert page.inner_text("#summary-progress").strip() == "285 / 285"
    assert "产品由客户上门自提" in page.inner_text("#left-out-list")

    page.click("#submit-button")
    page.wait_for_url(re.compile(rf"/assessments/{assessment.pk}/$"))
    assert page.inner_text("#result-score").strip() == "3.80"
    assert page.inner_text("#result-level").startswith("四级")
    page.wait_for_selector("#radar-chart[data-ready='1'] canvas")

    with page.expect_download() as download_info:
        page.click("#pdf-link")
    pdf = download_info.value
    content = open(pdf.path(), "rb").read()
    reader = PdfReader(io.BytesIO(content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "3.80" in text and "四级" in text
    for name in DOMAINS:
        assert name in text
    assert any("Noto" in name and "SC" in name for name in embedded_fonts(reader))

    assessment.refresh_from_db()
    assert assessment.status == "submitted" and len(assessment.answers) == 285
    assert assessment.left_out == {"LOGISTICS": "产品由客户上门自提，企业无自有物流"}


def test_a_note_typed_just_before_the_tab_closes_is_kept(page, db):
    unit = Region.objects.get(code="140100")
    enterprise = make_enterprise(unit, name="太原快关标签有限公司", body="MA0E0002")
    make_user("quick_ent", Role.ENTERPRISE, enterprise=enterprise)
    log_in(page, "quick_ent")
    page.goto("/assessments/")
    page.click("#start-form button[type=submit]")
    page.wait_for_url(re.compile(r"/fill/STRATEGY/$"))
    page.check('input[name="a:STRAT.L1.1"][value="PARTLY"]')
    page.fill('textarea[name="e:STRAT.L1.2"]', "刚输入、尚未离开输入框的说明")
    context = page.context
    page.close(run_before_unload=True)  # within the typing pause: the page sends it on its way out

    assessment = Assessment.objects.get(enterprise=enterprise)
    for _ in range(50):  # the request left with the page; give the server a moment
        assessment.refresh_from_db()
        if assessment.evidence and assessment.answers:
            break
        time.sleep(0.1)
    assert assessment.answers == {"STRAT.L1.1": "PARTLY"}
    assert assessment.evidence == {"STRAT.L1.2": "刚输入、尚未离开输入框的说明"}
    page = context.new_page()
    page.goto(section_url(assessment.pk, "STRATEGY"))
    assert page.input_value('textarea[name="e:STRAT.L1.2"]') == "刚输入、尚未离开输入框的说明"
