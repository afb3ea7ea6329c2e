"""The pages in a real browser: Debian's Chromium driven by Playwright, against ``kg serve``.

Chromium is not optional here: without it the tests fail and say how to install it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from tests.web_fixtures import KgServer, chromium_path, kg_server

__all__ = ["kg_server"]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, kg_server: KgServer) -> Iterator[Page]:
    context = browser.new_context(base_url=kg_server.url)
    # Nothing may be fetched from anywhere but this server (no CDN at run time).
    outside: list[str] = []

    def only_this_server(route: Route) -> None:
        if route.request.url.startswith(kg_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_server)
    opened = context.new_page()
    yield opened
    context.close()
    assert outside == []


def test_query_page_runs_stored_query(page: Page) -> None:
    page.goto("/sparql")
    page.select_option("#examples", "resolutions")
    expect(page.locator("#query")).to_have_value(
        page.evaluate(
            "JSON.parse(document.getElementById('example-data').textContent)"
            ".find(q => q.name === 'resolutions').sparql"
        )
    )
    page.click("#run")
    table = page.locator("#results-table")
    expect(table).to_be_visible(timeout=15_000)
    headers = table.locator("thead th").all_inner_texts()
    assert headers[:2] == ["resolution", "symbol"]
    expect(table.locator("tbody")).to_contain_text("A/RES/58/135")
    expect(table.locator("tbody")).to_contain_text("A/RES/56/120")
    csv_link = page.locator('#downloads a[data-format="csv"]')
    assert "format=csv" in (csv_link.get_attribute("href") or "")


def test_resolution_page_follows_citation(page: Page) -> None:
    page.goto("/resolution/A/RES/58/135")
    expect(page.locator("h1")).to_have_text("A/RES/58/135")
    expect(page.locator("ol.operative > li")).to_have_count(9)
    page.locator('a.cite[href="/resolution/A/RES/56/120"]').first.click()
    page.wait_for_url("**/resolution/A/RES/56/120")
    expect(page.locator("h1")).to_have_text("A/RES/56/120")
    expect(page.locator("ol.preamble > li")).to_have_count(5)
