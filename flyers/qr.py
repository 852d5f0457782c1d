"""QR codes of a session's claim page (SPEC §10): the absolute address, as PNG or SVG.

The symbol is computed once by `qrcode` (error correction M, the standard 4-module quiet zone);
the images are drawn straight from its module matrix, which is faster than qrcode's own image
classes and gives a small, crisp SVG (one path, one sub-path per horizontal run of dark modules).
"""

import io

from django.conf import settings

BORDER = 4  # modules of quiet zone on each side; scanners need at least 4
PNG_MODULE_PX = 10


def claim_url(child_id: int) -> str:
    """The web claim page of a session (URL contract: `claim` = /claim/<child id>/)."""
    return f"{settings.SITE_URL.rstrip('/')}/claim/{int(child_id)}/"


# The claim page records a claim made after a scan as channel "qr" (credit/views/claim.py reads
# `src`, anything but "qr" is a web claim); the printed and linked address stays the plain one.
QR_SOURCE = "qr"


def qr_claim_url(child_id: int) -> str:
    """What the QR code encodes: the claim page, marked as reached by a scan."""
    return f"{claim_url(child_id)}?src={QR_SOURCE}"


def qr_matrix(data: str) -> list[list[bool]]:
    """Rows of modules (True = dark), quiet zone included."""
    # qrcode loads with the first QR code, not in every web worker (claim_url is imported widely).
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=BORDER)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_png(data: str, *, module_px: int = PNG_MODULE_PX) -> bytes:
    from PIL import Image  # Pillow loads with the first PNG, not in every web worker

    matrix = qr_matrix(data)
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    image = image.resize((size * module_px, size * module_px), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def qr_svg(data: str, *, title: str = "") -> bytes:
    """A standalone SVG 1.1 document sized in modules (scale it freely)."""
    matrix = qr_matrix(data)
    size = len(matrix)
    runs: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    label = _escape(title or data)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 {size} {size}" '
        f'width="{size * 8}" height="{size * 8}" shape-rendering="crispEdges" role="img" '
        f'aria-label="{label}">'
        f"<title>{label}</title>"
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/>'
        "</svg>\n"
    ).encode()


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
