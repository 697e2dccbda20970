"""Headless Chromium from Debian driven by Selenium: the driver, the two screen sizes, screenshots into
the artefact folder and the no-sideways-scrolling check."""
import base64
import os

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# The office screen and the phone of issue 9: (name, width, height, mobile).
DESKTOP = ("desktop", 1366, 768, False)
PHONE = ("phone", 390, 844, True)
SIZES = (DESKTOP, PHONE)


def missing_tools():
    """The Debian tools the browser tests need that are not installed (with their package)."""
    need = {CHROMIUM: "chromium", CHROMEDRIVER: "chromium-driver"}
    return [f"{path} (apt-get install {package})" for path, package in need.items() if not os.access(path, os.X_OK)]


def chrome():
    """A headless Chromium (no sandbox: we run as root; no /dev/shm: containers keep it small)."""
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not try to download a driver
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN",
                     "--window-size=1366,768", "--hide-scrollbars"):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    return driver


def use_size(driver, size):
    """Makes the viewport exactly `size`; the phone is emulated as a mobile device (so a page without
    `<meta name=viewport>` lays out at 980 px, as it would on a real phone)."""
    _, width, height, mobile = size
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def scroll_width(driver):
    return driver.execute_script("return document.documentElement.scrollWidth")


class Shots:
    """Screenshots of pages at both sizes in one folder, with the phone's scrollWidth of each page."""

    def __init__(self, folder):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)
        self.widths = {}

    def take(self, driver, name):
        """Screenshots the current page (whole page, not only the viewport) at 1366×768 and 390×844 and
        records its scrollWidth at 390 px; leaves the desktop size in force. Returns that scrollWidth."""
        for size in (PHONE, DESKTOP):
            use_size(driver, size)
            driver.execute_script("window.scrollTo(0, 0)")
            if size is PHONE:
                self.widths[name] = scroll_width(driver)
            path = os.path.join(self.folder, f"{name}-{size[1]}x{size[2]}.png")
            self.save(driver, path)
        return self.widths[name]

    @staticmethod
    def save(driver, path):
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def too_wide(self, names, limit=390):
        """Those of the pages `names` whose scrollWidth at 390 px passed `limit`: {name: width}."""
        return {name: self.widths[name] for name in names if self.widths[name] > limit}
