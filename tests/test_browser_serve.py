"""The desk page of ``mali-map serve`` in headless Chromium, served by a real uvicorn on 127.0.0.1, at a
phone's size (390x844) and a desktop's: paste the example report, see ``depends``, correct a place,
download the zip, upload the example CSV, find an incident; check one claim with the keyboard alone.
Every request outside the server is aborted, so the page must work offline."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")
from browser_support import launch_browser  # noqa: E402
from mali_map.web import create_app  # noqa: E402
from serve_support import RunningServer  # noqa: E402

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
REPORT = (ROOT / "examples" / "kati-mutiny-2020.txt").read_text(encoding="utf-8")
INCIDENTS = ROOT / "examples" / "kati-incidents.csv"
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.fixture(scope="module")
def browser():
    yield from launch_browser()


@pytest.fixture(scope="module")
def server():
    with RunningServer(create_app()) as running:
        yield running


class Desk:
    """The desk page opened in a fresh tab, with what it said and what it tried to fetch elsewhere."""

    def __init__(self, browser, server, size):
        width, height = SIZES[size]
        self.page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route(server.url))
        self.page.goto(server.url + "/")

    def _route(self, base):
        def route(request_route):
            url = request_route.request.url
            if url.startswith((base, "data:", "blob:", "about:")):
                request_route.continue_()
            else:
                self.outside.append(url)
                request_route.abort()

        return route

    def map_ready(self, selector: str):
        frame = self.page.frame_locator(selector)
        frame.locator("body[data-mm-ready]").wait_for(timeout=30_000)
        return self.page.locator(selector).element_handle().content_frame()


@pytest.mark.parametrize("size", SIZES)
def test_report_depends_then_a_correction_rejudges_and_the_zip_downloads(browser, server, size):
    desk = Desk(browser, server, size)
    page = desk.page
    page.fill("#report-text", REPORT)
    page.click("#report-go")
    page.wait_for_selector("#report-claims .verdict")
    assert page.inner_text("#report-claims .verdict") == "depends"
    assert "Kati lies less than 10 miles from the capital." in page.inner_text("#report-claims")
    assert page.inner_text("#report-heading") == "Mutiny in Kati, 18 August 2020"
    first_map = desk.map_ready("#report-map")
    assert first_map.locator(".leaflet-interactive").count() > 0

    choice = page.get_by_label("Place for “Kati”")
    options = choice.locator("option").all_inner_texts()
    assert options[0] == "Kati (ML) (as read)" and len(options) > 1
    old_map = page.get_attribute("#report-map", "src")
    choice.select_option(index=1)
    # locators, not wait_for_function: the page's policy forbids the eval that one needs
    page.locator("#report-claims .verdict", has_text="contradicted").wait_for()
    assert "your choice" in page.inner_text("#report-places")
    page.locator(f'#report-map:not([src="{old_map}"])').wait_for()
    desk.map_ready("#report-map")

    with page.expect_download() as download_info:
        page.click("#report-zip")
    archive = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert sorted(archive.namelist()) == ["claims.json", "incidents.geojson", "map.html", "report.md"]
    assert '"verdict": "contradicted"' in archive.read("claims.json").decode("utf-8")
    assert desk.errors == [] and desk.outside == []


@pytest.mark.parametrize("size", SIZES)
def test_upload_a_csv_see_the_map_and_find_an_incident(browser, server, size):
    desk = Desk(browser, server, size)
    page = desk.page
    page.set_input_files("#table-file", str(INCIDENTS))
    page.wait_for_selector("#table-results:not([hidden])")
    assert page.inner_text("#table-summary").startswith("11 incidents on 4 layers; no rows rejected")
    frame = desk.map_ready("#table-map")
    assert frame.locator(".leaflet-control-layers-overlays label").count() >= 4

    page.select_option("#table-layer", "year")
    page.click("#table-go")
    page.locator("#table-summary", has_text="11 incidents on 2 layers").wait_for()
    page.fill("#table-find", "armoury")
    found = page.locator("#table-rows li")
    assert found.count() == 1
    assert "Kati" in found.inner_text() and "armoury" in found.inner_text()
    assert page.inner_text("#table-found") == "1 incident matches."
    with page.expect_download() as download_info:
        page.click("#table-zip")
    assert zipfile.ZipFile(download_info.value.path()).namelist() == ["map.html"]
    assert desk.errors == [] and desk.outside == []


def test_check_one_claim_with_the_keyboard_alone(browser, server):
    desk = Desk(browser, server, "phone")
    page = desk.page
    for _ in range(40):  # Tab through the page to the claim box, as a keyboard user does
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "claim-text":
            break
    else:
        pytest.fail("the claim box cannot be reached with Tab")
    page.keyboard.type("Kati is less than 10 miles from Bamako")
    page.keyboard.press("Enter")
    page.wait_for_selector("#claim-results:not([hidden])")
    assert page.inner_text("#claim-verdict") == "depends"
    assert page.input_value("#claim-line").startswith("depends: Kati is less than 10 miles from Bamako — Centre")
    frame = desk.map_ready("#claim-map")
    assert "18.3 km" in frame.inner_text("body")
    assert desk.errors == [] and desk.outside == []


def test_every_control_has_a_label_and_is_big_enough_for_a_thumb(browser, server):
    page = Desk(browser, server, "phone").page
    unlabeled = page.evaluate(
        """[...document.querySelectorAll('input, select, textarea, button, iframe')].filter(e =>
            !(e.labels && e.labels.length) && !e.getAttribute('title') && !e.textContent.trim()).map(e => e.id)"""
    )
    assert unlabeled == []
    small = page.evaluate(
        """[...document.querySelectorAll('button, .button, label.file')].filter(e => e.offsetParent)
            .map(e => [e.id || e.textContent.trim(), e.getBoundingClientRect().height])
            .filter(([, h]) => h < 44)"""
    )
    assert small == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_html_typed_into_the_page_is_shown_as_text(browser, server):
    desk = Desk(browser, server, "desktop")
    page = desk.page
    payload = "<img src=x onerror=\"document.title='owned'\">"
    page.fill("#claim-text", f"Kati {payload} is less than 10 miles from Bamako")
    page.click("#claim-go")
    page.wait_for_selector("#claim-status:not(:empty), #claim-results:not([hidden])")
    page.fill("#report-text", f"date 2020-08-18\nBAMAKO - {payload} Soldiers mutinied in Kati.")
    page.click("#report-go")
    page.wait_for_selector("#report-incidents li")
    assert payload in page.inner_text("#report-incidents")
    assert page.locator("img[src=x]").count() == 0 and page.title() == "mali-map desk"


def test_a_binary_txt_is_refused_in_the_page(browser, server, tmp_path):
    desk = Desk(browser, server, "phone")
    page = desk.page
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    page.set_input_files("#report-file", str(binary))
    page.wait_for_selector("#report-status.error")
    assert page.inner_text("#report-status") == "photo.txt: binary file, expected a text"


def test_a_txt_dropped_on_the_box_is_read(browser, server):
    desk = Desk(browser, server, "desktop")
    page = desk.page
    transfer = page.evaluate_handle(
        """text => { const transfer = new DataTransfer();
            transfer.items.add(new File([text], 'kati.txt', {type: 'text/plain'})); return transfer; }""",
        REPORT,
    )
    page.dispatch_event("#report-text", "drop", {"dataTransfer": transfer})
    page.wait_for_selector("#report-claims .verdict")
    assert page.inner_text("#report-claims .verdict") == "depends"
    assert page.input_value("#report-text") == REPORT
    assert desk.errors == [] and desk.outside == []
