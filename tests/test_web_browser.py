"""The reviewer pages in a real browser: headless Chromium (Debian's package) driven by Playwright,
against a real HTTP server on a loopback port.

In CI (the CI environment variable is set) a missing browser fails these
tests, since .ci/install-system installs it; elsewhere they are skipped, saying why.
Screenshots go to tests/artifacts/ (ignored by git), for people to look at.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from glossary.api import create_app
from glossary.store import Store
from support import HOSTILE, NEWEST, OLDEST, ThreadedServer, hostile_version, tool_missing

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
LAPTOP = {"width": 1280, "height": 900}
# Every page logs what its Content-Security-Policy refused, so that the page fixture reports it.
REPORT_POLICY_VIOLATIONS = """document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.effectiveDirective + " " + (event.blockedURI || "inline"));
});"""
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        tool_missing(f"no Chromium at {CHROMIUM} (apt-get install chromium)", "the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        tool_missing("the playwright package is not installed (pip install -e '.[test]')", "the browser tests")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(app):
    with ThreadedServer(app) as running:
        yield running


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport=LAPTOP, base_url=server.url)
    page = context.new_page()
    page.add_init_script(REPORT_POLICY_VIOLATIONS)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()
    assert errors == [], "the page reported errors"


def screenshot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def inner_texts(locator) -> list[str]:
    return [text.strip() for text in locator.all_inner_texts()]


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def test_the_home_page(page):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Terminology for Constrained-Node Networks"
    assert page.locator("table.lineage tbody tr").count() == 16
    assert page.get_by_label("Search terms and definitions").is_visible()
    assert page.locator("link[rel=stylesheet]").count() == 1
    # the stylesheet applied: the page has its max width and the masthead its background
    assert page.locator("main").bounding_box()["width"] <= 76 * 16 + 1
    screenshot(page, "home")


def test_the_pages_run_their_script_and_style_under_their_policy(page):
    for url in ("/", "/terms/class-2", "/diff?view=inline", "/search?q=node", "/api/v1/docs"):
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        # the style sheet applied (the body's font is not the browser's default serif)
        assert "serif" != page.evaluate("getComputedStyle(document.body).fontFamily"), url
    page.goto("/terms/class-2")
    # the script ran: "/" focuses the search box
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.type") == "search"
    # the API documentation's viewer started from its script file and drew the operations
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)


def test_script_put_into_a_page_is_refused_and_the_refusal_reported(browser, server):
    """What the policy is for, and proof that the page fixture would see a violation."""
    context = browser.new_context(viewport=LAPTOP, base_url=server.url)
    page = context.new_page()
    page.add_init_script(REPORT_POLICY_VIOLATIONS)
    logged = []
    page.on("console", lambda message: logged.append(message.text))
    page.goto("/terms/class-2")
    page.evaluate("""() => { window.ran = false; const s = document.createElement("script");
                             s.textContent = "window.ran = true"; document.head.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is False
    assert any(text.startswith("CSP violation: script-src") for text in logged), logged
    context.close()


def test_copying_a_citing_snippet_from_the_term_page(page):
    from playwright.sync_api import expect  # present whenever the page fixture is

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/terms/class-1")
    snippet = page.locator("#snippet-xml").inner_text()
    assert 'section="3"' in snippet
    button = page.locator('button[data-copy="snippet-xml"]')
    button.click()
    # Polled from the test's side: a predicate polled in the page would itself be eval, refused by the policy.
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == snippet


def test_search_with_a_typo_and_follow_the_result(page):
    page.goto("/")
    page.get_by_label("Search terms and definitions").fill("constraned node")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=constraned+node")
    first = page.locator("ol.results li").first
    assert first.locator("mark").count() >= 2
    first.locator("h2 a").click()
    page.wait_for_url("**/terms/constrained-node")
    assert page.locator("h1").inner_text() == "Constrained Node"


def test_a_change_in_the_history_opens_its_diff(page):
    page.goto("/terms/class-2")
    change = page.locator("ol.timeline li", has_text="draft-bormann-lwig-7228bis-04")
    assert "Examples" in change.inner_text() and "definition" not in change.inner_text()
    change.get_by_role("link", name="Show the changes").click()
    page.wait_for_url("**/diff?**")
    assert query_of(page.url) == {
        "from": "draft-bormann-lwig-7228bis-02", "to": "draft-bormann-lwig-7228bis-04", "term": "class-2"}
    row = page.locator("article#term-class-2")
    # a table row's change is shown once: as its cells, not again as its definition
    assert inner_texts(row.locator(".attr-changes ins")) == ["STM32F103RC"]
    assert row.locator(".attr-changes").inner_text().count("Examples") == 1
    assert "Examples" not in "".join(inner_texts(row.locator(".side-new")))
    screenshot(page, "term-change-diff")


def test_the_diff_from_the_oldest_to_the_newest_version(page):
    page.goto("/")
    page.get_by_role("link", name="Compare oldest → latest").click()
    page.wait_for_url("**/diff?**")
    assert query_of(page.url) == {"from": OLDEST, "to": NEWEST}
    assert page.locator("#added-heading ~ ul a.term-name", has_text="Class 10").is_visible()
    row = page.locator("article#term-class-2")
    attributes = row.locator(".attr-changes tbody tr")
    assert attributes.all_inner_texts() == ["Group\t(none)\tM", "Examples\t(none)\tSTM32F103RC"]
    # side by side on a laptop: the new text sits to the right of the old
    prose = page.locator("article#term-constrained-node .side-by-side").first
    old, new = prose.locator(".side-old").bounding_box(), prose.locator(".side-new").bounding_box()
    assert new["x"] > old["x"] + old["width"] - 1 and abs(new["y"] - old["y"]) < 2
    screenshot(page, "diff", full_page=False)
    screenshot(page, "diff-full")
    row.scroll_into_view_if_needed()
    screenshot(page, "diff-class-2", full_page=False)


def test_two_clicks_from_home_answer_what_changed_in_class_2(page):
    """“What changed in the definition of Class 2 between -00 and the editor's copy?”"""
    page.goto("/")
    page.locator(".card a.chip:text-is('Class 2')").click()  # click 1: the "Browse" card
    page.wait_for_url("**/terms/class-2")
    screenshot(page, "term")
    page.get_by_role("link", name="Compare with first version").click()  # click 2
    page.wait_for_url("**/diff?**")
    assert query_of(page.url) == {"from": OLDEST, "to": NEWEST, "term": "class-2"}
    assert page.locator("article.change").count() == 1
    answer = page.locator("article#term-class-2")
    assert answer.locator(".attr-changes tbody tr").all_inner_texts() == [
        "Group\t(none)\tM", "Examples\t(none)\tSTM32F103RC"]
    assert "Classes of Constrained (and More Capable) Devices" in answer.locator(".other-changes").inner_text()


def test_the_inline_toggle_is_a_link_that_works_without_javascript(browser, server):
    context = browser.new_context(viewport=LAPTOP, base_url=server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/diff?kind=device-class")
    page.locator(".view-toggle").get_by_role("link", name="inline").click()
    page.wait_for_url("**view=inline**")
    assert query_of(page.url) == {"kind": "device-class", "view": "inline"}
    row = page.locator("article#term-class-2")
    assert row.locator(".side-by-side").count() == 0
    assert inner_texts(row.locator(".attr-changes ins")) == ["M", "STM32F103RC"]
    # its notes are the M-group bullet and the caption, which Class 0 shares: shown inline under Class 0
    assert row.locator(".note-shown-above").count() == 2
    assert page.locator("article#term-class-0 .note-change .inline-diff ins").count() >= 2, "the notes, inline"
    screenshot(page, "diff-inline", full_page=False)
    # the filter form works without scripts too, and drops its blank fields from the URL
    page.select_option("#status", "added")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**status=added**")
    assert query_of(page.url) == {"from": OLDEST, "to": NEWEST, "kind": "device-class", "status": "added",
                                  "view": "inline"}
    assert page.locator("article.change").count() == 0
    context.close()


def test_the_version_menu_submits_itself_with_javascript(page):
    page.goto("/terms/class-2")
    page.select_option("select#version", OLDEST)
    page.wait_for_url(f"**/terms/class-2?version={OLDEST}")
    assert OLDEST in page.locator(".definition-card h2").inner_text()


def test_on_a_phone_the_diff_stacks_and_nothing_overflows(browser, server):
    context = browser.new_context(viewport=PHONE, base_url=server.url, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(f"/diff?from={OLDEST}&to={NEWEST}")
    row = page.locator("article#term-class-0")  # its notes, which Class 1 and 2 share, are shown under it
    sides = row.locator(".side-by-side").first
    old, new = sides.locator(".side-old").bounding_box(), sides.locator(".side-new").bounding_box()
    assert new["y"] >= old["y"] + old["height"] - 1 and abs(new["x"] - old["x"]) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "diff-phone", full_page=False)
    row.scroll_into_view_if_needed()
    screenshot(page, "diff-phone-class-0", full_page=False)
    page.goto("/terms/class-2")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "term-phone", full_page=False)
    context.close()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("hostile-browser") / "terms")
    store.save(hostile_version("00", HOSTILE, "<script>alert(3)</script>"))
    store.save(hostile_version("01", HOSTILE.replace("bold", "bolder"), "<script>alert(5)</script>"))
    with ThreadedServer(create_app(store.directory, tmp_path_factory.mktemp("hostile-browser-cache"))) as running:
        yield running


def test_markup_in_documents_never_runs_in_the_browser(browser, hostile_server):
    context = browser.new_context(viewport=LAPTOP, base_url=hostile_server.url)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for url in ("/", "/versions/latest", "/terms/hostile", "/diff", "/diff?view=inline", "/search?q=alert",
                "/terms/%3Cscript%3Ealert(6)%3C%2Fscript%3E"):
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.locator("b, i, img").count() == 0, url
    page.goto("/terms/hostile")
    assert "<script>alert(1)</script> and <b>bolder</b> words" in page.locator(".definition-card").inner_text()
    assert dialogs == []
    context.close()


def test_without_javascript_copy_buttons_are_hidden(browser, server):
    context = browser.new_context(viewport=LAPTOP, base_url=server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/terms/class-1")
    buttons = page.locator("button[data-copy]")
    assert buttons.count() >= 2
    assert not any(buttons.nth(index).is_visible() for index in range(buttons.count()))
    assert page.locator("#snippet-xml").is_visible()
    context.close()


def test_with_javascript_the_copy_buttons_show_and_the_snippet_text_is_selectable(page):
    page.goto("/terms/class-1")
    assert page.locator('button[data-copy="snippet-xml"]').is_visible()
    snippet = page.locator("#snippet-xml")
    assert snippet.evaluate("e => getComputedStyle(e).userSelect") != "none"
    selected = snippet.evaluate("e => { getSelection().selectAllChildren(e); return getSelection().toString(); }")
    assert selected == snippet.inner_text() and 'section="3"' in selected


# --- on a phone (390 px) ------------------------------------------------------------

PHONE_PAGES = ["/", f"/versions/{OLDEST}", "/versions/draft-bormann-lwig-7228bis-04", "/terms/class-2",
               f"/diff?from={OLDEST}&to={NEWEST}", "/search?q=class", "/api/v1/docs"]

# Words the layout split across lines: a Range over each word of a cell has more than one line box.
BROKEN_WORDS = """root => {
  const broken = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const match of node.data.matchAll(/[A-Za-z0-9]{4,}/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


@pytest.fixture
def phone(browser, server):
    context = browser.new_context(viewport=PHONE, base_url=server.url, device_scale_factor=2, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("url", PHONE_PAGES)
def test_on_a_phone_no_page_scrolls_sideways(phone, url):
    phone.goto(url)
    if url.startswith("/api/"):
        phone.wait_for_selector(".swagger-ui .opblock")  # the viewer has drawn the operations
    widths = phone.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    screenshot(phone, "phone" + url.replace("/", "-").replace("?", "-"), full_page=False)
    assert widths[0] <= widths[1] == PHONE["width"], f"{url} is {widths[0]} px wide"


@pytest.mark.parametrize("url", ["/terms/class-2", "/versions/draft-bormann-lwig-7228bis-04", f"/diff?from={OLDEST}&to={NEWEST}"])
def test_on_a_phone_no_word_breaks_in_the_middle(phone, url):
    phone.goto(url)
    assert phone.locator("main").evaluate(BROKEN_WORDS) == []


def test_on_a_phone_a_wide_table_scrolls_in_its_own_box_with_a_visible_hint(phone):
    phone.goto("/versions/draft-bormann-lwig-7228bis-04")
    table = phone.locator("#kind-device-class table")
    box = table.evaluate("t => { const s = t.closest('.table-scroll'); return s && "
                         "[s.scrollWidth, s.clientWidth, getComputedStyle(s).overflowX]; }")
    assert box is not None and box[0] > box[1] and box[2] == "auto"  # wider than the screen, scrolls itself
    hint = phone.locator("#kind-device-class .scroll-hint")
    assert hint.is_visible() and "scroll" in hint.inner_text().lower()


def test_on_a_phone_draft_names_are_abbreviated_with_the_full_name_in_a_title(phone):
    phone.goto("/")
    oldest = phone.locator("table.lineage tbody tr").last  # the newest first
    name = oldest.locator("abbr.vname-short")
    assert name.is_visible() and name.inner_text() == "bormann-lwig-00"
    assert name.get_attribute("title") == OLDEST
    assert not oldest.locator(".vname-full").is_visible()
    row = oldest.locator("th")
    assert row.bounding_box()["height"] < 3 * 24  # the name takes at most two lines
