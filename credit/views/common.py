import io

from rss_dashboard.http import file_response, safe_next, too_many  # noqa: F401 - the views' helpers


def qr_svg(text: str, *, box_size: int = 8) -> str:
    """An inline SVG QR code of `text` (the markup only, to place in a page)."""
    # qrcode's SVG images pull in lxml: loaded by the kiosk and attendance pages, not every worker.
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        text, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size, border=2
    )
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]
