"""What the web service refuses, tried in a real headless Chromium: wrong passwords (and too many of
them), a command without its CSRF token, pages above the account's role."""
from __future__ import annotations

from playwright.sync_api import expect

from bench.web_rig import PASSWORD, log_in
from web.login_limit import ACCOUNT_TRIES

SITE = "reception/toender"


def session_cookies(page) -> list[str]:
    return [c["name"] for c in page.context.cookies() if c["name"] == "reception_session"]


def test_a_wrong_password_is_refused_and_too_many_lock_the_account(web, browser):
    page = browser()
    log_in(page, web, "anna", "not the password")
    expect(page.locator("#login-error")).to_have_text("Forkert brugernavn eller adgangskode.")
    assert session_cookies(page) == []
    for _ in range(ACCOUNT_TRIES - 1):
        log_in(page, web, "anna", "still not it")
    log_in(page, web, "anna", PASSWORD)  # the right one, too late
    expect(page.locator("#login-error")).to_contain_text("For mange forkerte forsøg")
    assert session_cookies(page) == []
    other = browser()
    log_in(other, web, "bo")  # another account is not locked
    expect(other).to_have_url(f"{web.url}/desks")


def test_a_command_without_its_csrf_token_is_refused_and_never_sent(web, browser, recorder):
    commands = recorder(f"{SITE}/desk/+/command")
    commands.settle()
    page = browser()
    log_in(page, web, "anna")
    page.goto(f"{web.url}/desk/desk-1")
    command = {"id": "0123456789abcdef0123456789abcdef", "action": "open"}
    url = f"{web.url}/desk/desk-1/command"
    assert page.request.post(url, data=command).status == 403
    assert page.request.post(url, data=command, headers={"X-CSRF-Token": "guessed"}).status == 403
    assert commands.messages == []
    token = page.locator("#desk").get_attribute("data-csrf")
    answer = page.request.post(url, data=command, headers={"X-CSRF-Token": token})
    assert answer.status == 200 and answer.json()["ok"] is True
    assert len(commands.messages) == 1


def test_pages_above_the_accounts_role_are_refused(web, browser):
    staff = browser()
    log_in(staff, web, "anna")
    assert staff.goto(f"{web.url}/office").status == 403
    expect(staff.locator("h1")).to_have_text("403")
    assert staff.request.get(f"{web.url}/events/office").status == 403
    assert staff.goto(f"{web.url}/office/setup").status == 403
    volunteer = browser()
    log_in(volunteer, web, "vera")
    assert volunteer.goto(f"{web.url}/desk/desk-1").status == 403
    assert volunteer.goto(f"{web.url}/desk/vol-1").status == 200
    nobody = browser()
    nobody.goto(f"{web.url}/desk/desk-1")
    expect(nobody).to_have_url(f"{web.url}/login")
    staff.get_by_role("button", name="Log ud").click()
    expect(staff).to_have_url(f"{web.url}/login")
    staff.goto(f"{web.url}/desk/desk-1")
    expect(staff).to_have_url(f"{web.url}/login")
