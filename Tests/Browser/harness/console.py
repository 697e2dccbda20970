"""The officer console as a person uses it, by Templates/console/CONTRACT.md: sign in and out, click
and wait for the next page, read the error page, fill the draft form, and plain HTTP with the
browser's session cookie (to read status codes and content types the browser does not expose)."""
import http.client
import time
import urllib.parse

from selenium.common.exceptions import NoAlertPresentException, NoSuchElementException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

PAGE_SECONDS = 30
# Installed before any page script runs: records alert() calls instead of showing them.
ALERT_TRAP = "window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };"


def trap_alerts(driver):
    """Every page from now on records alert() calls in window.__alerts (see `alerts`)."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ALERT_TRAP})


def alerts(driver):
    """The alert() calls of the current page, plus a real alert dialog if one is open."""
    calls = driver.execute_script("return window.__alerts || []")
    try:
        dialog = driver.switch_to.alert
        calls.append(dialog.text)
        dialog.accept()
    except NoAlertPresentException:
        pass
    return calls


def find(driver, element_id):
    """The element with this id; a failure names the id and the page."""
    try:
        return driver.find_element(By.ID, element_id)
    except NoSuchElementException:
        raise AssertionError(f"no element id={element_id!r} on {driver.current_url} "
                             f"(page: {driver.find_element(By.TAG_NAME, 'body').text[:300]!r})") from None


def has(driver, element_id):
    return bool(driver.find_elements(By.ID, element_id))


def click_and_wait(driver, element):
    """Clicks `element` (a link or a submit button) and waits until the next page has loaded."""
    mark_page(driver)
    element.click()
    wait_for_next_page(driver)


def mark_page(driver):
    """Marks the current document, so that `wait_for_next_page` can tell when another replaced it."""
    driver.execute_script("window.__ggOld = true")


def wait_for_next_page(driver):
    """Waits until the marked document is gone and its successor has loaded. (Not staleness_of: Chromium
    may answer "Node with given id does not belong to the document" for a stale element, which it
    raises instead of reporting stale. Script calls made mid-navigation may fail too; they are retried.)"""
    def loaded(d):
        return d.execute_script("return !window.__ggOld && document.readyState === 'complete'")
    WebDriverWait(driver, PAGE_SECONDS, ignored_exceptions=(WebDriverException,)).until(
        loaded, f"no new page loaded within {PAGE_SECONDS} s (at {driver.current_url})")


def error_page(driver):
    """(status, reason) of the console's error page, or None when this is not one."""
    found = driver.find_elements(By.ID, "error")
    if not found:
        return None
    return found[0].get_attribute("data-status"), found[0].get_attribute("data-reason")


def path_of(driver):
    return urllib.parse.urlsplit(driver.current_url).path


def sign_in(driver, base_url, token, user):
    """Signs in through the form with `token`; asserts the cockpit greets `user`."""
    driver.delete_all_cookies()
    driver.get(base_url + "/console/signin")
    field = driver.find_element(By.NAME, "token")
    field.send_keys(token)
    form = field.find_element(By.XPATH, "./ancestor::form")
    click_and_wait(driver, form.find_element(By.CSS_SELECTOR, "button, input[type=submit]"))
    assert path_of(driver) == "/console", f"sign-in as {user} landed on {driver.current_url}"
    body = driver.find_element(By.TAG_NAME, "body")
    assert body.get_attribute("data-user") == user, f"signed in as {body.get_attribute('data-user')!r}, not {user!r}"


def sign_out(driver):
    click_and_wait(driver, find(driver, "signout"))
    assert path_of(driver) == "/console/signin", f"sign-out landed on {driver.current_url}"


def csrf_value(driver):
    """The session's CSRF token, from any form on the page (the sign-out form always has one)."""
    fields = driver.find_elements(By.CSS_SELECTOR, "input[name=csrf]")
    assert fields, f"no csrf field on {driver.current_url}"
    return fields[0].get_attribute("value")


def post_form(driver, action, fields):
    """Posts a form the page does not offer (a forged request) from inside the browser; waits for the answer page."""
    mark_page(driver)
    driver.execute_script("""
        const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];
        for (const [k, v] of Object.entries(arguments[1])) {
            const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i);
        }
        document.body.appendChild(f); f.submit();""", action, fields)
    wait_for_next_page(driver)


def fill(driver, element_id, value):
    """Types `value` into a field (a date field gets its value set: typing dates is locale-bound)."""
    element = find(driver, element_id)
    if element.get_attribute("type") == "date":
        driver.execute_script("arguments[0].value = arguments[1]", element, value)
    else:
        element.clear()
        element.send_keys(value)


def fill_draft(driver, notice):
    """Fills the draft form from a notice in the API's JSON shape (kind, title, issuer, documentNumber,
    dateWritten, parcels, body paragraphs)."""
    Select(find(driver, "draft-kind")).select_by_value(notice["kind"])
    for field in ("title", "issuer", "documentNumber", "dateWritten"):
        fill(driver, f"draft-{field}", notice[field])
    for box in driver.find_elements(By.CSS_SELECTOR, "input[type=checkbox][id^=draft-parcel-]"):
        if box.is_selected() != (box.get_attribute("value") in notice["parcels"]):
            box.click()
    fill(driver, "draft-body", "\n\n".join(notice["body"]))


def wait_until(what, probe, seconds, interval=0.5):
    """Calls `probe` (returning (done, detail)) until done; fails naming `what` and the last detail."""
    deadline = time.monotonic() + seconds
    detail = None
    while time.monotonic() < deadline:
        done, detail = probe()
        if done:
            return detail
        time.sleep(interval)
    raise AssertionError(f"{what} not within {seconds} s (last: {detail})")


class Session:
    """Plain HTTP to the console carrying the browser's cookies (never follows redirects)."""

    def __init__(self, base_url, driver):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())

    def request(self, method, path, form=None):
        """Returns (status, headers dict with lower-case names, body bytes)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": self.cookie}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()
