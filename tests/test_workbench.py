"""The workbench in Debian's Chromium against jiandu serving the demo data as `make run` does:
each story end to end, what a person reads in Chinese, nothing asked of any other host."""

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import meilisearch
import pytest
from pymongo import MongoClient
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from api.devservers.local import LocalServers
from tests.browser import chromium, foreign_hosts, served_demo
from tests.conftest import FAILED, ROOT

SCREENSHOTS = ROOT / ".jiandu" / "screenshots"


@pytest.fixture(scope="module")
def demo(servers: LocalServers) -> Iterator[str]:
    """jiandu with the demo data on a database of this module's own."""
    database = f"test_web_{uuid.uuid4().hex[:8]}"
    with served_demo(servers, database) as base:
        yield base
    MongoClient(servers.mongodb_url).drop_database(database)
    search = meilisearch.Client(servers.meili_url, servers.meili_master_key)
    for index in search.get_indexes({"limit": 1000})["results"]:
        if index.uid.startswith(f"{database}-"):
            search.delete_index(index.uid)


@pytest.fixture
def browser(request: pytest.FixtureRequest, demo: str) -> Iterator[WebDriver]:
    """A fresh browser; a screenshot under .jiandu/screenshots when the test fails; and no
    request to any host but jiandu's, whatever the test did."""
    with chromium() as driver:
        yield driver
        if request.node.stash.get(FAILED, False):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(SCREENSHOTS / f"{request.node.name}.png"))
        assert foreign_hosts(driver, demo) == set()


def wait(driver: WebDriver, seconds: float = 15) -> WebDriverWait:  # type: ignore[type-arg]
    return WebDriverWait(driver, seconds)


def shown(driver: WebDriver, css: str) -> WebElement:
    return wait(driver).until(seen.visibility_of_element_located((By.CSS_SELECTOR, css)))  # type: ignore[no-any-return]


def sign_in(driver: WebDriver, username: str, password: str = "demo") -> None:
    name = shown(driver, "#username")
    name.clear()
    name.send_keys(username)
    field = driver.find_element(By.ID, "password")
    field.clear()
    field.send_keys(password, Keys.ENTER)


def deputy_token(base: str) -> str:
    login = 'mutation { login(input: {username: "deputy", password: "demo"}) { token } }'
    answer = httpx.post(f"{base}/graphql", json={"query": login}).json()
    return str(answer["data"]["login"]["token"])


def test_a_deputy_signs_in_and_lands_where_they_were_going(browser: WebDriver, demo: str) -> None:
    browser.get(f"{demo}/my/suggestions")
    wait(browser).until(seen.url_contains("/signin?next="))
    sign_in(browser, "deputy", "not the password")
    refusal = shown(browser, ".form-error")
    assert "用户名或密码" in refusal.text, refusal.text
    assert browser.find_element(By.ID, "username").get_attribute("value") == "deputy"

    sign_in(browser, "deputy")
    wait(browser).until(seen.url_to_be(f"{demo}/my/suggestions"))
    rows = shown(browser, "table.rows tbody")
    assert "关于" in rows.text and "办理中" in rows.text
    assert browser.find_element(By.CSS_SELECTOR, "[data-test=who]").text.startswith("王立新")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"

    token = browser.execute_script(
        "return JSON.parse(localStorage.getItem('jiandu.session')).token"
    )
    browser.find_element(By.XPATH, "//button[text()='退出']").click()
    wait(browser).until(seen.url_to_be(f"{demo}/signin"))
    me = httpx.post(f"{demo}/graphql", json={"query": "{ me { user { username } } }"},
                    headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert me.status_code == 401, "signing out ends the session on the server"


def test_a_deputy_finds_the_article_and_reads_it_in_place(browser: WebDriver, demo: str) -> None:
    browser.get(f"{demo}/library")
    box = shown(browser, "#q")
    box.send_keys("预算法第六十七条", Keys.ENTER)
    first = shown(browser, ".hit")
    assert "中华人民共和国预算法" in first.find_element(By.CSS_SELECTOR, "h2").text
    article = first.find_element(By.CSS_SELECTOR, ".articles li")
    assert article.find_element(By.CSS_SELECTOR, ".article-label").text == "第六十七条"

    article.find_element(By.CSS_SELECTOR, ".article-label").click()
    wait(browser).until(seen.url_contains("#article-67"))
    target = shown(browser, "#article-67")
    assert "第六十七条 人民代表大会批准的预算在执行中" in target.text
    marked = browser.find_elements(By.CSS_SELECTOR, ".article.targeted")
    assert [m.get_attribute("id") for m in marked] == ["article-67"]
    assert browser.execute_script("return arguments[0].getBoundingClientRect().top", target) < 200
    assert browser.find_elements(By.CSS_SELECTOR, ".toc li a"), "the table of contents links"
    assert "有效" in browser.find_element(By.CSS_SELECTOR, ".regulation header").text


def test_facets_narrow_a_question_and_the_address_keeps_them(browser: WebDriver, demo: str) -> None:
    browser.get(f"{demo}/library?q=人大代表建议怎么办理")
    total = shown(browser, "[data-test=total]")
    before = int(total.text.split()[1])
    assert before > 1 and browser.find_elements(By.CSS_SELECTOR, ".hit mark")
    narrower = [
        label
        for label in browser.find_elements(By.CSS_SELECTOR, ".facets label.check")
        if int(label.find_element(By.CSS_SELECTOR, ".count").text) < before
    ]
    assert narrower, "some facet value narrows the list"
    count = int(narrower[0].find_element(By.CSS_SELECTOR, ".count").text)
    narrower[0].find_element(By.TAG_NAME, "input").click()
    narrowed = f"共 {count} 部文件"
    total_shown = (By.CSS_SELECTOR, "[data-test=total]")
    wait(browser).until(seen.text_to_be_present_in_element(total_shown, narrowed))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".hit")) == count
    browser.refresh()
    assert shown(browser, "[data-test=total]").text == narrowed


def test_a_deputy_evaluates_a_reply_beside_the_spending_behind_it(
    browser: WebDriver, demo: str
) -> None:
    browser.get(f"{demo}/signin?next=/my/suggestions")
    sign_in(browser, "deputy")
    replied = wait(browser).until(
        seen.visibility_of_element_located((By.XPATH, "//tr[td/span[text()='已答复']]//a"))
    )
    replied.click()
    shown(browser, "[data-step=evaluate]")
    assert browser.find_element(By.CSS_SELECTOR, "[data-test=state]").text == "已答复"
    chart = browser.find_element(By.CSS_SELECTOR, ".chart svg")
    assert chart.get_attribute("aria-label") == "逐月执行率与时间进度"
    assert browser.find_element(By.CSS_SELECTOR, ".chart path.executed").get_attribute("d")
    assert "1月" in browser.find_element(By.CSS_SELECTOR, ".chart table").text

    browser.find_element(By.CSS_SELECTOR, "[data-step=evaluate]").click()
    typed = "道路已开工，但时间表不清楚"
    shown(browser, "#step-note").send_keys(typed)
    confirm = "[data-form=evaluateSuggestion] button[type=submit]"
    browser.find_element(By.CSS_SELECTOR, confirm).click()
    assert shown(browser, "#step-satisfaction-error").text == "请选择满意程度。"
    assert browser.find_element(By.ID, "step-note").get_attribute("value") == typed

    browser.find_element(By.CSS_SELECTOR, "input[value=BASICALLY_SATISFIED]").click()
    browser.find_element(By.CSS_SELECTOR, confirm).click()
    state = (By.CSS_SELECTOR, "[data-test=state]")
    wait(browser).until(seen.text_to_be_present_in_element(state, "已评价"))
    replies = browser.find_element(By.XPATH, "//section[h2[@id='replies-title']]")
    assert "基本满意" in replies.text and typed in replies.text


def test_a_deputy_finds_another_deputys_suggestion_and_follows_it(
    browser: WebDriver, demo: str
) -> None:
    headers = {"Authorization": f"Bearer {deputy_token(demo)}"}
    seen_by_deputy = (
        "{ me { user { deputy { id } } } suggestions(first: 100) { edges { node "
        "{ id title followed leadDeputy { id } cosigners { id } } } } }"
    )
    data = httpx.post(f"{demo}/graphql", json={"query": seen_by_deputy}, headers=headers).json()
    mine = data["data"]["me"]["user"]["deputy"]["id"]
    other = next(
        n
        for e in data["data"]["suggestions"]["edges"]
        if not (n := e["node"])["followed"]
        and n["leadDeputy"]["id"] != mine
        and mine not in {c["id"] for c in n["cosigners"]}
    )
    browser.get(f"{demo}/signin?next=/suggestions")
    sign_in(browser, "deputy")
    shown(browser, "#queue-q").send_keys(other["title"], Keys.ENTER)
    wait(browser).until(
        seen.element_to_be_clickable((By.XPATH, f"//td/a[text()='{other['title']}']"))
    ).click()
    follow = shown(browser, "[data-test=follow]")
    assert follow.text == "关注" and follow.get_attribute("aria-pressed") == "false"
    follow.click()
    wait(browser).until(seen.text_to_be_present_in_element(
        (By.CSS_SELECTOR, "[data-test=follow]"), "已关注"))  # fmt: skip

    browser.get(f"{demo}/my/suggestions")
    wait(browser).until(
        seen.element_to_be_clickable((By.XPATH, "//button[text()='我关注的']"))
    ).click()
    wait(browser).until(seen.visibility_of_element_located(
        (By.XPATH, f"//td/a[text()='{other['title']}']")))  # fmt: skip


def test_staff_register_and_assign_with_the_api_refusal_beside_its_field(
    browser: WebDriver, demo: str
) -> None:
    browser.get(f"{demo}/signin?next=/work")
    sign_in(browser, "staff")
    first = wait(browser).until(
        seen.element_to_be_clickable((By.CSS_SELECTOR, "table.rows tbody a"))
    )
    title = first.text
    first.click()
    state = (By.CSS_SELECTOR, "[data-test=state]")
    wait(browser).until(seen.text_to_be_present_in_element(state, "已提交"))
    shown(browser, "[data-step=register]").click()
    shown(browser, "[data-form=registerSuggestion] button[type=submit]").click()
    wait(browser).until(seen.text_to_be_present_in_element(state, "已立案"))

    shown(browser, "[data-step=assign]").click()
    lead = shown(browser, "#step-lead")
    wait(browser).until(lambda d: len(lead.find_elements(By.TAG_NAME, "option")) > 1)
    lead.find_elements(By.TAG_NAME, "option")[1].click()
    deadline = browser.find_element(By.ID, "step-deadline")
    deadline.send_keys("01012020")  # a day long past
    browser.find_element(By.ID, "step-note").send_keys("请抓紧办理")
    browser.find_element(By.CSS_SELECTOR, "[data-form=assignSuggestion] button").click()
    refused = shown(browser, "#step-deadline-error")
    assert "办理期限应在今天" in refused.text, refused.text
    assert deadline.get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, "step-note").get_attribute("value") == "请抓紧办理"
    browser.execute_script(
        "arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input'))", deadline
    )
    browser.find_element(By.CSS_SELECTOR, "[data-form=assignSuggestion] button").click()
    wait(browser).until(seen.text_to_be_present_in_element(state, "已交办"))

    # 改办: to another lead unit, which needs a reason.
    shown(browser, "[data-step=transfer]").click()
    lead = shown(browser, "#step-lead")
    wait(browser).until(lambda d: len(lead.find_elements(By.TAG_NAME, "option")) > 2)
    new_lead = lead.find_elements(By.TAG_NAME, "option")[2]
    new_name = new_lead.text
    new_lead.click()
    transfer = "[data-form=transferSuggestion] button[type=submit]"
    browser.find_element(By.CSS_SELECTOR, transfer).click()
    assert "理由" in shown(browser, "#step-reason-error").text
    browser.find_element(By.ID, "step-reason").send_keys("职责调整，改由该单位主办")
    browser.find_element(By.CSS_SELECTOR, transfer).click()
    header = (By.CSS_SELECTOR, "article.suggestion header")
    wait(browser).until(seen.text_to_be_present_in_element(header, f"主办 {new_name}"))
    browser.get(f"{demo}/work?tab=intake")
    rows = shown(browser, "table.rows tbody")
    assert title not in rows.text


def test_a_handler_accepts_and_replies_with_a_commitment(browser: WebDriver, demo: str) -> None:
    browser.get(f"{demo}/signin?next=/unit/queue")
    sign_in(browser, "handler")
    wait(browser).until(seen.url_to_be(f"{demo}/unit/queue"))
    heading = (By.CSS_SELECTOR, "h1")
    wait(browser).until(seen.text_to_be_present_in_element(heading, "县交通运输局"))
    accepting = wait(browser).until(
        seen.element_to_be_clickable((By.XPATH, "//tr[td/span[text()='已交办']]//a"))
    )
    accepting.click()
    shown(browser, "[data-step=accept]").click()
    shown(browser, "[data-form=acceptSuggestion] button").click()
    state = (By.CSS_SELECTOR, "[data-test=state]")
    wait(browser).until(seen.text_to_be_present_in_element(state, "办理中"))

    shown(browser, "[data-step=reply]").click()
    confirm = "[data-form=replyToSuggestion] button[type=submit]"
    browser.find_element(By.CSS_SELECTOR, "input[name=resultClass][value=B]").click()
    browser.find_element(By.CSS_SELECTOR, confirm).click()
    assert shown(browser, "#step-text-error").text, "an empty reply is refused by the API"
    browser.find_element(By.ID, "step-text").send_keys("已列入明年计划，年内完成设计。")
    browser.find_element(By.XPATH, "//button[text()='添加承诺事项']").click()
    shown(browser, "#c-text-0").send_keys("完成施工设计")
    browser.find_element(By.ID, "c-due-0").send_keys("12312027")
    browser.find_element(By.CSS_SELECTOR, confirm).click()
    wait(browser).until(seen.text_to_be_present_in_element(state, "已答复"))
    replies = (By.XPATH, "//section[h2[@id='replies-title']]")
    assert "已列入明年计划" in browser.find_element(*replies).text
    browser.find_element(By.CSS_SELECTOR, "[aria-label='标记“完成施工设计”已完成']").click()
    wait(browser).until(
        seen.text_to_be_present_in_element(replies, "已完成 · 2027-12-31 前：完成施工设计")
    )


def test_finance_sees_every_refused_row_and_nothing_imported(
    browser: WebDriver, demo: str, tmp_path: Path
) -> None:
    bad = tmp_path / "lines-2026.csv"
    bad.write_text(
        "年度,预算类型,部门编码,功能分类编码,收支,年初预算数,调整预算数,三公经费\n"
        "2026,一般公共预算,999999,2140104,支出,abc,100,否\n"
        "2026,一般公共预算,999998,2140104,支出,100,-5,否\n",
        encoding="utf-8",
    )
    browser.get(f"{demo}/signin?next=/budget/files")
    sign_in(browser, "finance")
    shown(browser, "#file").send_keys(str(bad))
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert "整个文件都没有导入" in shown(browser, "[data-test=refused]").text
    refused = browser.find_elements(By.CSS_SELECTOR, ".outcome table tbody tr")
    assert {r.find_elements(By.TAG_NAME, "td")[0].text for r in refused} >= {"2", "3"}
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-test=imported]")
    assert bad.name not in browser.find_element(By.XPATH, "//h2[text()='最近导入']/..").text


def test_an_admin_creates_an_account_after_a_refusal_keeps_what_was_typed(
    browser: WebDriver, demo: str
) -> None:
    browser.get(f"{demo}/signin?next=/accounts")
    sign_in(browser, "admin")
    shown(browser, "#new-username").send_keys("clerk.wu")
    browser.find_element(By.ID, "new-name").send_keys("吴书记员")
    browser.find_element(By.ID, "new-password").send_keys("short")
    browser.find_element(By.CSS_SELECTOR, "form[aria-labelledby=new-account] button").click()
    assert "8" in shown(browser, "#new-password-error").text
    assert browser.find_element(By.ID, "new-username").get_attribute("value") == "clerk.wu"
    password = browser.find_element(By.ID, "new-password")
    password.clear()
    password.send_keys("a long passphrase")
    browser.find_element(By.CSS_SELECTOR, "form[aria-labelledby=new-account] button").click()
    wait(browser).until(
        seen.text_to_be_present_in_element((By.CSS_SELECTOR, "table.rows"), "吴书记员")
    )
    assert browser.find_element(By.ID, "new-username").get_attribute("value") == ""

    browser.get(f"{demo}/my/tokens")
    shown(browser, "#token-name").send_keys("预算系统推送")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    secret = shown(browser, "[data-test=secret]").text
    me = {"query": "{ me { user { username } } }"}
    bearer = {"Authorization": f"Bearer {secret}"}
    assert httpx.post(f"{demo}/graphql", json=me, headers=bearer).status_code == 200
    browser.find_element(By.CSS_SELECTOR, "[aria-label='吊销预算系统推送']").click()
    wait(browser).until(seen.invisibility_of_element_located(
        (By.CSS_SELECTOR, "[aria-label='吊销预算系统推送']")
    ))  # fmt: skip
    assert httpx.post(f"{demo}/graphql", json=me, headers=bearer).status_code == 401


def test_a_deputy_files_a_suggestion_through_a_refusal_and_an_expired_session(
    browser: WebDriver, demo: str
) -> None:
    browser.get(f"{demo}/signin?next=/my/suggestions/new")
    sign_in(browser, "deputy")
    body = "望江乡至三岔村的公路弯急路窄，建议增设错车道和护栏。"
    shown(browser, "#s-body").send_keys(body)
    browser.find_element(By.ID, "s-category").send_keys("交通运输")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert shown(browser, "#s-title-error").text, "a suggestion needs a title"
    assert browser.find_element(By.ID, "s-body").get_attribute("value") == body

    browser.find_element(By.ID, "s-title").send_keys("关于望江乡公路增设错车道的建议")
    token = browser.execute_script(
        "return JSON.parse(localStorage.getItem('jiandu.session')).token"
    )
    logout = {"query": "mutation { logout { errors { code } } }"}
    ended = httpx.post(f"{demo}/graphql", json=logout, headers={"Authorization": f"Bearer {token}"})
    assert ended.json()["data"]["logout"]["errors"] == []  # the session ends while the form is open
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(browser).until(seen.url_contains("/signin?next="))
    sign_in(browser, "deputy")
    wait(browser).until(seen.url_to_be(f"{demo}/my/suggestions/new"))
    assert shown(browser, "#s-title").get_attribute("value") == "关于望江乡公路增设错车道的建议"
    assert browser.find_element(By.ID, "s-body").get_attribute("value") == body
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    state = (By.CSS_SELECTOR, "[data-test=state]")
    wait(browser).until(seen.text_to_be_present_in_element(state, "已提交"))
    assert "增设错车道" in browser.find_element(By.TAG_NAME, "h1").text


def test_a_deputy_keeps_a_draft_and_comes_back_to_finish_it(browser: WebDriver, demo: str) -> None:
    browser.get(f"{demo}/signin?next=/my/suggestions/new")
    sign_in(browser, "deputy")
    shown(browser, "#s-title").send_keys("关于青岚镇学校门前设置减速带的建议")
    browser.find_element(By.ID, "s-body").send_keys("上学时段车速快，建议设置减速带。")
    browser.find_element(By.ID, "s-category").send_keys("交通运输")
    browser.find_element(By.XPATH, "//button[text()='保存草稿']").click()
    state = (By.CSS_SELECTOR, "[data-test=state]")
    wait(browser).until(seen.text_to_be_present_in_element(state, "草稿"))

    shown(browser, "[data-test=edit-draft]").click()
    title = shown(browser, "#s-title")
    wait(browser).until(lambda d: title.get_attribute("value"))
    assert title.get_attribute("value") == "关于青岚镇学校门前设置减速带的建议"
    title.send_keys(Keys.CONTROL, "a", Keys.DELETE)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert shown(browser, "#s-title-error").text, "the title is still required"
    title.send_keys("关于青岚镇中心小学门前设置减速带和人行横道的建议")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(browser).until(seen.text_to_be_present_in_element(state, "已提交"))
    assert "人行横道" in browser.find_element(By.TAG_NAME, "h1").text
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-test=edit-draft]")


def test_a_deputy_keeps_a_regulation_and_an_excerpt_of_an_article(
    browser: WebDriver, demo: str
) -> None:
    browser.get(f"{demo}/signin?next=/library?q=预算法第六十七条")
    sign_in(browser, "deputy")
    shown(browser, ".hit h2 a").click()
    folder = shown(browser, "#folder")
    wait(browser).until(lambda d: len(folder.find_elements(By.TAG_NAME, "option")) > 1)
    browser.find_element(By.XPATH, "//form[contains(@class, 'inline-form')]//button").click()
    assert shown(browser, "#folder-error").text == "请选择收藏夹。"
    folder.find_elements(By.TAG_NAME, "option")[1].click()
    browser.find_element(By.XPATH, "//form[contains(@class, 'inline-form')]//button").click()
    wait(browser).until(seen.text_to_be_present_in_element((By.CSS_SELECTOR, ".keep"), "已收藏"))

    article = shown(browser, "#article-67")
    article.find_element(By.CSS_SELECTOR, ".excerpt-button").click()
    quote = shown(browser, "#quote-67")
    quote.clear()
    quote.send_keys("这句话不在条文里")
    browser.find_element(By.ID, "note-67").send_keys("预算调整的四种情形")
    browser.find_element(By.CSS_SELECTOR, ".excerpt-form button[type=submit]").click()
    assert shown(browser, "#quote-67-error").text, "a quote not in the article is refused"
    quote.clear()
    quote.send_keys("预算总支出要增加或者减少")
    browser.find_element(By.CSS_SELECTOR, ".excerpt-form button[type=submit]").click()
    wait(browser).until(seen.invisibility_of_element_located((By.ID, "quote-67")))

    browser.get(f"{demo}/my/library")
    excerpts = shown(browser, ".excerpts")
    assert "预算总支出要增加或者减少" in excerpts.text and "预算调整的四种情形" in excerpts.text
    assert "中华人民共和国预算法" in browser.find_element(By.CSS_SELECTOR, ".reply").text

    # The folder renamed (an empty name refused beside the field, the typing kept), its
    # favorite removed, the folder deleted, the excerpt deleted.
    folder_box = browser.find_element(By.CSS_SELECTOR, ".reply")
    folder_box.find_element(By.XPATH, ".//button[text()='重命名']").click()
    name = shown(browser, ".reply form input")
    name.send_keys(Keys.CONTROL, "a", Keys.DELETE)
    browser.find_element(By.XPATH, "//div[@class='reply']//button[text()='保存']").click()
    assert "收藏夹名称" in shown(browser, ".reply .field-error").text
    name.send_keys("预算审查常用")
    browser.find_element(By.XPATH, "//div[@class='reply']//button[text()='保存']").click()
    renamed = (By.CSS_SELECTOR, "[data-folder='预算审查常用']")
    wait(browser).until(seen.visibility_of_element_located(renamed))
    folder_box = browser.find_element(*renamed)
    kept = len(folder_box.find_elements(By.XPATH, ".//button[text()='移除']"))
    folder_box.find_element(By.XPATH, ".//button[text()='移除']").click()
    wait(browser).until(lambda d: len(d.find_element(*renamed).find_elements(
        By.XPATH, ".//button[text()='移除']")) == kept - 1)  # fmt: skip
    browser.find_element(*renamed).find_element(By.XPATH, ".//button[text()='删除']").click()
    browser.switch_to.alert.accept()
    wait(browser).until(seen.invisibility_of_element_located(renamed))
    excerpt = "//ul[@class='excerpts']/li[contains(., '预算调整的四种情形')]"
    shown(browser, "ul.excerpts").find_element(By.XPATH, f"{excerpt}//button").click()
    browser.switch_to.alert.accept()
    wait(browser).until(seen.invisibility_of_element_located((By.XPATH, excerpt)))


def test_staff_supervise_an_overdue_opinion(browser: WebDriver, demo: str) -> None:
    browser.get(f"{demo}/signin?next=/supervision?overdue=1")
    sign_in(browser, "staff")
    overdue = wait(browser).until(
        seen.element_to_be_clickable((By.CSS_SELECTOR, "table.rows tbody a"))
    )
    assert "已逾期" in browser.find_element(By.CSS_SELECTOR, "table.rows tbody").text
    overdue.click()
    shown(browser, "[data-step=supervise]").click()
    confirm = "[data-form=superviseRectification] button[type=submit]"
    shown(browser, confirm).click()
    assert shown(browser, "#r-note-error").text, "supervision needs what was done"
    browser.find_element(By.ID, "r-note").send_keys("电话催办，要求本月底前报送整改方案")
    browser.find_element(By.CSS_SELECTOR, confirm).click()
    records = (By.XPATH, "//section[h2[@id='supervision-title']]")
    wait(browser).until(seen.text_to_be_present_in_element(records, "电话催办"))

    browser.get(f"{demo}/supervision?kind=warnings")
    assert "预警" in shown(browser, ".tabs [aria-pressed=true]").text
    assert int(shown(browser, "[data-test=count]").text.split()[1]) > 0


def test_the_overview_and_the_quarterly_bulletin_as_a_word_file(
    browser: WebDriver, demo: str, tmp_path: Path
) -> None:
    browser.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    browser.get(f"{demo}/signin?next=/overview")
    sign_in(browser, "staff")
    cards = shown(browser, ".cards")
    assert "审议意见" in cards.text and "逾期" in cards.text
    assert browser.find_elements(By.CSS_SELECTOR, ".bars li"), "the departments furthest behind"
    quarter = browser.find_element(By.ID, "quarter")
    quarter.clear()
    quarter.send_keys("2026Q9")
    browser.find_element(By.CSS_SELECTOR, ".bulletin button").click()
    assert shown(browser, "#quarter-error").text, "a quarter that does not exist is refused"
    quarter.clear()
    quarter.send_keys("2026Q2")
    browser.find_element(By.CSS_SELECTOR, ".bulletin button").click()
    wait(browser, 30).until(lambda _: list(tmp_path.glob("*.docx")))
    assert next(tmp_path.glob("*.docx")).read_bytes()[:2] == b"PK"


def staff_token(base: str) -> str:
    login = 'mutation { login(input: {username: "staff", password: "demo"}) { token } }'
    return str(
        httpx.post(f"{base}/graphql", json={"query": login}).json()["data"]["login"]["token"]
    )


def test_staff_send_an_unsatisfied_suggestion_back_to_be_handled_again(
    browser: WebDriver, demo: str
) -> None:
    unsatisfied = httpx.post(
        f"{demo}/graphql",
        json={"query": "{ suggestions(filter: {states: [EVALUATED], satisfactions: [UNSATISFIED]},"
                       " first: 1) { edges { node { id } } } }"},
        headers={"Authorization": f"Bearer {staff_token(demo)}"},
    ).json()["data"]["suggestions"]["edges"]  # fmt: skip
    assert unsatisfied, "the demo has an unsatisfied evaluation"
    browser.get(f"{demo}/signin?next=/suggestions/{unsatisfied[0]['node']['id']}")
    sign_in(browser, "staff")
    shown(browser, "[data-step=rehandle]").click()
    shown(browser, "#step-rehandle-deadline").send_keys("01012020")
    browser.find_element(By.CSS_SELECTOR, "[data-form=rehandleSuggestion] button").click()
    assert shown(browser, "#step-rehandle-deadline-error").text
    browser.execute_script(
        "const d = document.getElementById('step-rehandle-deadline');"
        "d.value = ''; d.dispatchEvent(new Event('input'))"
    )
    browser.find_element(By.ID, "step-note").send_keys("三方见面后重新办理")
    browser.find_element(By.CSS_SELECTOR, "[data-form=rehandleSuggestion] button").click()
    state = (By.CSS_SELECTOR, "[data-test=state]")
    wait(browser).until(seen.text_to_be_present_in_element(state, "办理中"))


def test_notifications_read_and_a_wrong_current_password_refused(
    browser: WebDriver, demo: str
) -> None:
    browser.get(f"{demo}/signin?next=/notifications")
    sign_in(browser, "handler")
    assert shown(browser, ".excerpts li").text
    browser.find_element(By.XPATH, "//button[text()='全部标为已读']").click()
    wait(browser).until(
        seen.text_to_be_present_in_element((By.CSS_SELECTOR, ".summary"), "未读 0 条")
    )
    assert not browser.find_elements(By.CSS_SELECTOR, ".badge")
    browser.find_element(By.ID, "current-password").send_keys("wrong password")
    browser.find_element(By.ID, "new-password").send_keys("a new long passphrase")
    browser.find_element(By.CSS_SELECTOR, "form[aria-labelledby=password-title] button").click()
    assert "密码" in shown(browser, "#current-password-error").text
    assert browser.find_element(By.ID, "new-password").get_attribute("value")


def test_a_unit_answers_its_own_rectification_records(browser: WebDriver, demo: str) -> None:
    browser.get(f"{demo}/signin?next=/supervision?kind=findings")
    sign_in(browser, "handler")
    heading = (By.CSS_SELECTOR, "h1")
    wait(browser).until(seen.text_to_be_present_in_element(heading, "县交通运输局"))
    units = {
        row.find_elements(By.TAG_NAME, "td")[3].text
        for row in wait(browser).until(
            lambda d: (
                d.find_elements(By.CSS_SELECTOR, "table.rows tbody tr td a")
                and d.find_elements(By.CSS_SELECTOR, "table.rows tbody tr")
            )
        )
    }
    assert units and all("交通运输局" in u for u in units), units
    browser.find_element(By.CSS_SELECTOR, "table.rows tbody a").click()
    step = shown(browser, "[data-step]")
    name = step.get_attribute("data-step")
    step.click()
    confirm = browser.find_element(By.CSS_SELECTOR, ".step-form button[type=submit]")
    if browser.find_elements(By.ID, "r-text"):  # a plan, a report or a response: text required
        confirm.click()
        assert shown(browser, "#r-text-error").text, name
        browser.find_element(By.ID, "r-text").send_keys("已制定整改方案，年底前完成。")
    before = browser.find_element(By.CSS_SELECTOR, "[data-test=state]").text
    browser.find_element(By.CSS_SELECTOR, ".step-form button[type=submit]").click()
    state = (By.CSS_SELECTOR, "[data-test=state]")
    wait(browser).until(lambda d: d.find_element(*state).text != before)  # each unit step moves
    history = (By.XPATH, "//section[h2[@id='timeline-title']]")
    assert "赵建国" in browser.find_element(*history).text, name


def test_an_expired_session_signs_in_again_and_returns(browser: WebDriver, demo: str) -> None:
    browser.get(f"{demo}/signin")
    shown(browser, "#username")
    stale = {"token": "jd_expired", "expiresAt": "2999-01-01T00:00:00Z",
             "user": {"username": "deputy", "displayName": "王立新", "role": "DEPUTY"}}  # fmt: skip
    browser.execute_script(
        "localStorage.setItem('jiandu.session', JSON.stringify(arguments[0]))", stale
    )
    browser.get(f"{demo}/my/suggestions")
    wait(browser).until(seen.url_contains("/signin?next="))
    assert "my/suggestions" in browser.current_url
    assert "登录已失效" in shown(browser, ".notice").text
    sign_in(browser, "deputy")
    wait(browser).until(seen.url_to_be(f"{demo}/my/suggestions"))
    assert shown(browser, "table.rows tbody tr")


def test_on_a_phone_the_library_fits_the_screen(demo: str) -> None:
    with chromium(width=390, height=844) as phone:
        phone.get(f"{demo}/library?q=预算调整")
        first = shown(phone, ".hit")
        top = phone.execute_script("return arguments[0].getBoundingClientRect().top", first)
        assert top < phone.execute_script("return innerHeight"), "results first, facets folded"
        overflow = phone.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert foreign_hosts(phone, demo) == set()


def test_the_keyboard_reaches_the_content_first(browser: WebDriver, demo: str) -> None:
    browser.get(f"{demo}/library")
    shown(browser, "#q")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.text == "跳到正文"
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    unlabelled = browser.execute_script(
        "return [...document.querySelectorAll('input, select, textarea')]"
        ".filter(e => !e.labels?.length && !e.getAttribute('aria-label')).map(e => e.outerHTML)"
    )
    assert unlabelled == []


def test_the_workbench_types_are_current() -> None:
    check = subprocess.run(
        ["npm", "run", "--silent", "codegen:check"], cwd=ROOT / "web",
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert check.returncode == 0, f"web/src/gql is stale: run `make schema`\n{check.stdout}"
