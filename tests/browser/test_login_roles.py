"""Each role logs in through the real log-in form and sees its own home page."""

import pytest

from tests.browser.conftest import log_in

HOME_TITLES = {
    "ent_a": "企业工作台",
    "city_a": "太原市工作台",
    "prov": "省级工作台",
    "expert": "专家评审工作台",
    "admin": "系统管理工作台",
}
NAV = {
    "ent_a": ["首页", "本企业"],
    "city_a": ["首页", "企业名录", "注册审核"],
    "prov": ["首页", "企业名录", "注册审核", "操作日志"],
    "expert": ["首页"],
    "admin": ["首页", "注册审核", "操作日志", "成熟度模型", "运维管理"],
}
# The operator keeps accounts, reference data and the audit log, not the business data.
NOT_IN_NAV = {"admin": ["企业名录", "年度工作", "统计分析", "自评估情况"]}


@pytest.mark.parametrize("username", sorted(HOME_TITLES))
def test_each_role_logs_in_and_sees_its_home(page, users, username):
    log_in(page, username)
    assert page.locator("#home-title").inner_text().strip() == HOME_TITLES[username]
    # Plain entries and those grouped in a drop-down menu alike.
    nav = [t.strip() for t in page.locator("#main-nav a[href^='/']").all_text_contents()]
    for label in NAV[username]:
        assert label in nav
    for label in NOT_IN_NAV.get(username, []):
        assert label not in nav
    if username == "city_a":
        assert page.locator("#stat-total").inner_text() == "1"
    if username == "ent_a":
        assert "太原晋华重工有限公司" in page.content()


def test_a_wrong_password_is_refused_in_chinese(page, users):
    page.goto("/accounts/login/")
    page.fill("#id_username", "city_a")
    page.fill("#id_password", "wrong-password")
    page.click("#login-form button[type=submit]")
    assert "用户名或密码不正确" in page.locator("#form-errors").inner_text()
