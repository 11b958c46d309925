"""Small PDFs built with pikepdf, with or without what makes one accessible (tests/gather/
test_documents.py, tests/checks/test_channels.py)."""

from __future__ import annotations

import io

import pikepdf


def pdf(*, tagged: bool, title: str | None, lang: str | None, text: bool) -> bytes:
    """A one-page PDF: tagged or not, with a shown title, a language and a text layer, or not."""
    document = pikepdf.new()
    document.add_blank_page()
    if text:
        font = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                         BaseFont=pikepdf.Name.Helvetica))
        document.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        document.pages[0].Contents = document.make_stream(b"BT /F1 12 Tf 72 720 Td (Claim form) Tj ET")
    if tagged:
        document.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        document.Root.StructTreeRoot = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    if title:
        with document.open_metadata() as meta:
            meta["dc:title"] = title
        document.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    if lang:
        document.Root.Lang = pikepdf.String(lang)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
