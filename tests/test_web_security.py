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
