"""The desk in a real browser: headless Chromium (Debian's) driven by Playwright, against
`fieldreport serve` started as a user starts it.

Screenshots go to $FIELDREPORT_SCREENSHOTS, else out/screenshots/ (docs/img/desk-map.png in the README
is one of them). Outside CI the test is skipped, with the reason, when no Chromium can be found; in CI
(CI=true) it must run.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import httpx
import pytest

from fieldreport.apps.server import REFRESH_EVERY_S
from tests.desk_support import ROOT, Server, ingest, store_copy

TOKEN = "browser-token"
SHOTS = Path(os.environ.get("FIELDREPORT_SCREENSHOTS") or ROOT / "out" / "screenshots")
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
]  # fmt: skip


def find_chromium() -> str | None:
    for candidate in (os.environ.get("FIELDREPORT_CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser",
                      "google-chrome", "google-chrome-stable"):  # fmt: skip
        if candidate and (path := shutil.which(candidate)):
            return path
    return None


@pytest.fixture(scope="module")
def browser():
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    exe = find_chromium()
    if exe is None:
        if in_ci:
            pytest.fail("no Chromium found: .ci/run installs Debian's chromium; CI must run the browser tests")
        pytest.skip("no Chromium on this machine (apt-get install chromium, or set FIELDREPORT_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci:
            raise
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    db = store_copy(tmp_path_factory.getbasetemp(), "browser")
    with Server(db, TOKEN) as s:
        s.db = db
        yield s


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 860})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    yield pg
    ctx.close()


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    page.screenshot(path=str(path))
    return path


def wait_loaded(page, since: str | None = None) -> str:
    """Wait until the page has drawn what it fetched after ``since`` (the body's data-loaded stamp)."""
    page.wait_for_function(
        "(since) => document.body.dataset.loaded && document.body.dataset.loaded !== since", arg=since or "", timeout=30000
    )
    return page.evaluate("document.body.dataset.loaded")


def fatalities_value(page, record_id: str) -> str:
    return page.locator(f'section.report[data-record="{record_id}"] tr[data-field="fatalities"] td.fval').inner_text()


def test_map_filter_event_evidence_and_a_correction_that_sticks(desk, page):
    api = httpx.Client(base_url=desk.url, timeout=30)
    events = api.get("/api/events").json()["items"]
    located = [e for e in events if e["latitude"] is not None]

    # the map: every located event is on it (as a point or inside a cluster), over the country outlines
    page.goto(desk.url + "/#token=" + TOKEN)
    stamp = wait_loaded(page)
    assert page.locator("#map").get_attribute("data-events") == str(len(located))
    page.wait_for_selector("#map[data-basemap=loaded]", timeout=20000)
    assert page.locator("#map path.leaflet-interactive.event-marker, #map .marker-cluster").count() >= 1
    assert page.locator("#map svg path").count() > 100  # the countries
    assert page.locator("#events-table tbody tr").count() == len(events)
    assert "review: on" in page.locator("#token-state").inner_text()
    shot(page, "desk-map.png")
    page.fill("#analyst", "Ada")
    page.dispatch_event("#analyst", "change")

    # filter by type: the table and the map show that type only
    battles = [e for e in events if e["event_type"] == "Battles"]
    assert battles, "the fixture articles tell a clash"
    page.select_option("#f-event_type", "Battles")
    stamp = wait_loaded(page, stamp)
    rows = page.locator("#events-table tbody tr")
    assert rows.count() == len(battles)
    assert {rows.nth(i).get_attribute("data-type") for i in range(rows.count())} == {"Battles"}
    assert page.locator("#map").get_attribute("data-events") == str(sum(e["latitude"] is not None for e in battles))

    # the timeline filters the map: click one day's bar
    bar = page.locator("#timeline rect.bar").first
    day = bar.get_attribute("data-day")
    bar.click()
    stamp = wait_loaded(page, stamp)
    assert page.input_value("#f-date_from") == day == page.input_value("#f-date_to")
    assert all(e["event_date"] == day for e in api.get("/api/events", params={"event_type": "Battles", "date_from": day, "date_to": day}).json()["items"])
    assert rows.count() == sum(e["event_date"] == day for e in battles)
    page.click("#timeline-clear")
    stamp = wait_loaded(page, stamp)

    # open an event: its reports, claims, corroboration, and the evidence highlighted per field
    ev = max(battles, key=lambda e: len(e["record_ids"]))
    page.click(f'#events-table tbody tr[data-event="{ev["event_id"]}"]')
    page.wait_for_selector("#event-title")
    wait_loaded(page, stamp)
    assert page.locator("section.report").count() == len(ev["record_ids"])
    assert ev["corroboration"] in page.locator("#corroboration").inner_text()
    rid = ev["record_ids"][0]
    card = page.locator(f'section.report[data-record="{rid}"]')
    marks = card.locator('.article mark[data-fields~="fatalities"]')
    assert marks.count() >= 1 and marks.first.is_visible()
    detail = api.get(f"/api/records/{rid}").json()
    spans = {s["text"] for s in detail["evidence"] if s["field"] == "fatalities"}
    assert any(m in " ".join(spans) for m in [marks.first.inner_text()])
    card.locator('tr[data-field="fatalities"] td.fname').click()  # focus one field: its words stand out
    assert card.locator("mark.hot").count() >= 1 and card.locator('mark.hot[data-fields~="fatalities"]').count() == card.locator("mark.hot").count()

    # correct fatalities
    before = detail["record"]["fatalities"]
    corrected = before + 7
    card.locator('tr[data-field="fatalities"] button.edit').click()
    card.locator('tr[data-field="fatalities"] input[name="value"]').fill(str(corrected))
    card.locator('tr[data-field="fatalities"] input[name="note"]').fill("morgue count")
    card.locator('tr[data-field="fatalities"] button.save').click()
    page.wait_for_function(
        "([rid, v]) => { const c = document.querySelector(`section.report[data-record=\"${rid}\"] tr[data-field=fatalities] td.fval`);"
        " return c && c.innerText.startsWith(String(v)); }",
        arg=[rid, corrected], timeout=30000,
    )
    assert "reviewed" in fatalities_value(page, rid)
    assert re.search(r"Ada: fatalities: \d+ → %d" % corrected, card.locator(".history").inner_text())
    assert api.get(f"/api/records/{rid}").json()["reviews"][0]["analyst"] == "Ada"
    card.evaluate("el => el.scrollIntoView({block: 'start'})")
    shot(page, "desk-event.png")

    # reload: still there
    page.reload()
    page.wait_for_selector(f'section.report[data-record="{rid}"]')
    assert fatalities_value(page, rid).startswith(str(corrected))

    # re-ingest the same articles (extracted again): still there
    ingest(desk.db, force=True)
    time.sleep(REFRESH_EVERY_S + 0.3)
    event_now = api.get(f"/api/records/{rid}").json()["record"]["event_id"]
    page.goto(f"{desk.url}/#/event/{event_now}")
    page.reload()
    page.wait_for_selector(f'section.report[data-record="{rid}"]')
    assert fatalities_value(page, rid).startswith(str(corrected))
    assert not page.errors, page.errors


def test_confirm_split_and_merge_in_the_page(desk, page):
    api = httpx.Client(base_url=desk.url, timeout=30)
    ev = max(api.get("/api/events").json()["items"], key=lambda e: len(e["record_ids"]))
    assert len(ev["record_ids"]) >= 2
    a, b = ev["record_ids"][:2]
    page.goto(f"{desk.url}/#token={TOKEN}")
    wait_loaded(page)
    page.goto(f"{desk.url}/#/event/{ev['event_id']}")
    page.wait_for_selector(f'section.report[data-record="{a}"]')

    page.locator(f'section.report[data-record="{a}"] button.confirm').click()
    page.wait_for_selector(f'section.report[data-record="{a}"] .badge.confirmed')
    assert api.get(f"/api/records/{a}").json()["record"]["review_status"] == "confirmed"

    page.locator(f'section.report[data-record="{a}"] input.pick').check()
    page.locator(f'section.report[data-record="{b}"] input.pick').check()
    page.click("#split")
    page.wait_for_function("() => !location.hash.startsWith('#/event/')", timeout=30000)
    ea, eb = (api.get(f"/api/records/{x}").json()["record"]["event_id"] for x in (a, b))
    assert ea != eb

    page.goto(f"{desk.url}/#/event/{ea}")
    page.wait_for_selector(f'section.report[data-record="{a}"]')
    page.fill("#merge-with", eb)
    page.click("#merge")
    page.wait_for_selector(f'section.report[data-record="{b}"]', timeout=30000)  # one event again, both reports
    page.wait_for_selector(f'section.report[data-record="{a}"]')
    ea, eb = (api.get(f"/api/records/{x}").json()["record"]["event_id"] for x in (a, b))
    assert ea == eb
    assert not page.errors, page.errors
