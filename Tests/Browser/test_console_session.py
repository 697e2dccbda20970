"""Signing in and out of the console in a real browser: a wrong token is refused on the form, the
session cookie is HttpOnly and SameSite=Strict, and after sign-out the console sends you to sign in."""
from selenium.webdriver.common.by import By

from harness.console import Session, click_and_wait, find, path_of, sign_in, sign_out


def test_wrong_token_is_refused_on_the_form(gonggao, driver):
    driver.delete_all_cookies()
    driver.get(gonggao.base_url + "/console/signin")
    field = driver.find_element(By.NAME, "token")
    field.send_keys("ggt_not-a-real-token")
    click_and_wait(driver, field.find_element(By.XPATH, "./ancestor::form").find_element(By.CSS_SELECTOR, "button"))
    assert find(driver, "signin-error").text
    assert not any(c["name"] == "gonggao_session" for c in driver.get_cookies())
    status, _, _ = Session(gonggao.base_url, driver).request("GET", "/console")
    assert status == 303


def test_session_cookie_and_sign_out(gonggao, driver):
    sign_in(driver, gonggao.base_url, gonggao.tokens["li.na"], "li.na")
    cookie = next(c for c in driver.get_cookies() if c["name"] == "gonggao_session")
    assert cookie["httpOnly"] and cookie.get("sameSite") == "Strict", cookie
    assert not driver.execute_script("return document.cookie.includes('gonggao_session')")
    stolen = Session(gonggao.base_url, driver)
    sign_out(driver)
    driver.get(gonggao.base_url + "/console")
    assert path_of(driver) == "/console/signin", "the console opened after sign-out"
    status, headers, _ = stolen.request("GET", "/console")
    assert status == 303 and headers.get("location", "").endswith("/console/signin"), \
        f"the signed-out session still opens the console: HTTP {status}"
