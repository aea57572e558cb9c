"""The documentation site builds without a warning and reads right in a real browser.

Every public class and function documents the sections its API page shows (a fast check,
no build). The build here is the fast subset of ``make docs``: every page (guide, API reference,
benchmarks, changelog, the gallery's pages) with ``-W``, but only one gallery example
executed (``SKSEQ_DOCS_GALLERY``); the other examples' pages are rendered without their
output. ``make docs`` runs them all. It builds a copy of the sources in a temporary
folder, so it writes nothing into the checkout but screenshots. A headless Chromium
(Debian's ``chromium`` and ``chromium-driver``, installed here when missing and possible)
then opens the pages served on 127.0.0.1, and screenshots land in
``docs/_build/screenshots/``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import inspect
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

pytest.importorskip("sphinx", reason="the docs extra is not installed: pip install -e '.[docs]'")
pytest.importorskip("selenium", reason="the docs extra is not installed: pip install -e '.[docs]'")

from numpydoc.docscrape import get_doc_object  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SCREENSHOTS = DOCS / "_build" / "screenshots"
EXAMPLE = "plot_early_stopping"  # the one gallery example the fast build executes

sys.path.insert(0, str(DOCS / "_ext"))
import skseq_docs  # noqa: E402

# Records that a documented function returns (its Examples show them), and warnings and
# errors, need no Examples of their own.
RECORDS = {
    "skseq.panel.BacktestResult",
    "skseq.benchmark.CompetitionResult",
    "skseq.benchmark.Suite",
}
PUBLIC = {
    f"{module_name}.{name}": getattr(sys.modules[module_name], name)
    for _, module_name, names, _ in skseq_docs.api_sections()
    for name in names
}


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_docstring_has_the_sections_of_its_page(name):
    obj = PUBLIC[name]
    doc = get_doc_object(obj)
    needed = (
        []
        if name in RECORDS or (inspect.isclass(obj) and issubclass(obj, BaseException))
        else ["Examples"]
    )
    if hasattr(obj, "fit"):  # an estimator's page: what to pass, what it learns, what else
        needed += ["Parameters", "Attributes", "See Also"]
    missing = [section for section in needed if not doc[section]]
    assert not missing, f"{name}'s docstring has no {missing} section"


GALLERY = sorted((ROOT / "examples" / "gallery").glob("plot_*.py"))


@pytest.mark.parametrize("script", GALLERY, ids=[script.name for script in GALLERY])
def test_gallery_example_states_its_settings_and_has_its_place(script):
    """Each example says on its page how small it runs, and sits in the lessons' order."""
    header = " ".join(script.read_text().split('"""')[1].split())
    assert "Small settings" in header and " s on 2 cores" in header
    assert script.name in skseq_docs.GALLERY_ORDER


def _build_site(root: Path) -> Path:
    """Build a copy of the sources under ``root``; return its html folder.

    A copy, so that the build writes nothing into the checkout (its generated pages, the
    gallery's output) and cannot race a ``make docs`` or a doctest run over docs/.
    """
    skip = shutil.ignore_patterns(
        "_build", "auto_examples", "api", "gen_modules", "user_guide", "__pycache__"
    )
    shutil.copytree(DOCS, root / "docs", ignore=skip)
    shutil.copytree(ROOT / "examples" / "gallery", root / "examples" / "gallery", ignore=skip)
    shutil.copy(ROOT / "README.md", root / "README.md")  # the benchmarks page includes it
    env = {**os.environ, "SKSEQ_DOCS_GALLERY": f"/{EXAMPLE}", "MPLBACKEND": "Agg"}
    html = root / "docs" / "_build" / "html"
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-W",
        "--keep-going",
        "-j",
        "1",
        "-q",
        str(root / "docs"),
        str(html),
    ]
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"the docs build failed:\n{result.stdout}\n{result.stderr}"
    return html


def _install_chromium() -> str | None:
    """Paths are found, or Debian's packages installed; else the reason they cannot be."""
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return None
    if not shutil.which("apt-get") or os.geteuid() != 0:
        return "headless Chromium is missing and cannot be installed here (needs root apt-get)"
    install = (
        "apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
        "apt-get install -y -qq chromium chromium-driver"
    )
    result = subprocess.run(install, shell=True, capture_output=True, text=True, timeout=900)
    if result.returncode != 0 or not shutil.which("chromedriver"):
        return f"installing chromium chromium-driver failed:\n{result.stderr[-2000:]}"
    return None


@contextlib.contextmanager
def _server(site: Path):
    """The built site over HTTP on 127.0.0.1 only (search needs http, not file://)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextlib.contextmanager
def _browser():
    profile = tempfile.mkdtemp(prefix="skseq-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
    ]:
        options.add_argument(flag)
    # An explicit driver: Selenium Manager (which downloads drivers) is never started.
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver.set_page_load_timeout(60)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _wait(driver, condition, seconds: float = 20):
    return WebDriverWait(driver, seconds).until(condition)


def _check_index(server, browser):
    browser.get(f"{server}/index.html")
    navigation = _wait(
        browser,
        expected_conditions.visibility_of_element_located(
            (By.CSS_SELECTOR, "nav.navbar-nav, .bd-navbar-elements")
        ),
    )
    text = navigation.text
    for part in ["Getting started", "User guide", "Gallery", "API reference", "Benchmarks"]:
        assert part in text
    browser.save_screenshot(str(SCREENSHOTS / "index.png"))


def _check_lstm_api_page(server, browser):
    browser.get(f"{server}/api/generated/skseq.LSTMRegressor.html")
    signature = _wait(
        browser, expected_conditions.visibility_of_element_located((By.ID, "skseq.LSTMRegressor"))
    )
    assert "LSTMRegressor" in signature.text
    fields = browser.find_element(By.CSS_SELECTOR, "dl.py.class dl.field-list")
    assert fields.is_displayed()
    text = fields.text
    for section in ["Parameters", "Attributes"]:
        assert section in text
    assert "hidden_size\nint, default=32\nHidden units per layer" in text
    for parameter in ["recurrent_dropout", "early_stopping", "random_state"]:
        assert f"\n{parameter}\n" in text
    assert "\nnet_" in text and "\nhistory_" in text
    body = browser.find_element(By.TAG_NAME, "article").text
    assert "See also" in body and "Examples" in body
    assert browser.find_element(By.ID, "skseq.LSTMRegressor.fit").is_displayed()
    browser.save_screenshot(str(SCREENSHOTS / "api_LSTMRegressor.png"))


def _check_gallery_page(server, browser):
    browser.get(f"{server}/auto_examples/{EXAMPLE}.html")
    figure = _wait(
        browser,
        expected_conditions.visibility_of_element_located(
            (By.CSS_SELECTOR, "img.sphx-glr-single-img")
        ),
    )
    loaded = browser.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth", figure
    )
    assert loaded and loaded > 200  # the PNG arrived and decoded, not a broken image
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", figure)
    browser.save_screenshot(str(SCREENSHOTS / f"gallery_{EXAMPLE}.png"))


def _check_search(server, browser):
    browser.get(f"{server}/index.html")
    _wait(
        browser,
        expected_conditions.element_to_be_clickable(
            (By.CSS_SELECTOR, "button.search-button__button, .search-button-field")
        ),
    ).click()
    box = _wait(
        browser,
        expected_conditions.visibility_of_element_located(
            (
                By.CSS_SELECTOR,
                ".search-button__search-container input[name='q'], form.bd-search input[name='q']",
            )
        ),
    )
    box.send_keys("attention", Keys.ENTER)
    _wait(browser, lambda driver: "search.html" in driver.current_url)
    _wait(browser, lambda driver: driver.find_elements(By.CSS_SELECTOR, "#search-results li"), 60)
    links = [
        link.get_attribute("href")
        for link in browser.find_elements(By.CSS_SELECTOR, "#search-results li a")
    ]
    assert any("skseq.AttentionLSTMRegressor" in link for link in links), links
    browser.save_screenshot(str(SCREENSHOTS / "search_attention.png"))


@pytest.mark.slow
def test_site_builds_and_reads_right_in_chromium(tmp_path):
    """One test, so that pytest-xdist builds the site once: its pages in a real browser."""
    reason = _install_chromium()
    if reason is not None:
        pytest.skip(reason)
    html = _build_site(tmp_path)
    with _server(html) as server, _browser() as browser:
        _check_index(server, browser)  # every part of the site is in the navigation bar
        _check_lstm_api_page(server, browser)  # the parameters, attributes, see also
        _check_gallery_page(server, browser)  # the executed example's figure
        _check_search(server, browser)  # the search box finds "attention"
