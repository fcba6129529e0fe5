#!/usr/bin/env python3
"""A client books on a phone, in a real browser: headless Chromium driven by
Selenium (Debian: chromium, chromium-driver, python3-selenium).

    book.py URL SCREENSHOT.png

Opens appt serve's booking page at URL in a 360x740 phone viewport, picks
the first service, its first free time, fills in name, phone and e-mail,
books, and checks the confirmation page.  Every page on the way must fit
360 pixels without scrolling sideways, log no console error, and be
well-formed HTML (its bytes as served, checked by html.parser: balanced
tags, no duplicate ids, labels that name a field).  Saves a screenshot of
the confirmation page as SCREENSHOT.png and prints what it booked as
"TOKEN NAME".  Exit status 0 when all held, 1 (with the reason on stderr)
otherwise.

Nothing but 127.0.0.1 is reached: the browser resolves no other host name
and runs none of its background services.  BROWSER_TIMEOUT (seconds,
default 10) bounds each page load and each wait.
"""

import html.parser
import os
import re
import sys
import tempfile
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
TIMEOUT = float(os.environ.get("BROWSER_TIMEOUT", "10"))
WIDTH, HEIGHT = 360, 740

CLIENT = {"name": "Dana Diaz", "phone": "+15550042", "email": "dana@example.com"}


class Failure(Exception):
    pass


# ---- the HTML as served ----

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


class Checker(html.parser.HTMLParser):
    """Balanced tags, unique ids, labels that name a field."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.ids, self.label_for, self.problems = [], set(), [], []
        self.doctype = False

    def handle_decl(self, decl):
        self.doctype = self.doctype or decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            if a["id"] in self.ids:
                self.problems.append(f"duplicate id '{a['id']}'")
            self.ids.add(a["id"])
        if tag == "label" and a.get("for"):
            self.label_for.append(a["for"])
        if tag not in VOID:
            self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problems.append(f"line {self.getpos()[0]}: </{tag}> of a void element")
        elif tag not in (t for t, _ in self.stack):
            self.problems.append(f"line {self.getpos()[0]}: </{tag}> closes nothing")
        else:
            # report what it leaves open once, then go on from its start tag
            while self.stack[-1][0] != tag:
                inner, line = self.stack.pop()
                self.problems.append(f"line {self.getpos()[0]}: </{tag}> closes <{inner}>"
                                     f" of line {line}")
            self.stack.pop()

    def verdict(self):
        problems = list(self.problems)
        if not self.doctype:
            problems.append("no <!DOCTYPE html>")
        problems += [f"<{tag}> of line {line} never closed" for tag, line in self.stack]
        problems += [f"<label for='{f}'> names no element" for f in self.label_for
                     if f not in self.ids]
        return problems


# No proxy from the environment: the server is on 127.0.0.1.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def check_html(url):
    """The page at url, fetched again as served (GET only), must be well-formed."""
    with OPENER.open(url, timeout=TIMEOUT) as r:
        if not r.headers.get("Content-Type", "").startswith("text/html"):
            raise Failure(f"{url}: Content-Type {r.headers.get('Content-Type')}")
        text = r.read().decode("utf-8")
    checker = Checker()
    checker.feed(text)
    checker.close()
    problems = checker.verdict()
    if problems:
        raise Failure(f"{url}: malformed HTML:\n  " + "\n  ".join(problems))


# ---- the browser ----

def browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in [
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}",
        # nothing leaves the machine: no host name resolves but the server's
        # address, and no background service of the browser's runs
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--no-proxy-server", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-default-apps", "--disable-extensions",
        "--disable-domain-reliability", "--disable-client-side-phishing-detection",
        "--metrics-recording-only", "--no-first-run", "--no-default-browser-check",
        "--safebrowsing-disable-auto-update", "--disable-features=Translate,OptimizationHints,MediaRouter",
    ]:
        options.add_argument(arg)
    # a phone: its viewport, its pixel density, touch, a phone's user agent
    options.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": WIDTH, "height": HEIGHT, "pixelRatio": 2, "touch": True},
        "userAgent": "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36"
                     " (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
    })
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=CHROMEDRIVER,
                      log_path=os.path.join(profile, "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(TIMEOUT)
    driver.set_script_timeout(TIMEOUT)
    return driver


def console_errors(driver, where):
    """The console's SEVERE entries since the last call fail the run."""
    severe = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    if severe:
        raise Failure(f"console errors on {where}:\n  " + "\n  ".join(severe))


def check_page(driver, where):
    """What every page must hold on a phone: no console error, no sideways
    scrolling at 360 px, well-formed HTML."""
    WebDriverWait(driver, TIMEOUT).until(
        lambda d: d.execute_script("return document.readyState") == "complete")
    console_errors(driver, where)
    inner, scroll = driver.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth]")
    if inner != WIDTH:
        raise Failure(f"{where}: the viewport is {inner} px wide, not {WIDTH}")
    if scroll > WIDTH:
        wide = driver.execute_script(
            "return Array.from(document.querySelectorAll('body *'))"
            ".filter(e => e.getBoundingClientRect().right > arguments[0])"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' +"
            " Math.round(e.getBoundingClientRect().right))", WIDTH)
        raise Failure(f"{where}: {scroll} px wide at {WIDTH} px (too wide: {wide})")
    check_html(driver.current_url)


def click(driver, by, what):
    element = WebDriverWait(driver, TIMEOUT).until(EC.element_to_be_clickable((by, what)))
    element.click()


def wait_for_path(driver, path_re, where):
    try:
        WebDriverWait(driver, TIMEOUT).until(
            lambda d: re.search(path_re, urllib.parse.urlsplit(d.current_url).path
                                + "?" + urllib.parse.urlsplit(d.current_url).query))
    except WebDriverException:
        raise Failure(f"{where}: still at {driver.current_url}:\n{driver.page_source[:2000]}")


def book(driver, url, screenshot):
    driver.get(url)
    check_page(driver, "the service list")
    if "Book an appointment" not in driver.find_element(By.TAG_NAME, "h1").text:
        raise Failure(f"the booking page's heading: {driver.find_element(By.TAG_NAME, 'h1').text}")

    click(driver, By.CSS_SELECTOR, "ul.services a")
    wait_for_path(driver, r"^/\?service=[^&]+$", "after choosing a service")
    check_page(driver, "the slot list")
    service = driver.find_element(By.TAG_NAME, "h1").text
    day = driver.find_element(By.TAG_NAME, "h2").text
    slot = WebDriverWait(driver, TIMEOUT).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, "button.slot")))
    clock = slot.text
    slot.click()
    wait_for_path(driver, r"[?&]start=", "after choosing a time")
    check_page(driver, "the details form")

    for field, value in CLIENT.items():
        box = driver.find_element(By.ID, field)
        box.clear()
        box.send_keys(value)
    click(driver, By.CSS_SELECTOR, "form[action='/book'] input[type=submit]")
    wait_for_path(driver, r"^/a/[^/?]+\?done=booked$", "after Book")
    check_page(driver, "the confirmation page")

    h1 = driver.find_element(By.TAG_NAME, "h1").text
    done = driver.find_element(By.CSS_SELECTOR, "p.done").text
    page = driver.find_element(By.TAG_NAME, "main").text
    if h1 != "Your appointment":
        raise Failure(f"the confirmation page's heading is '{h1}'")
    if "Thank you: your appointment is booked" not in done:
        raise Failure(f"the confirmation says '{done}'")
    for shown in (service, clock, CLIENT["name"]):
        if shown not in page:
            raise Failure(f"the confirmation page does not show '{shown}':\n{page}")
    if not driver.save_screenshot(screenshot):
        raise Failure(f"could not save {screenshot}")
    token = urllib.parse.urlsplit(driver.current_url).path.split("/")[2]
    print(token, CLIENT["name"], "|", service, "|", day, clock)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: book.py URL SCREENSHOT.png")
    url, screenshot = sys.argv[1:]
    host = urllib.parse.urlsplit(url).hostname
    if host != "127.0.0.1":
        sys.exit(f"book.py: {url}: only a server on 127.0.0.1 is tested")
    with tempfile.TemporaryDirectory(prefix="appt-chromium-") as profile:
        driver = None
        try:
            driver = browser(profile)
            book(driver, url, screenshot)
        except (Failure, WebDriverException) as e:
            if driver:
                try:
                    driver.save_screenshot(screenshot)  # what the browser showed when it failed
                except WebDriverException:
                    pass
            sys.exit(f"book.py: {e}")
        finally:
            if driver:
                driver.quit()  # ends Chromium and stops chromedriver


if __name__ == "__main__":
    main()
