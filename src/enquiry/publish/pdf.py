"""HTML to PDF, for a report a panel can file and a bundle can carry.

WeasyPrint lays the report out from its own HTML and print CSS, so the PDF says exactly what the
HTML says: there is one report, printed two ways. It fetches nothing: a URL the page names is
refused (the report is self-contained, and a PDF made from a hostile page must not reach out).
"""

from __future__ import annotations


def html_to_pdf(page: str) -> bytes:
    """The PDF of one self-contained HTML page (inline CSS, ``data:`` images)."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    # Only data: URLs are fetched; a link elsewhere fails the whole PDF rather than be skipped.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = HTML(string=page, url_fetcher=fetcher, base_url=None)
    try:
        pdf = document.write_pdf()
    except FatalURLFetchingError as exc:
        raise ValueError(f"the page links outside itself ({exc})") from None
    if pdf is None:  # write_pdf returns bytes when no target is given
        raise ValueError("the PDF could not be written")
    return bytes(pdf)
