"""Issue 9's browser flow through the officer console (Templates/console/CONTRACT.md): a drafter creates
and submits a notice, an approver approves it after the confirmation step, the channels turn
delivered against the sandbox portals, the poster opens."""
import json
import urllib.request

from selenium.webdriver.common.by import By

from harness import world
from harness.console import (Session, click_and_wait, csrf_value, error_page, find, has, fill_draft, path_of,
                             post_form, sign_in, sign_out, wait_until)

with open(world.NOTICE_FILE) as f:
    SAMPLE = json.load(f)
DELIVERY_SECONDS = 90


def notice_id(driver):
    """The notice id of a /console/notices/<id> page."""
    path = path_of(driver)
    assert path.startswith("/console/notices/"), f"expected a notice page, at {driver.current_url}"
    return path.split("/")[3]


def test_drafter_submits_approver_approves_channels_deliver_poster_opens(gonggao, driver, shots):
    base = gonggao.base_url

    # The drafter: cockpit → project → new notice → draft → submit.
    sign_in(driver, base, gonggao.tokens["zhang.wei"], "zhang.wei")
    assert "张伟" in find(driver, "whoami").text
    row = find(driver, f"project-{world.PROJECT}")
    click_and_wait(driver, row.find_element(By.CSS_SELECTOR, f"a[href$='/console/projects/{world.PROJECT}']"))
    assert driver.find_element(By.CSS_SELECTOR, "[data-testid=project]")
    click_and_wait(driver, find(driver, "new-notice"))
    notice = dict(SAMPLE, title="安吉县人民政府征收土地预公告（浏览器测试）")
    fill_draft(driver, notice)
    click_and_wait(driver, find(driver, "draft-submit"))
    nid = notice_id(driver)
    assert find(driver, "notice-title").text == notice["title"]
    assert find(driver, "notice-state").text == "draft"
    assert notice["body"][0] in find(driver, "notice-body").text
    assert not has(driver, "action-approve"), "a drafter (no approver role) is offered an approve button"
    click_and_wait(driver, find(driver, "action-submit"))
    assert error_page(driver) is None, f"submit refused: {find(driver, 'error-message').text}"
    assert find(driver, "flash").text
    assert find(driver, "notice-state").text == "submitted"
    sign_out(driver)

    # The approver: the notice awaits approval in the cockpit; approving needs the confirmation.
    sign_in(driver, base, gonggao.tokens["li.na"], "li.na")
    click_and_wait(driver, find(driver, f"awaiting-{nid}").find_element(By.TAG_NAME, "a"))
    assert notice_id(driver) == nid
    approve = find(driver, "action-approve")
    assert approve.is_enabled()
    version = approve.find_element(By.XPATH, "./ancestor::form").find_element(By.NAME, "version").get_attribute("value")
    post_form(driver, f"/console/notices/{nid}/approve", {"csrf": csrf_value(driver), "version": version})
    assert find(driver, "error-approve-confirm").text, "approving without the confirmation says why"
    assert gonggao.state(nid) == "submitted", "an approval without confirmation changed the notice"
    driver.get(f"{base}/console/notices/{nid}")
    find(driver, "approve-confirm").click()
    click_and_wait(driver, find(driver, "action-approve"))
    assert error_page(driver) is None, f"approve refused: {find(driver, 'error-message').text}"
    assert find(driver, "flash").text
    assert find(driver, "notice-state").text == "approved"

    # The channels turn delivered on the notice page (reloaded as an officer would), and the
    # sandbox portals hold the notice.
    def states():
        driver.refresh()
        seen = {ch: find(driver, f"delivery-{ch}-state").text for ch in world.CHANNELS}
        return all(s == "delivered" for s in seen.values()), seen
    wait_until("every channel delivered", states, DELIVERY_SECONDS)
    for ch in world.CHANNELS:
        assert find(driver, f"delivery-{ch}-attempts").text, f"no attempt log shown for {ch}"
    for portal in world.PORTALS:
        with urllib.request.urlopen(f"{gonggao.sandbox_url}/_sandbox/{portal}/items/{nid}", timeout=10) as r:
            item = json.load(r)
        assert item["version"] == int(version), f"{portal} holds version {item['version']}"
    shots.take(driver, "flow-notice-delivered")

    # The poster: the PNG preview loads, the PDF link answers a PDF.
    png = find(driver, "poster-png")
    wait_until("the poster PNG loaded", lambda: (driver.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth > 0", png), png.get_attribute("src")), 30)
    pdf = find(driver, "poster-pdf").get_attribute("href")
    status, headers, body = Session(base, driver).request("GET", pdf.removeprefix(base))
    assert status == 200, f"GET {pdf}: HTTP {status}"
    assert headers.get("content-type", "").startswith("application/pdf"), headers
    assert body.startswith(b"%PDF-")
    sign_out(driver)


def forge_approval(gonggao, driver, nid, fields):
    """Posts an approval the page does not offer, from inside the browser and again over HTTP with its
    cookies; checks the notice is still submitted; returns (the error page's (status, reason), HTTP status)."""
    path = f"/console/notices/{nid}/approve"
    post_form(driver, path, fields)
    shown = error_page(driver)
    status, _, _ = Session(gonggao.base_url, driver).request("POST", path, fields)
    assert gonggao.state(nid) == "submitted", f"a refused approval ({fields}) changed the notice"
    return shown, status


def test_printer_cannot_approve(gonggao, driver):
    """No enabled approve button for a printer, and a forged approval POST from their session is refused."""
    base = gonggao.base_url
    nid = gonggao.sample_notice(submit=True)
    sign_in(driver, base, gonggao.tokens["zhao.min"], "zhao.min")
    driver.get(f"{base}/console/notices/{nid}")
    buttons = driver.find_elements(By.ID, "action-approve")
    assert not any(b.is_enabled() for b in buttons), "a printer is offered an enabled approve button"
    if not driver.find_elements(By.CSS_SELECTOR, "input[name=csrf]"):
        driver.get(f"{base}/console")
    shown, status = forge_approval(gonggao, driver, nid, {"csrf": csrf_value(driver), "version": "1", "confirm": "yes"})
    assert (shown, status) == (("403", "forbidden"), 403), f"forged approval by a printer: {shown}, HTTP {status}"
    sign_out(driver)


def test_approval_needs_the_sessions_csrf_token(gonggao, driver):
    nid = gonggao.sample_notice(submit=True)
    sign_in(driver, gonggao.base_url, gonggao.tokens["li.na"], "li.na")
    driver.get(f"{gonggao.base_url}/console/notices/{nid}")
    for fields in ({"version": "1", "confirm": "yes"}, {"csrf": "wrong", "version": "1", "confirm": "yes"}):
        shown, status = forge_approval(gonggao, driver, nid, fields)
        assert (shown, status) == (("403", "csrf"), 403), f"approval with {fields}: {shown}, HTTP {status}"
    sign_out(driver)


def test_drafter_never_gets_an_enabled_approve_button_on_own_notice(gonggao, driver):
    """wang.fang drafts and approves; on her own notice the approve button is disabled with a note."""
    nid = gonggao.sample_notice(drafter="wang.fang", submit=True)
    sign_in(driver, gonggao.base_url, gonggao.tokens["wang.fang"], "wang.fang")
    driver.get(f"{gonggao.base_url}/console/notices/{nid}")
    assert not find(driver, "action-approve").is_enabled()
    assert find(driver, "four-eyes-note").text
    shown, status = forge_approval(gonggao, driver, nid, {"csrf": csrf_value(driver), "version": "1", "confirm": "yes"})
    assert shown is not None and shown[0] in ("403", "409") and status == int(shown[0]), f"{shown}, HTTP {status}"
    sign_out(driver)
