"""Helpers for browser tests: navigation that is always audited by axe-core, and login.

API (see docs/testing.md, section « tests/browser »):
    visit(page, url, context=...)          goto + HTTP status < 400 + axe audit; returns the Response
    follow(page, action, context=...)      click/submit that loads a new page, same checks as visit
    assert_accessible(page, context=...)   axe audit of the current document (e.g. after an htmx swap)
    login(page, user, password=...)        signs in through the login page and, for the roles that require it,
                                           the second-factor page (device created on the fly; pages audited)
The `page` fixture fails a test whose loaded pages were not all audited.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_SCRIPT
from django.urls import reverse
from playwright.sync_api import Locator, Page, Response

DEFAULT_PASSWORD = "un-mot-de-passe-solide"  # tests.factories.UserFactory's password
PHONE = {"width": 375, "height": 667}
NARROWEST = {"width": 320, "height": 640}  # the house rule: usable at 320 px
DESKTOP = {"width": 1280, "height": 800}

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
  }));
}"""


class PageAudit:
    """Records every document the page loads and which of them axe audited."""

    def __init__(self, page: Page):
        self.loads: list[str] = []
        self.audited: set[int] = set()
        self.page_errors: list[str] = []
        self.failed_resources: list[str] = []
        page.on("load", lambda p: self.loads.append(p.url))
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)
        page._parcours_audit = self  # found again by assert_accessible

    def _on_response(self, response: Response) -> None:
        # Navigations are checked by visit/follow; here: CSS, JS, images, htmx fragments.
        if response.status >= 400 and not response.request.is_navigation_request() \
                and not response.url.endswith("/favicon.ico"):
            self.failed_resources.append(f"{response.status} {response.request.method} {response.url}")

    def _on_request_failed(self, request) -> None:
        # ERR_ABORTED: a navigation replaced by another, not a broken page.
        if request.failure != "net::ERR_ABORTED":
            self.failed_resources.append(f"{request.failure} {request.method} {request.url}")

    @classmethod
    def of(cls, page: Page) -> PageAudit:
        audit = getattr(page, "_parcours_audit", None)
        if audit is None:
            raise RuntimeError("This page does not come from the `page` fixture of tests/browser/conftest.py.")
        return audit

    def mark_current_audited(self, page: Page) -> None:
        page.wait_for_load_state("load")
        if not self.loads:
            raise AssertionError(f"No document was loaded in this page yet ({page.url}).")
        self.audited.add(len(self.loads) - 1)

    def unaudited(self) -> list[str]:
        return [url for index, url in enumerate(self.loads) if index not in self.audited]

    def problems(self) -> list[str]:
        problems = [f"page loaded but never audited by axe: {url}" for url in self.unaudited()]
        problems += [f"JavaScript error: {error}" for error in self.page_errors]
        problems += [f"sub-resource failed: {line}" for line in self.failed_resources]
        return problems


def axe_violations(page: Page) -> list[dict]:
    """All WCAG 2.1 A/AA violations axe-core finds in the current document, whatever their impact."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)  # axe-core shipped with axe-playwright-python: no network
    return page.evaluate(_RUN_AXE, AXE_TAGS)


def format_violations(violations: list[dict], *, context: str, url: str) -> str:
    lines = [f"axe-core: {len(violations)} serious/critical WCAG 2.1 A/AA violation(s) on {context} ({url}):"]
    for violation in violations:
        lines.append(f"  - {violation['id']} [{violation['impact']}] {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    * {node['target']} — {summary}")
    return "\n".join(lines)


# What a French page must not show: English words the code or a library left (whole words, case kept: "None" is
# Python's, "none" could be a name), « de » before a vowel (« Candidature de Élodie »), a label said twice.
ENGLISH_WORDS = re.compile(r"\b(?:None|True|False|null|undefined|submit|Submit|Page not found|Not Found|Forbidden|"
                           r"Server Error|Bad Request|This field is required|Enter a valid)\b")
# « De » with a capital only where a sentence starts: inside a line it is a surname's particle (Claire De Oliveira).
MISSING_ELISION = re.compile(r"(?:(?<![\w-])de|(?:^|(?<=[.!?:] ))De) (?=[AEIOUYÉÈÊÀÂÎÔaeiouyéèêàâîô])", re.M)
DOUBLED_LABEL = re.compile(r"(?<![\w])([A-ZÉÀ][\w'’·-]+(?: [\w'’·-]+){0,3}) : \1 :")


def french_problems(text: str) -> list[str]:
    """What reads wrong in French in a page's visible text (tests/browser: every page audited is checked)."""
    problems = [f"English left: « {m[0]} »" for m in ENGLISH_WORDS.finditer(text)]
    problems += [f"missing elision: « {' '.join(text[max(0, m.start() - 20):m.end() + 12].split())} »"
                 for m in MISSING_ELISION.finditer(text)]
    problems += [f"label said twice: « {m[0]} »" for m in DOUBLED_LABEL.finditer(text)]
    return problems


def assert_accessible(page: Page, context: str | None = None) -> None:
    """Runs axe on the current document; fails on any serious or critical violation, and on French that reads
    wrong (`french_problems` of the visible text).

    `context` names the situation in the failure message ("login, wrong password").
    """
    audit = PageAudit.of(page)
    audit.mark_current_audited(page)  # before raising: a failed audit is not also an unaudited page
    violations = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
    if violations:
        raise AssertionError(format_violations(violations, context=context or page.url, url=page.url))
    problems = french_problems(page.inner_text("body"))
    if problems:
        raise AssertionError(f"French on {context or page.url} ({page.url}):\n  - " + "\n  - ".join(problems))


def _check_response(response: Response | None, what: str) -> Response:
    if response is None:
        raise AssertionError(f"{what} did not load a new document (same-document navigation?).")
    if response.status >= 400:
        raise AssertionError(f"{what} answered HTTP {response.status} ({response.url}).")
    return response


def visit(page: Page, url: str, context: str | None = None) -> Response:
    """Opens `url` (relative to the live server), checks the status is < 400 and audits the page."""
    response = _check_response(page.goto(url), f"GET {url}")
    assert_accessible(page, context or url)
    return response


def follow(page: Page, action: Locator | Callable[[], object], context: str | None = None) -> Response:
    """Clicks `action` (a Locator) or calls it, waits for the new document, checks its status, audits it.

    For anything that loads a page: links, form submissions (redirects are followed).
    """
    with page.expect_navigation(wait_until="load") as navigation:
        action.click() if isinstance(action, Locator) else action()
    response = _check_response(navigation.value, f"navigation from {page.url}")
    assert_accessible(page, context or urlsplit(page.url).path)
    return response


def login(page: Page, user, password: str = DEFAULT_PASSWORD) -> None:
    """Signs `user` in through the login page, and the second-factor page when the user has (or needs) one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from parcours.accounts import twofactor
    from tests.accounts.helpers import current_code

    if twofactor.second_factor_required(user) and not twofactor.has_device(user):
        twofactor.enrolment_confirm(user, twofactor.pending_totp_device(user))
    visit(page, reverse("web:login"), context="connexion")
    page.get_by_label("Courriel", exact=True).fill(user.email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    follow(page, page.get_by_role("button", name="Se connecter"), context=f"après connexion de {user.email}")
    if urlsplit(page.url).path == reverse("accounts:verify"):
        TOTPDevice.objects.filter(user=user).update(last_t=-1)  # the same code may serve several logins in a test
        page.get_by_label("Code à usage unique", exact=True).fill(current_code(TOTPDevice.objects.get(user=user)))
        follow(page, page.get_by_role("button", name="Valider"), context="double authentification")
    if urlsplit(page.url).path == reverse("web:login"):
        raise AssertionError(f"Login as {user.email} failed: still on the login page.")
