"""The PDF is made from the report's own HTML and fetches nothing from outside the page."""

from __future__ import annotations

import pytest

from enquiry.publish.pdf import html_to_pdf

PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def test_a_self_contained_page_becomes_a_pdf_with_its_text() -> None:
    import io

    from pypdf import PdfReader

    pdf = html_to_pdf(f"<h1>Findings of the panel</h1><img src='{PIXEL}'>")
    assert pdf.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Findings of the panel" in text


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/a.png", "file:///etc/passwd"])
def test_a_page_that_links_outside_itself_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="links outside itself"):
        html_to_pdf(f"<p>x</p><img src='{url}'>")
