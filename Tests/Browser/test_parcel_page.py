"""The public parcel page in a real browser: it renders the published notice, fits a 390 px phone
without sideways scrolling, and is screenshotted at both sizes."""
import pytest

from harness import world


@pytest.fixture(scope="module")
def published(gonggao):
    """The sample pre-announcement, approved through the API (so the page has a notice to show)."""
    return gonggao.publish_sample()


@pytest.mark.parametrize("key", [world.PARCELS[0], world.PROJECT])
def test_parcel_page_renders_and_fits_a_phone(gonggao, driver, shots, published, key):
    driver.get(f"{gonggao.base_url}/p/{key}")
    assert driver.execute_script("return document.documentElement.lang") == "zh-CN"
    text = driver.find_element("tag name", "body").text
    assert "安吉县人民政府征收土地预公告" in text, text[:500]
    assert key in text
    width = shots.take(driver, f"public-{key}")
    assert width <= 390, f"/p/{key} is {width} px wide at 390 px: it scrolls sideways on a phone"
