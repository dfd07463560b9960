#!/usr/bin/python3
"""A parent in a real browser: Debian's headless Chromium driven by python3-selenium.

browser.py URL LOGIN PASSWORD NEWPASSWORD STUDENT SCREENSHOT PROFILE [CODE]
logs in, changes the temporary password, opens the student's marks, saves a
screenshot of them, and prints the first subject and mark it sees. With CODE, the
code of an extract made for this parent, it then opens the student's extracts,
downloads that extract's PDF with the browser's session cookie, presses
«Ознакомлен(а)» and prints what the row then says. Exits 1 with a line on stderr
when a step does not go as a parent would expect.
"""
import sys
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from selenium.common.exceptions import WebDriverException


def fail(msg):
    print("browser: " + msg, file=sys.stderr)
    sys.exit(1)


def gone(driver, page):
    """Waits until the page whose html element is page has been replaced."""
    WebDriverWait(driver, 60, ignored_exceptions=[WebDriverException]).until(expected_conditions.staleness_of(page))


def fill(driver, fields, button_text):
    for name, value in fields.items():
        box = driver.find_element(By.NAME, name)
        box.clear()
        box.send_keys(value)
    for b in driver.find_elements(By.CSS_SELECTOR, "button[type=submit]"):
        if b.text.strip() == button_text:
            page = driver.find_element(By.TAG_NAME, "html")
            b.click()
            # a click does not wait for the answer to the form: the old page must go first (while it
            # goes, the browser may answer a question about it with an error: ask again; a password
            # hashed under the sanitizers on a busy machine takes seconds)
            gone(driver, page)
            return
    fail("no button «%s» on %s" % (button_text, driver.current_url))


def extract(driver, url, student, code):
    """The extract CODE on /student/STUDENT/extracts: its PDF, then «Ознакомлен(а)»."""
    driver.get(url + "/student/" + student + "/extracts")
    href = url + "/student/" + student + "/extracts/" + code + ".pdf"
    links = [a for a in driver.find_elements(By.CSS_SELECTOR, "a[href$='.pdf']")
             if a.get_attribute("href") == href]
    if not links:
        fail("no PDF link %s on %s" % (href, driver.current_url))
    # the download as the browser would make it: the same session cookie
    jar = "; ".join("%s=%s" % (c["name"], c["value"]) for c in driver.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": jar}), timeout=30) as r:
        kind, pdf = r.headers.get("Content-Type", ""), r.read()
    if not pdf.startswith(b"%PDF"):
        fail("%s is not a PDF (%s): %r" % (href, kind, pdf[:40]))
    print("pdf: %d bytes, %s" % (len(pdf), kind))
    for row in driver.find_elements(By.CSS_SELECTOR, "table tr"):
        if row.find_elements(By.CSS_SELECTOR, "a[href='/student/%s/extracts/%s.pdf']" % (student, code)):
            break
    else:
        fail("no row of %s on %s" % (code, driver.current_url))
    for b in row.find_elements(By.CSS_SELECTOR, "button[type=submit]"):
        if b.text.strip() == "Ознакомлен(а)":
            page = driver.find_element(By.TAG_NAME, "html")
            b.click()
            gone(driver, page)
            break
    else:
        fail("no button «Ознакомлен(а)» in the row of %s" % code)
    if not driver.current_url.endswith("/student/" + student + "/extracts"):
        fail("after «Ознакомлен(а)»: %s" % driver.current_url)
    for row in driver.find_elements(By.CSS_SELECTOR, "table tr"):
        if row.find_elements(By.CSS_SELECTOR, "a[href='/student/%s/extracts/%s.pdf']" % (student, code)):
            cells = row.find_elements(By.TAG_NAME, "td")
            print("ack: " + cells[-1].text.strip())
            if row.find_elements(By.CSS_SELECTOR, "button"):
                fail("the button is still in the row of %s" % code)
            return
    fail("the row of %s is gone after «Ознакомлен(а)»" % code)


def main():
    url, login, password, new, student, shot, profile = sys.argv[1:8]
    code = sys.argv[8] if len(sys.argv) > 8 else None
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    # the closed network refuses Chromium's own connections: none are made
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--window-size=1100,1400", "--user-data-dir=" + profile):
        opts.add_argument(a)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    try:
        driver.set_page_load_timeout(30)
        driver.get(url + "/login")
        fill(driver, {"login": login, "password": password}, "Войти")
        if not driver.current_url.endswith("/password"):
            fail("after the login: %s, not the password change" % driver.current_url)
        fill(driver, {"old": password, "new": new, "new2": new}, "Сменить пароль")
        if driver.current_url.endswith("/password") or driver.current_url.endswith("/login"):
            said = " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".err"))
            fail("the password change stayed on %s: %s" % (driver.current_url, said or driver.title))
        driver.get(url + "/student/" + student)
        rows = driver.find_elements(By.CSS_SELECTOR, "table tr")
        found = None
        for r in rows:
            cells = r.find_elements(By.TAG_NAME, "td")
            marks = r.find_elements(By.CSS_SELECTOR, "span.m b")
            if cells and marks and cells[0].text.strip():
                found = (cells[0].text.strip(), marks[0].text.strip())
                break
        driver.save_screenshot(shot)
        if not found:
            fail("no subject with a mark on %s" % driver.current_url)
        if found[1] not in ("1", "2", "3", "4", "5"):
            fail("the mark of %s is %r" % found)
        print("subject: %s\nmark: %s\ntitle: %s" % (found[0], found[1], driver.title))
        if code:
            extract(driver, url, student, code)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
