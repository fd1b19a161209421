"""Load of a campaign's busiest weeks: enterprises filling in and submitting the maturity
self-assessment, city officers reviewing their unit's assessments and editing their report.

Accounts come from ``prepare.py`` (the file named by LOAD_ACCOUNTS). Each enterprise user logs
in, fills every section of the questionnaire page by page, submits once, then reads its result;
each city officer works through the overview, its enterprises and its report. A 409 on the
report is an answer the product gives on purpose (two tabs of one officer), not an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading

from locust import HttpUser, between, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8").read())
YEAR = ACCOUNTS["year"]
_pools = {
    role: itertools.cycle([a for a in ACCOUNTS["accounts"] if a["role"] == role])
    for role in ("enterprise", "city")
}
_lock = threading.Lock()

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')
RADIO = re.compile(r'type="radio" id="[^"]*" name="(a:[^"]+)" value="([^"]+)"')
SECTION = re.compile(r"/assessments/(\d+)/fill/([^/]+)/")
LINK = re.compile(r'href="(/assessments/\d+/)"')


def _next_account(role: str) -> dict:
    with _lock:
        return next(_pools[role])


class Officer(HttpUser):
    abstract = True
    role = ""

    def on_start(self) -> None:
        self.account = _next_account(self.role)
        page = self.client.get("/accounts/login/", name="login page")
        self.client.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
                "username": self.account["username"],
                "password": self.account["password"],
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="log in",
        )

    def post(self, url: str, data: dict, page_text: str, name: str, **kwargs):
        data = {"csrfmiddlewaretoken": CSRF.search(page_text).group(1), **data}
        return self.client.post(
            url, data, headers={"Referer": self.host + url}, name=name, **kwargs
        )


class Enterprise(Officer):
    """Fills in and submits one self-assessment, then reads it."""

    role = "enterprise"
    weight = 16
    wait_time = between(1, 4)

    def on_start(self) -> None:
        super().on_start()
        self.submitted = None

    @task
    def work(self) -> None:
        if self.submitted:
            self.read()
            return
        mine = self.client.get("/assessments/", name="assessment: mine")
        started = self.post(
            "/assessments/start/",
            {"year": YEAR, "manufacturing_type": random.choice(["DISCRETE", "PROCESS"])},
            mine.text,
            "assessment: start",
        )
        match = SECTION.search(started.url)
        if not match:
            started.failure = True
            return
        pk = match.group(1)
        url = started.url[started.url.index("/assessments/") :]
        for _ in range(20):  # one page per domain; the last one leads to the summary
            page = self.client.get(url, name="assessment: section page")
            answers = {}
            for name, value in RADIO.findall(page.text):
                answers.setdefault(name, [])
                answers[name].append(value)
            data = {name: random.choice(values) for name, values in answers.items()}
            data["version"] = VERSION.search(page.text).group(1)
            data["go"] = "next"
            saved = self.post(url, data, page.text, "assessment: save section")
            if "/submit/" in saved.url:
                break
            url = saved.url[saved.url.index("/assessments/") :]
            if not SECTION.search(url):
                # the last page's button leads to the summary
                break
        summary = self.client.get(f"/assessments/{pk}/submit/", name="assessment: summary")
        with self.client.post(
            f"/assessments/{pk}/submit/",
            {
                "csrfmiddlewaretoken": CSRF.search(summary.text).group(1),
                "version": VERSION.search(summary.text).group(1),
            },
            headers={"Referer": self.host + f"/assessments/{pk}/submit/"},
            name="assessment: submit",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"submit answered {answer.status_code}")
                return
        self.submitted = pk

    def read(self) -> None:
        self.client.get("/", name="home")
        self.client.get(f"/assessments/{self.submitted}/", name="assessment: result")


class City(Officer):
    """Reviews the unit's enterprises and assessments; edits the unit's report."""

    role = "city"
    weight = 1
    wait_time = between(1, 4)

    @task(4)
    def overview(self) -> None:
        self.client.get("/", name="home")
        page = self.client.get("/assessments/overview/", name="assessment: overview")
        for link in random.sample(LINK.findall(page.text), k=min(3, len(LINK.findall(page.text)))):
            self.client.get(link, name="assessment: result")

    @task(3)
    def enterprises(self) -> None:
        self.client.get("/enterprises/", name="enterprises: list")
        self.client.get("/enterprises/?q=机械", name="enterprises: search")

    @task(1)
    def statistics(self) -> None:
        self.client.get("/documents/statistics/", name="statistics")

    @task(2)
    def report(self) -> None:
        edit = self.account["report"]
        form = self.client.get(edit, name="report: edit page")
        with self.post(
            edit,
            {
                "version": VERSION.search(form.text).group(1),
                "progress": f"本市按通知要求组织开展智能工厂梯度培育工作（{random.randint(1, 999)}）。",
            },
            form.text,
            "report: save",
            catch_response=True,
        ) as answer:
            if answer.status_code in (200, 409):
                answer.success()
