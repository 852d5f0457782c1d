"""The browser tests' HTML and accessibility checks catch what they are for, and no template
uses htmx's invalid `hx-*` attribute spelling (`data-hx-*` is the valid one)."""

import re
from pathlib import Path

import pytest

from tests import browser_checks
from tests.browser_checks import as_document, assert_no_serious_axe, assert_valid_html

ROOT = Path(__file__).resolve().parents[2]
BARE_HX = re.compile(
    r"""(?<![\w-])hx-(get|post|put|patch|delete|target|swap|swap-oob|trigger|include|encoding|vals|select|confirm|push-url|indicator|boost|on)\b"""
)
VALID = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
    "<body><main><h1>Sessions</h1>{}</main></body></html>"
)


def test_no_template_or_form_widget_uses_the_invalid_hx_spelling():
    sources = [
        *ROOT.glob("templates/**/*.html"),
        *ROOT.glob("*/forms.py"),
        ROOT / "static/app/app.js",
    ]
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()[:80]}"
        for path in sources
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BARE_HX.search(line.replace("data-hx-", "").replace("htmx:", ""))
    ]
    assert not found, "use data-hx-*:\n" + "\n".join(found)


def test_a_fragment_is_checked_inside_a_minimal_document_and_a_row_inside_a_table():
    assert as_document("<!DOCTYPE html><html></html>") == "<!DOCTYPE html><html></html>"
    assert "<body><div>x</div></body>" in as_document("<div>x</div>")
    assert "<table><tbody><tr><td>x</td></tr></tbody></table>" in as_document("<tr><td>x</td></tr>")


@pytest.mark.slow  # the Nu Html Checker runs on Java
def test_the_nu_checker_fails_an_hx_attribute_and_passes_the_data_spelling():
    with pytest.raises(pytest.fail.Exception, match="hx-get"):
        assert_valid_html(VALID.format('<button hx-get="/x">Go</button>'), page_name="bare")
    assert_valid_html(VALID.format('<button data-hx-get="/x">Go</button>'), page_name="data")
    with pytest.raises(pytest.fail.Exception, match="Duplicate ID"):
        assert_valid_html('<p id="a">1</p><p id="a">2</p>', page_name="fragment")


def test_a_missing_tool_skips_locally_and_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_checks, "VNU_JAR", tmp_path / "vnu.jar")
    monkeypatch.setattr(browser_checks, "ROOT", tmp_path)
    monkeypatch.delenv("RSS_REQUIRE_ALL", raising=False)
    with pytest.raises(pytest.skip.Exception):
        assert_valid_html(VALID.format(""), page_name="p")
    monkeypatch.setenv("RSS_REQUIRE_ALL", "1")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        assert_valid_html(VALID.format(""), page_name="p")


@pytest.mark.e2e
def test_axe_fails_a_serious_violation_and_passes_a_clean_page(page):
    # The dashboard's old "Attendance CSV" link: the visible text was not in its aria-label.
    page.set_content(
        VALID.format('<a href="/a.csv" aria-label="Attendance (CSV)">Attendance CSV</a>')
    )
    with pytest.raises(pytest.fail.Exception, match="label-content-name-mismatch"):
        assert_no_serious_axe(page, page_name="mismatch")
    page.set_content(
        VALID.format('<a href="/a.csv" aria-label="Attendance CSV of session 4">Attendance CSV</a>')
    )
    assert_no_serious_axe(page, page_name="clean")
