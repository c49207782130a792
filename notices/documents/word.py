"""An `OfficialDocument` as a Word file laid out as Chinese official documents are (GB/T
9704-2012, 党政机关公文格式): A4 with 37 / 35 / 28 / 26 mm margins, the title in 方正小标宋
二号 centred, headings in 黑体 三号, the body in 仿宋_GB2312 三号 on a fixed 28.95 pt line (22
lines a page), the signature and date right-aligned, page numbers "— 1 —" at the foot.

Chinese text takes the East Asian font (`w:eastAsia` of `w:rFonts`); Word falls back to a font
of the same kind (宋体 / 仿宋) where the named one is not installed."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from notices.documents.model import OfficialDocument, Table

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(10.5)  # 五号: the method's tables are wide
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINE = Pt(28.95)
FIRST_LINE_INDENT = Pt(32)  # two characters of 三号

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _font(run, east_asian: str, size, *, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    r_fonts.set(qn("w:eastAsia"), east_asian)


def _paragraph(document, text: str, *, font=BODY_FONT, size=BODY_SIZE, align=None, indent=True):
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = FIRST_LINE_INDENT
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), font, size)
    return paragraph


def _table(document, table: Table) -> None:
    if table.caption:
        _paragraph(document, table.caption, font=HEADING_FONT, size=Pt(12), indent=False)
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row_index, cells in enumerate([table.headers, *table.rows]):
        for column, text in enumerate(cells):
            cell = grid.cell(row_index, column)
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if row_index == 0 else None
            _font(
                paragraph.add_run(str(text)),
                HEADING_FONT if row_index == 0 else BODY_FONT,
                TABLE_SIZE,
            )


def _page_numbers(section) -> None:
    """ "— 1 —" centred in the footer: a PAGE field between two dashes."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), BODY_FONT, PAGE_NUMBER_SIZE)
    run = paragraph.add_run()
    _font(run, BODY_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _font(paragraph.add_run(" —"), BODY_FONT, PAGE_NUMBER_SIZE)


def _page_setup(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _page_numbers(section)


def render_docx(document: OfficialDocument) -> bytes:
    word = Document()
    _page_setup(word)
    word.core_properties.title = document.title
    word.core_properties.author = document.signature
    title = _paragraph(
        word,
        document.title,
        font=TITLE_FONT,
        size=TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    title.paragraph_format.line_spacing = Pt(35)
    _paragraph(word, "", indent=False)  # one blank line under the title, as the standard has
    if document.addressee:
        _paragraph(word, document.addressee, indent=False)
    for section in document.sections:
        if section.heading:
            _paragraph(word, section.heading, font=HEADING_FONT)
        for part in section.paragraphs:
            if isinstance(part, Table):
                _table(word, part)
            else:
                _paragraph(word, part)
    if document.attachments:
        _paragraph(word, "")
        for number, name in enumerate(document.attachments, start=1):
            # 附件：1. …, the next names under the first (GB/T 9704: 附件说明).
            prefix = _("Attachments: ") if number == 1 else ""
            paragraph = _paragraph(word, f"{prefix}{number}. {name}")
            if number > 1:
                paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT + BODY_SIZE * 3
    _paragraph(word, "")
    for text in (document.signature, document.date_text):
        paragraph = _paragraph(word, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        paragraph.paragraph_format.right_indent = Pt(64)  # 右空四字
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
