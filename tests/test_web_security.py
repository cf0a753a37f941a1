"""The pages and the API as a public site needs them: links that no request can point elsewhere,
answers remembered under everything that changes them, and the security headers."""

from __future__ import annotations

import lxml.html
import pytest

from support import NEWEST, OLDEST, SEVEN

FOREIGN_HOST = "attacker.example"

# Pages whose links are built from the request's own query (pagination, filters, "did you mean").
QUERY_PAGES = [
    "/search?q=constraned+node", "/search?q=class&version=all&page=2", "/diff?status=changed",
    f"/diff?from={OLDEST}&to=latest&term=class-2", "/terms/class-2", f"/versions/{SEVEN}", "/terms/clas2",
    "/diff?status=gone", "/versions/draft-ietf-iotops-7228bis-7",
]
RESERVED = ["_external=1", "_scheme=https&_external=1", "_method=POST", "_anchor=x", "_external=1&_method=POST"]


def links_of(html: str) -> list[str]:
    page = lxml.html.document_fromstring(html)
    return [value for element in page.iter() if isinstance(element.tag, str)
            for name, value in element.attrib.items() if name in ("href", "src", "action")]


@pytest.mark.parametrize("reserved", RESERVED)
@pytest.mark.parametrize("url", QUERY_PAGES)
def test_flask_reserved_arguments_in_the_query_change_no_link(client, url, reserved):
    joined = f"{url}{'&' if '?' in url else '?'}{reserved}"
    response = client.get(joined, headers={"Host": FOREIGN_HOST})
    assert response.status_code < 500, (joined, response.get_data(as_text=True)[:300])
    html = response.get_data(as_text=True)
    assert FOREIGN_HOST not in html
    assert not [link for link in links_of(html) if link.startswith(("http://localhost", "//", "https://localhost"))]


def test_a_foreign_host_never_reaches_what_others_are_served(client):
    url = "/diff?status=changed&_external=1"
    client.get(url, headers={"Host": FOREIGN_HOST})
    html = client.get(url).get_data(as_text=True)
    assert FOREIGN_HOST not in html
    assert "/diff?status=changed&_external=1&view=inline" in links_of(html)  # the view switch, on this site


def test_a_blank_parameter_redirects_within_the_site(client):
    response = client.get("/search?q=node&version=&_external=1", headers={"Host": FOREIGN_HOST})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/search?")
    assert FOREIGN_HOST not in response.headers["Location"]
    assert "_external=1" in response.headers["Location"]  # kept as the plain parameter it is


def test_a_repeated_parameter_is_its_own_page_in_the_answer_memory(client):
    first = client.get("/search?q=duty+cycle&q=energy").get_data(as_text=True)
    second = client.get("/search?q=energy&q=duty+cycle").get_data(as_text=True)
    assert 'value="duty cycle"' in first and 'value="energy"' in second


def test_the_same_parameters_in_another_order_are_one_answer(client):
    assert (client.get(f"/diff?from={OLDEST}&to={NEWEST}&status=changed").get_data()
            == client.get(f"/diff?status=changed&to={NEWEST}&from={OLDEST}").get_data())


# --- security headers and CORS -------------------------------------------------------------

HTML_PAGES = ["/", f"/versions/{SEVEN}", "/terms/class-2", "/diff?view=inline", "/search?q=node", "/terms/nope",
              "/no-such-page", "/api/v1/docs"]
API_ANSWERS = ["/api/v1/versions", "/api/v1/terms/c2", "/api/v1/search?q=node", "/api/v1/terms/nope",
               f"/api/v1/versions/{SEVEN}/export?format=csv", "/api/v1/openapi.json"]


def directives(policy: str) -> dict[str, list[str]]:
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize("url", HTML_PAGES)
def test_pages_carry_a_policy_that_allows_no_inline_script_or_style(client, url):
    response = client.get(url)
    assert response.mimetype == "text/html"
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    if not url.startswith("/api/"):  # other sites may read the API (its documentation too), not the pages
        assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("url", HTML_PAGES)
def test_pages_hold_no_inline_script_style_or_handler(client, url):
    page = lxml.html.document_fromstring(client.get(url).get_data(as_text=True))
    assert all(script.get("src") and not (script.text or "").strip() for script in page.iter("script"))
    assert not list(page.iter("style"))
    inline = [(element.tag, name) for element in page.iter() if isinstance(element.tag, str)
              for name in element.attrib if name == "style" or name.startswith("on")]
    assert inline == []


def test_the_static_files_a_page_names_are_served(client):
    for url in ("/", "/api/v1/docs"):
        page = lxml.html.document_fromstring(client.get(url).get_data(as_text=True))
        for link in page.xpath("//script/@src | //link[@rel='stylesheet']/@href | //link[@rel='icon']/@href"):
            assert client.get(link).status_code == 200, (url, link)


@pytest.mark.parametrize("url", API_ANSWERS)
def test_the_api_is_readable_from_any_origin_and_runs_nothing(client, url):
    response = client.get(url, headers={"Origin": "https://editor.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert directives(response.headers["Content-Security-Policy"]) == {
        "default-src": ["'none'"], "frame-ancestors": ["'none'"]}
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_preflight_is_answered_for_the_api_only(client):
    preflight = {"Origin": "https://editor.example", "Access-Control-Request-Method": "GET"}
    api = client.options("/api/v1/versions", headers=preflight)
    page = client.options("/versions/latest", headers=preflight)
    assert api.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in page.headers
