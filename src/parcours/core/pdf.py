"""Shared PDF toolkit (reportlab): fonts shipped with the package, styles, safe text.

DejaVu Sans is shipped in core/fonts (free licence, LICENSE-DejaVu.txt) so that every name prints
correctly (Ł, Ş, Ő…) with no system package.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "ParcoursSans"
FONT_BOLD = "ParcoursSans-Bold"


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str]:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return FONT, FONT_BOLD


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("ParcoursBody", parent=base["BodyText"], fontName=FONT, fontSize=10, leading=13,
                          alignment=TA_LEFT)
    return {
        "body": body,
        "small": ParagraphStyle("ParcoursSmall", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#444444")),
        "title": ParagraphStyle("ParcoursTitle", parent=base["Title"], fontName=FONT_BOLD, fontSize=16, leading=20),
        "h1": ParagraphStyle("ParcoursH1", parent=base["Heading1"], fontName=FONT_BOLD, fontSize=14, leading=18),
        "h2": ParagraphStyle("ParcoursH2", parent=base["Heading2"], fontName=FONT_BOLD, fontSize=12, leading=15),
        "cell": ParagraphStyle("ParcoursCell", parent=body, fontSize=9, leading=11),
    }


def text(value: object, style: str = "body") -> Paragraph:
    """A paragraph of user-supplied text: escaped (Paragraph parses markup), line breaks kept."""
    safe = escape("" if value is None else str(value)).replace("\n", "<br/>")
    return Paragraph(safe, styles()[style])


def markup(trusted: str, style: str = "body") -> Paragraph:
    """A paragraph of our own markup (bold, line breaks); never pass user text here unescaped."""
    return Paragraph(trusted, styles()[style])


def render(story: list) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                      bottomMargin=2 * cm, title="Parcours").build(story)
    return buffer.getvalue()


def story_text(story: list) -> str:
    """The plain text of a story, for tests and previews."""
    parts = []
    for flowable in story:
        if isinstance(flowable, Paragraph):
            parts.append(flowable.getPlainText())
        elif isinstance(flowable, Table):
            for row in flowable._cellvalues:  # type: ignore[attr-defined]  # reportlab keeps the cells there
                parts.extend(cell.getPlainText() for cell in row if isinstance(cell, Paragraph))
    return "\n".join(parts)
