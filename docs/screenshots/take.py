"""The README's screenshots of the workbench, taken in Debian's Chromium on the demo data:

    PYTHONPATH=. .venv/bin/python docs/screenshots/take.py

Starts `jiandu dev` on throw-away servers (as the benchmarks do) and writes the PNG files
beside this script."""

import uuid
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from bench.common import servers
from tests.browser import chromium, served_demo

HERE = Path(__file__).resolve().parent


def sign_in(driver: WebDriver, base: str, username: str, then: str) -> None:
    driver.get(f"{base}/signin?next={then}")
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "username"))
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys("demo", Keys.ENTER)
    WebDriverWait(driver, 20).until(lambda d: "/signin" not in d.current_url)


def settle(driver: WebDriver, css: str) -> None:
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))
    driver.execute_script("document.activeElement?.blur()")


def take(driver: WebDriver, name: str) -> None:
    driver.save_screenshot(str(HERE / f"{name}.png"))
    print(HERE / f"{name}.png")


def main() -> None:
    with servers() as local, served_demo(local, f"shots_{uuid.uuid4().hex[:8]}") as base:
        with chromium(1366, 860) as driver:
            driver.get(f"{base}/library?q=哪些情况下必须进行预算调整")
            settle(driver, ".hit")
            take(driver, "library")
            driver.find_element(By.CSS_SELECTOR, ".hit .article-label").click()
            settle(driver, ".article.targeted")
            take(driver, "regulation")

            sign_in(driver, base, "deputy", "/my/suggestions")
            settle(driver, "table.rows a")
            driver.find_element(By.XPATH, "//tr[td/span[text()='已答复']]//a").click()
            settle(driver, ".chart svg")
            driver.execute_script("document.querySelector('#spending-title').scrollIntoView()")
            take(driver, "spending")

        with chromium(1366, 860) as driver:
            sign_in(driver, base, "staff", "/work")
            settle(driver, "table.rows a")
            take(driver, "staff-queue")
            driver.get(f"{base}/statistics")
            settle(driver, ".bars")
            take(driver, "statistics")

        with chromium(1366, 860) as driver:
            sign_in(driver, base, "handler", "/unit/queue")
            settle(driver, "table.rows a")
            driver.find_element(By.CSS_SELECTOR, "table.rows a").click()
            settle(driver, "[data-step]")
            steps = driver.find_elements(By.CSS_SELECTOR, "[data-step=reply], [data-step=accept]")
            if steps:
                steps[0].click()
            driver.execute_script("document.querySelector('#steps-title').scrollIntoView()")
            take(driver, "handler-reply")

        with chromium(390, 844) as phone:
            phone.get(f"{base}/library?q=代表建议的办理期限")
            settle(phone, "[data-test=total]")
            take(phone, "phone-library")


if __name__ == "__main__":
    main()
