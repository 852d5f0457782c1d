"""Certificate PDFs (SPEC §14) with ReportLab: one per claim, one per learner and year.

ReportLab, not WeasyPrint: it installs as wheels with no system libraries (WeasyPrint needs Pango
in the image), and a one-page certificate renders in a few milliseconds. The QR code is drawn as
vector squares from `qrcode`'s module matrix (crisp at any zoom, decodable when printed).
Renderers return (filename, content_type, bytes), as every renderer in the project does.
"""

import functools
import io
from pathlib import Path
from xml.sax.saxutils import escape

import qrcode
from django.conf import settings
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import messages as msg
from .services_certificate import display_code
from .statements import statements_for

PDF = "application/pdf"
PAGE = landscape(letter)
MARGIN = 0.6 * inch
QR_SIZE = 1.25 * inch
CELL_SIZE = 9  # points: the year certificate's table
# Names in any Latin, Greek or Cyrillic script: DejaVu (Debian's fonts-dejavu-core, installed in
# the image) or else the Vera fonts ReportLab ships (Latin only).
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)


@functools.cache
def fonts() -> tuple[str, str]:
    """(regular, bold) font names, registered once per process."""
    import reportlab

    candidates = [
        (d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf", "DejaVuSans") for d in FONT_DIRS
    ]
    bundled = Path(reportlab.__file__).parent / "fonts"
    candidates.append((bundled / "Vera.ttf", bundled / "VeraBd.ttf", "Vera"))
    for regular, bold, name in candidates:
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont(f"{name}-Cert", str(regular)))
            pdfmetrics.registerFont(TTFont(f"{name}-CertBold", str(bold)))
            return f"{name}-Cert", f"{name}-CertBold"
    return "Helvetica", "Helvetica-Bold"


def verify_url(code: str) -> str:
    """The public verification page (URL contract: `verify` = /verify/<code>/)."""
    return f"{settings.SITE_URL.rstrip('/')}/verify/{code}/"


def _styles():
    regular, bold = fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=11, leading=14, alignment=TA_CENTER)
    return {
        "provider": ParagraphStyle("provider", base, fontName=bold, fontSize=13, leading=16),
        "title": ParagraphStyle("title", base, fontName=bold, fontSize=26, leading=32),
        "text": base,
        "name": ParagraphStyle("name", base, fontName=bold, fontSize=22, leading=28),
        "activity": ParagraphStyle("activity", base, fontName=bold, fontSize=15, leading=19),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11),
    }


@functools.lru_cache(maxsize=32)
def _qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """Computed once per document, not once per page (a year's certificate has several)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def _qr(canvas, data: str, x: float, y: float, size: float) -> None:
    matrix = _qr_matrix(data)
    module = size / len(matrix)
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    for row, cells in enumerate(matrix):
        top = y + size - (row + 1) * module
        col = 0
        while col < len(cells):
            if not cells[col]:
                col += 1
                continue
            start = col
            while col < len(cells) and cells[col]:
                col += 1
            canvas.rect(x + start * module, top, (col - start) * module, module, stroke=0, fill=1)


def _page(code: str):
    """Border, QR and verification line on every page."""
    regular, _bold = fonts()
    url = verify_url(code)

    def draw(canvas, doc):
        width, height = PAGE
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#00274c"))
        canvas.setLineWidth(3)
        canvas.rect(0.3 * inch, 0.3 * inch, width - 0.6 * inch, height - 0.6 * inch)
        x, y = width - MARGIN - QR_SIZE, MARGIN - 0.1 * inch
        _qr(canvas, url, x, y, QR_SIZE)
        canvas.setFont(regular, 8)
        canvas.setFillColor(colors.black)
        canvas.drawRightString(x - 6, y + 24, f"Verification code {display_code(code)}")
        canvas.drawRightString(x - 6, y + 12, url)
        canvas.restoreState()

    return draw


def _build(code: str, story: list, title: str) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + QR_SIZE * 0.6,
        title=title,
        author=settings.PROVIDER_NAME,
        subject="Certificate of credit",
        creator=settings.SITE_NAME,
    )
    draw = _page(code)
    doc.build(story, onFirstPage=draw, onLaterPages=draw)
    return out.getvalue()


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text), style)


def claim_certificate_pdf(certificate) -> tuple[str, str, bytes]:
    claim = certificate.claim
    child, learner = claim.child, claim.learner
    parent = child.parent
    s = _styles()
    accreditation, designation = statements_for(parent)
    local = child.local_start
    day = f"{local:%A, %B} {local.day}, {local.year}"
    credit = f"{msg.hours(claim.credit_hours)} {parent.credit_type}"
    story = [
        _p(settings.PROVIDER_NAME, s["provider"]),
        Spacer(1, 10),
        _p("Certificate of Credit", s["title"]),
        Spacer(1, 14),
        _p("This certifies that", s["text"]),
        Spacer(1, 4),
        _p(learner.display_name, s["name"]),
        Spacer(1, 6),
        _p("participated in the live activity", s["text"]),
        Spacer(1, 4),
        _p(child.name or parent.name, s["activity"]),
        _p(f"{parent.name} (Regularly Scheduled Series)", s["text"]),
        _p(f"{day}{', ' + child.location if child.location else ''}", s["text"]),
        Spacer(1, 8),
        _p(f"and was awarded {credit}.", s["activity"]),
        Spacer(1, 16),
        _p(designation, s["small"]),
        Spacer(1, 4),
        _p(accreditation, s["small"]),
    ]
    title = f"Certificate: {learner.display_name}, {child.name or parent.name}"
    name = f"certificate-{child.pk}-{local:%Y-%m-%d}.pdf"
    return name, PDF, _build(certificate.code, story, title)


def year_certificate_pdf(certificate) -> tuple[str, str, bytes]:
    claims = certificate.listed
    learner = certificate.learner
    s = _styles()
    total = sum((c.credit_hours for c in claims), claims[0].credit_hours * 0)
    credit_types = sorted({c.child.parent.credit_type for c in claims})
    # Plain strings, wrapped here (simpleSplit): a year is up to a few hundred sessions, and a
    # Paragraph per cell made a year of 52 cost about ten times a one-session certificate.
    regular, bold = fonts()
    widths = [1.2 * inch, 4.2 * inch, 3.0 * inch, 0.8 * inch]

    def wrapped(text: str, width: float) -> str:
        return "\n".join(simpleSplit(text, regular, CELL_SIZE, width - 12))

    rows = [
        ["Date", "Session", "Series", "Credit"],
        *(
            [
                f"{start:%b} {start.day}, {start.year}",
                wrapped(c.child.name or c.child.parent.name, widths[1]),
                wrapped(c.child.parent.name, widths[2]),
                msg.hours(c.credit_hours),
            ]
            for c, start in ((c, c.child.local_start) for c in claims)
        ),
    ]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), regular, CELL_SIZE, CELL_SIZE + 2),
                ("FONT", (0, 0), (-1, 0), bold, CELL_SIZE, CELL_SIZE + 2),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    statements = []
    for parent in {c.child.parent_id: c.child.parent for c in claims}.values():
        accreditation, designation = statements_for(parent)
        for text in (designation, accreditation):
            if text not in statements:
                statements.append(text)
    story = [
        _p(settings.PROVIDER_NAME, s["provider"]),
        Spacer(1, 8),
        _p(f"Certificate of Credit {certificate.year}", s["title"]),
        Spacer(1, 10),
        _p("This certifies that", s["text"]),
        _p(learner.display_name, s["name"]),
        _p(
            f"participated in the following live sessions of Regularly Scheduled Series in "
            f"{certificate.year} and was awarded {msg.hours(total)} {' / '.join(credit_types)} "
            "in all.",
            s["text"],
        ),
        Spacer(1, 10),
        table,
        Spacer(1, 12),
        *[_p(text, s["small"]) for text in statements],
    ]
    title = f"Certificate {certificate.year}: {learner.display_name}"
    name = f"certificate-{certificate.year}.pdf"
    return name, PDF, _build(certificate.code, story, title)
