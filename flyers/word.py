"""The Word (.docx) flyer, built with python-docx from a FlyerContent (SPEC §9)."""

import functools
import io
from datetime import UTC, datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .content import FlyerContent

RED = RGBColor(0xB0, 0x00, 0x20)
LINK = RGBColor(0x05, 0x63, 0xC1)
QR_WIDTH = Inches(1.5)
# Style ids of python-docx's default template (tests check the names they resolve to).
TITLE, SUBTITLE, HEADING, BULLET = "Title", "Subtitle", "Heading2", "ListBullet"
TEXT_WIDTH = Inches(5.0)
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
# CT_PPr children that must follow w:pBdr (Word rejects paragraph properties out of order).
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def build_docx(content: FlyerContent, *, qr_png: bytes | None = None) -> bytes:
    doc = Document(io.BytesIO(_template()))
    _properties(doc, content)
    if content.draft:
        _draft_banner(doc, content)

    series = _styled(doc, content.series_name, SUBTITLE)
    series.paragraph_format.space_after = Pt(2)
    _styled(doc, content.session_name, TITLE)
    _labelled(doc, "When: ", content.when)
    if content.location:
        _labelled(doc, "Where: ", content.location)
    _labelled(doc, "Child ID: ", str(content.child_id))

    _heading(doc, "Faculty")
    for line in content.faculty:
        _styled(doc, line.text, BULLET)

    _heading(doc, "Objectives")
    if content.objectives:
        doc.add_paragraph("At the conclusion of this activity, participants should be able to:")
        for objective in content.objectives:
            _styled(doc, objective, BULLET)
    else:
        doc.add_paragraph("No objectives have been entered for this session.")

    _heading(doc, "Target Audience")
    if content.specialties:
        _labelled(doc, "Specialties: ", ", ".join(content.specialties))
    if content.professions:
        _labelled(doc, "Professions: ", ", ".join(content.professions))
    if not content.specialties and not content.professions:
        doc.add_paragraph("All healthcare professionals.")

    _claim_section(doc, content, qr_png)
    _disclosure_section(doc, content)

    # The statements, set apart by a rule. Each heading keeps with its statement and a statement
    # never splits; longer keep-with-next chains are not used: LibreOffice breaks them.
    rule = doc.add_paragraph()
    rule.paragraph_format.space_before = Pt(2)
    _border(rule, ("bottom",), size=12)
    _heading(doc, content.accreditation_heading)
    accreditation = doc.add_paragraph(content.accreditation)
    _heading(doc, "Credit Designation Statement")
    designation = doc.add_paragraph(content.credit_designation)
    for paragraph in (accreditation, designation):
        paragraph.paragraph_format.keep_together = True

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@functools.cache
def _template() -> bytes:
    """python-docx's template, made once per process: page and styles set, and trimmed to what a
    flyer uses. Its styles.xml alone is 350 KB (every table style and latent style of Word 2010);
    parsing and writing it back was most of the time of a flyer."""
    doc = Document()
    for section in doc.sections:
        section.left_margin = section.right_margin = Inches(0.8)
        section.top_margin = section.bottom_margin = Inches(0.5)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    heading = doc.styles["Heading 2"].paragraph_format
    heading.space_before, heading.space_after, heading.keep_with_next = Pt(8), Pt(2), True
    doc.styles["Title"].font.size = Pt(22)
    doc.styles["Title"].paragraph_format.space_after = Pt(8)

    styles = doc.styles.element
    by_id = {el.get(qn("w:styleId")): el for el in styles.findall(qn("w:style"))}
    keep: set[str] = set()
    todo = [TITLE, SUBTITLE, HEADING, BULLET, "Header", "Footer"]
    todo += [sid for sid, el in by_id.items() if el.get(qn("w:default")) in ("1", "true")]
    while todo:  # the styles used, their defaults and what they are based on or linked to
        sid = todo.pop()
        if sid in keep or sid not in by_id:
            continue
        keep.add(sid)
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = by_id[sid].find(qn(tag))
            if ref is not None:
                todo.append(ref.get(qn("w:val")))
    for sid, el in by_id.items():
        if sid not in keep:
            styles.remove(el)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    # Parts a flyer does not need: Word 2010's duplicate styles, a bibliography store, and a
    # thumbnail of someone else's page that file browsers would show.
    for rels, unwanted in (
        (doc.part.rels, {RELATIONSHIP_TYPE.CUSTOM_XML, _STYLES_WITH_EFFECTS}),
        (doc.part.package.rels, {RELATIONSHIP_TYPE.THUMBNAIL}),
    ):
        for r_id, rel in list(rels.items()):
            if rel.reltype in unwanted:
                rels.pop(r_id)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _properties(doc, content: FlyerContent) -> None:
    props = doc.core_properties
    props.title = f"{content.series_name}: {content.session_name}"
    props.subject = "Flyer" + (" (DRAFT)" if content.draft else "")
    props.author = content.provider
    props.last_modified_by = content.provider
    props.comments = content.claim_url
    now = datetime.now(UTC).replace(tzinfo=None)
    props.created = props.modified = now
    props.revision = 1


def _draft_banner(doc, content: FlyerContent) -> None:
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(content.draft_banner)
    run.bold = True
    run.font.color.rgb = RED

    banner = doc.add_paragraph()
    banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _border(banner, ("top", "left", "bottom", "right"), size=18, color="B00020", space=4)
    run = banner.add_run(content.draft_banner)
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = RED
    note = doc.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note_run = note.add_run(f"Session status: {content.status_label}")
    note_run.font.color.rgb = RED


def _claim_section(doc, content: FlyerContent, qr_png: bytes | None) -> None:
    """Text message, website and deadline; with the QR code to their right when included."""
    _heading(doc, "How to Claim Credit")
    if qr_png:
        table = doc.add_table(rows=1, cols=2)
        table.autofit = False
        text_cell, qr_cell = table.rows[0].cells
        # Both the grid (LibreOffice) and the cells (Word) carry the widths.
        for column, cell, width in zip(
            table.columns, (text_cell, qr_cell), (TEXT_WIDTH, QR_WIDTH + Inches(0.4)), strict=True
        ):
            column.width = cell.width = width
        target = text_cell
        first = text_cell.paragraphs[0]
    else:
        target = doc
        first = doc.add_paragraph()
    first.add_run("Text message: ").bold = True
    first.add_run(f"text {content.child_id} to {content.sms_number}.")
    website = target.add_paragraph()
    website.add_run("Website: ").bold = True
    _hyperlink(website, content.claim_url)
    last = target.add_paragraph()
    last.add_run("Claim by: ").bold = True
    last.add_run(
        f"{content.claim_closes} (claiming opens {content.claim_opens_minutes} minutes before "
        "the start)."
    )
    if qr_png:
        target.add_paragraph("Or scan the QR code with your phone's camera (no app needed).")
        picture = qr_cell.paragraphs[0]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.add_run().add_picture(io.BytesIO(qr_png), width=QR_WIDTH)


def _disclosure_section(doc, content: FlyerContent) -> None:
    _heading(doc, "Financial Disclosure Information")
    doc.add_paragraph(content.disclosure_intro)
    for person in content.disclosures:
        p = _styled(doc, "", BULLET)
        p.add_run(f"{person.name} ({person.role_label})").bold = True
        p.add_run(f": {person.text}")
    for sentence in content.disclosure_conclusion:
        doc.add_paragraph().add_run(sentence).bold = True


def _styled(container, text: str, style_id: str) -> Paragraph:
    """A paragraph in a style of python-docx's template, set by id: python-docx's lookup by name
    scans every style on each call and was half the time of a whole flyer."""
    paragraph = container.add_paragraph(text)
    paragraph._p.style = style_id
    return paragraph


def _heading(doc, text: str) -> Paragraph:
    return _styled(doc, text, HEADING)


def _labelled(doc, label: str, value: str) -> Paragraph:
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(2)
    p.add_run(label).bold = True
    p.add_run(value)
    return p


def _border(
    paragraph: Paragraph,
    sides: tuple[str, ...],
    *,
    size: int = 12,
    color: str = "000000",
    space: int = 1,
) -> None:
    """A paragraph border (the rule that sets the statements apart, the box round the banner)."""
    borders = OxmlElement("w:pBdr")
    for side in sides:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(size))
        edge.set(qn("w:space"), str(space))
        edge.set(qn("w:color"), color)
        borders.append(edge)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)


def _hyperlink(paragraph: Paragraph, url: str) -> None:
    """A clickable address (python-docx has no API for external hyperlinks)."""
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), str(LINK))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(color)
    props.append(underline)
    run.append(props)
    text = OxmlElement("w:t")
    text.text = url
    text.set(qn("xml:space"), "preserve")
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
