"""Every console page at 1366×768 and 390×844 (screenshots; no sideways scrolling on the phone), and
user-provided text shown as text, never run."""
import json
import time

import pytest

from harness import world
from harness.console import (alerts, click_and_wait, error_page, fill_draft, find, has, path_of, sign_in, sign_out)

with open(world.NOTICE_FILE) as f:
    SAMPLE = json.load(f)
HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_PARAGRAPH = "<script>alert(2)</script>第一段"


def injected(driver):
    """How many elements the hostile text would have created had it been pasted in as markup."""
    return driver.execute_script(
        "return document.querySelectorAll('img[src=\"x\"]').length"
        " + [...document.scripts].filter(s => s.text.includes('alert(2)')).length")


def test_user_text_is_escaped_and_never_runs(gonggao, driver, shots):
    base = gonggao.base_url
    sign_in(driver, base, gonggao.tokens["zhang.wei"], "zhang.wei")
    driver.get(f"{base}/console/projects/{world.PROJECT}/notices/new")
    fill_draft(driver, dict(SAMPLE, title=HOSTILE_TITLE, body=[HOSTILE_PARAGRAPH] + SAMPLE["body"][1:]))
    click_and_wait(driver, find(driver, "draft-submit"))
    assert error_page(driver) is None, f"draft refused: {find(driver, 'error-message').text}"
    nid = path_of(driver).split("/")[3]
    click_and_wait(driver, find(driver, "action-submit"))
    for name, path, element_id in (("notice", f"/console/notices/{nid}", "notice-title"),
                                   ("project", f"/console/projects/{world.PROJECT}", f"timeline-{nid}")):
        driver.get(base + path)
        time.sleep(0.3)  # an injected <img onerror> would fire once its load fails
        assert HOSTILE_TITLE in find(driver, element_id).text, f"{name}: the title is not shown as text"
        assert injected(driver) == 0, f"{name}: the title became markup"
        assert alerts(driver) == [], f"{name}: user text ran as script"
    driver.get(f"{base}/console/notices/{nid}")
    assert HOSTILE_PARAGRAPH in find(driver, "notice-body").text, "a body paragraph is not shown as text"
    shots.take(driver, "escaped-notice")
    sign_out(driver)
    sign_in(driver, base, gonggao.tokens["li.na"], "li.na")
    assert HOSTILE_TITLE in find(driver, f"awaiting-{nid}").text
    assert injected(driver) == 0, "cockpit: the title became markup"
    assert alerts(driver) == [], "cockpit: user text ran as script"
    sign_out(driver)


@pytest.fixture(scope="module")
def notices(gonggao):
    """An approved notice (with deliveries and a poster) and a draft (for the edit form)."""
    return {"approved": gonggao.publish_sample(), "draft": gonggao.sample_notice()}


def test_every_console_page_fits_a_phone(gonggao, driver, shots, notices):
    base = gonggao.base_url
    visits = [  # (who, screenshot name, path, expected error status or None)
        (None, "console-signin", "/console/signin", None),
        ("li.na", "console-cockpit", "/console", None),
        ("li.na", "console-project", f"/console/projects/{world.PROJECT}", None),
        ("li.na", "console-notice-approved", f"/console/notices/{notices['approved']}", None),
        ("li.na", "console-dead-letters", "/console/dead-letters", None),
        ("li.na", "console-error-404", "/console/notices/ntc_doesnotexist", "404"),
        ("zhang.wei", "console-draft-new", f"/console/projects/{world.PROJECT}/notices/new", None),
        ("zhang.wei", "console-draft-edit", f"/console/notices/{notices['draft']}/edit", None),
        ("zhang.wei", "console-notice-draft", f"/console/notices/{notices['draft']}", None),
        ("zhao.min", "console-error-403", f"/console/notices/{notices['approved']}", "403"),
    ]
    signed_in = None
    for who, name, path, status in visits:
        if who != signed_in:
            if signed_in:
                sign_out(driver)
            if who:
                sign_in(driver, base, gonggao.tokens[who], who)
            signed_in = who
        driver.get(base + path)
        page_error = error_page(driver)
        assert (page_error[0] if page_error else None) == status, f"{path} as {who}: {page_error}"
        assert driver.execute_script("return document.documentElement.lang") == "zh-CN", f"{path}: not zh-CN"
        shots.take(driver, name)
    if signed_in:
        sign_out(driver)
    wide = shots.too_wide([name for _, name, _, _ in visits])
    assert wide == {}, "console pages wider than 390 px on a phone (px): " + json.dumps(wide)


def test_draft_form_shows_the_apis_validation_next_to_the_fields(gonggao, driver, shots):
    sign_in(driver, gonggao.base_url, gonggao.tokens["zhang.wei"], "zhang.wei")
    driver.get(f"{gonggao.base_url}/console/projects/{world.PROJECT}/notices/new")
    fill_draft(driver, dict(SAMPLE, title=""))
    click_and_wait(driver, find(driver, "draft-submit"))
    assert find(driver, "error-title").text, "no message next to the empty title"
    assert find(driver, "draft-documentNumber").get_attribute("value") == SAMPLE["documentNumber"], "entered value lost"
    assert SAMPLE["body"][1] in find(driver, "draft-body").get_attribute("value"), "entered body lost"
    fill_draft(driver, dict(SAMPLE, parcels=[]))
    click_and_wait(driver, find(driver, "draft-submit"))
    assert find(driver, "error-parcels").text, "no message next to the parcels"
    assert not has(driver, "error-title"), "the corrected title still has an error"
    width = shots.take(driver, "console-draft-invalid")
    assert width <= 390, f"the draft form with errors is {width} px wide at 390 px"
    sign_out(driver)
