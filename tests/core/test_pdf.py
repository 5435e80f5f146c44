import io

from reportlab.platypus import SimpleDocTemplate

from parcours.core.pdf import FONT, register_fonts, text


def test_user_text_is_escaped_and_any_latin_name_prints():
    paragraph = text("<b>Łukasz Şükrü & Co</b>\nligne 2")
    assert "&lt;b&gt;" in paragraph.text and "&amp;" in paragraph.text
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([paragraph])
    assert buffer.getvalue().startswith(b"%PDF")


def test_shipped_font_is_registered():
    assert register_fonts()[0] == FONT
