"""QR codes (SPEC §10): decoded with a real decoder (zxing-cpp), not compared with ourselves."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from flyers.qr import BORDER, claim_url, qr_matrix, qr_png, qr_svg
from flyers.renderers import PNG, SVG, render_qr_png, render_qr_svg

SVG_NS = "{http://www.w3.org/2000/svg}"
RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z")


def decode(image: Image.Image) -> str:
    (code,) = zxingcpp.read_barcodes(image)
    assert code.format == zxingcpp.BarcodeFormat.QRCode
    return code.text


def rasterize_svg(svg: bytes, scale: int = 8) -> Image.Image:
    """Draw the SVG's runs with Pillow: an independent reading of its geometry."""
    root = ET.fromstring(svg)
    _, _, width, height = (int(v) for v in root.get("viewBox").split())
    image = Image.new("L", (width * scale, height * scale), 255)
    draw = ImageDraw.Draw(image)
    path = root.find(f"{SVG_NS}path").get("d")
    runs = RUN.findall(path)
    assert "".join(f"M{x} {y}h{w}v1h-{w2}z" for x, y, w, w2 in runs) == path
    for x, y, w, w2 in runs:
        assert w == w2
        x, y, w = int(x), int(y), int(w)
        draw.rectangle([x * scale, y * scale, (x + w) * scale - 1, (y + 1) * scale - 1], fill=0)
    return image


def test_it_builds_the_absolute_claim_address_from_site_url(settings):
    settings.SITE_URL = "https://cme.example.edu/"
    assert claim_url(4321) == "https://cme.example.edu/claim/4321/"


@pytest.mark.parametrize(
    "url",
    [
        "https://rss.example.org/claim/7/",
        "https://rss.example.org/claim/123456789/",
        "http://127.0.0.1:8000/claim/42/",
        "https://continuing-education.medicine.university.example.edu/cme/rss/claim/99999/",
    ],
)
def test_it_draws_a_png_that_decodes_to_the_address(url):
    image = Image.open(io.BytesIO(qr_png(url)))
    assert image.format == "PNG"
    assert decode(image) == url


def test_it_keeps_a_quiet_zone_round_the_symbol():
    matrix = qr_matrix("https://rss.example.org/claim/7/")
    size = len(matrix)
    edge = [
        matrix[i][j]
        for i in range(size)
        for j in range(size)
        if min(i, j, size - 1 - i, size - 1 - j) < BORDER
    ]
    assert not any(edge)
    image = Image.open(io.BytesIO(qr_png("https://rss.example.org/claim/7/")))
    assert image.size == (size * 10, size * 10)


def test_it_writes_an_svg_document_with_one_path_that_decodes_to_the_address():
    url = "https://rss.example.org/claim/1234/"
    svg = qr_svg(url, title='Claim "credit" & more <here>')
    root = ET.fromstring(svg)  # well-formed XML, escaping included
    assert root.tag == f"{SVG_NS}svg"
    size = len(qr_matrix(url))
    assert root.get("viewBox") == f"0 0 {size} {size}"
    assert root.get("shape-rendering") == "crispEdges"
    assert root.find(f"{SVG_NS}title").text == 'Claim "credit" & more <here>'
    assert [child.tag for child in root] == [f"{SVG_NS}title", f"{SVG_NS}rect", f"{SVG_NS}path"]
    assert decode(rasterize_svg(svg)) == url


def test_it_names_the_files_by_child_id(session):
    filename, content_type, data = render_qr_png(session)
    assert (filename, content_type) == (f"claim-qr-{session.pk}.png", PNG)
    assert (
        decode(Image.open(io.BytesIO(data)))
        == f"https://rss.example.org/claim/{session.pk}/?src=qr"
    )
    filename, content_type, data = render_qr_svg(session)
    assert (filename, content_type) == (f"claim-qr-{session.pk}.svg", SVG)
    assert decode(rasterize_svg(data)) == f"https://rss.example.org/claim/{session.pk}/?src=qr"
