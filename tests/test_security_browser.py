"""The Django admin works in a real browser under our Content-Security-Policy.

The policy allows no inline script or style anywhere, the admin included; these pages and
widgets (prepopulated slugs, inline rows, select2 autocomplete) must run without one violation.
"""

import pytest
from playwright.sync_api import expect

from tests.factories import make_paper, make_venue

pytestmark = pytest.mark.browser

# Reports every violation the browser sees, blocked or not, with the directive it broke.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`
    + ` ${event.sourceFile}:${event.lineNumber}`);
});
"""
PASSWORD = "a long password for the browser test"


@pytest.fixture
def admin_page(browser, live_server, django_user_model, transactional_db):
    """A browser page logged into the admin through its login form, collecting violations."""
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    context = browser.new_context(base_url=live_server.url)
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.violations = []
    page.on(
        "console",
        lambda message: (
            ("CSP violation" in message.text or "Content Security Policy" in message.text)
            and page.violations.append(message.text)
        ),
    )
    page.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    yield page
    context.close()


def test_admin_pages_and_widgets_run_without_csp_violations(admin_page, django_user_model):
    page = admin_page
    editor = django_user_model.objects.get(username="editor")
    venue = make_venue(name="Association for Computational Linguistics", short_name="ACL")
    paper = make_paper(title="The Pile", venue=venue, authors=["Gao", "Biderman"])

    for path in [
        "/admin/",
        "/admin/bibliography/paper/?q=pile",
        f"/admin/bibliography/paper/{paper.pk}/history/",
        f"/admin/bibliography/paper/{paper.pk}/delete/",
        "/admin/bibliography/author/add/",
        f"/admin/auth/user/{editor.pk}/change/",
        f"/admin/auth/user/{editor.pk}/password/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]

    # Prepopulated slug and "add another" inline row: both are the admin's own scripts.
    page.goto("/admin/bibliography/paper/add/")
    page.locator("#id_title").press_sequentially("Datasheets for Datasets")
    expect(page.locator("#id_slug")).to_have_value("datasheets-for-datasets")
    rows = page.locator(".dynamic-authorships")
    before = rows.count()
    page.locator(".add-row a").first.click()
    expect(rows).to_have_count(before + 1)

    # select2 autocomplete fetches its options from the admin (connect-src 'self').
    page.goto(f"/admin/bibliography/paper/{paper.pk}/change/")
    page.locator("#id_venue + .select2 .select2-selection").click()
    expect(page.locator(".select2-results__option", has_text="ACL")).to_be_visible()

    assert page.violations == []

    # And the check can fail: an inline script is blocked and reported.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.ran") is None
    assert any("script-src" in violation for violation in page.violations)
