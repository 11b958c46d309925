"""gather/documents.py: what a PDF, DOCX or ODT says about its own accessibility, and documents
that unpack past the limits are a finding, not a crash."""

from __future__ import annotations

import io
import zipfile

import pikepdf

from accesscheck.gather.documents import MAX_ENTRIES, MAX_UNPACKED, inspect_document
from document_fixtures import pdf


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_office_zip_bombs_are_a_finding_not_a_crash():
    many = _zip({f"word/part{i}.xml": b"<x/>" for i in range(MAX_ENTRIES + 1)})
    assert inspect_document(many, "docx") == {
        "error": f"not inspected: the archive has more than {MAX_ENTRIES} entries", "limit_exceeded": True}
    huge = _zip({"meta.xml": b"<x>" + b" " * (MAX_UNPACKED + 1) + b"</x>"})
    assert len(huge) < 1024 * 1024          # about 50 KB on the wire
    assert inspect_document(huge, "odt")["limit_exceeded"] is True


def test_pdf_flate_bomb_is_a_finding_not_a_crash():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    import zlib
    packed = zlib.compress(b" " * (MAX_UNPACKED + 1024), 9)
    pdf.pages[0].Contents = pdf.make_stream(packed, Filter=pikepdf.Name.FlateDecode)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    assert len(out.getvalue()) < 1024 * 1024
    result = inspect_document(out.getvalue(), "pdf")
    assert result == {"error": "not inspected: a page's content unpacks to more than 50 MB", "limit_exceeded": True}


def test_pdf_inspection_tells_accessible_from_inaccessible():
    good = inspect_document(pdf(tagged=True, title="Claim form", lang="en-GB", text=True), "pdf")
    assert good | {"pages": 1} == {"pages": 1, "tagged": True, "title": "Claim form", "title_shown": True,
                                   "language": "en-GB", "text_layer": True, "form_fields": 0, "unnamed_fields": 0}
    scanned = inspect_document(pdf(tagged=False, title=None, lang=None, text=False), "pdf")
    assert (scanned["tagged"], scanned["title_shown"], scanned["language"], scanned["text_layer"]) == (False, False, None, False)


def test_broken_documents_are_an_error_not_a_crash():
    assert inspect_document(b"%PDF-1.7 garbage", "pdf")["error"].startswith("unreadable pdf")
    assert inspect_document(b"not a zip", "docx")["error"].startswith("unreadable docx")


def test_odt_and_docx_metadata():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("meta.xml", '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                         'xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>Formulaire</dc:title>'
                         '<dc:language>fr-FR</dc:language></office:meta></office:document-meta>')
    assert inspect_document(buffer.getvalue(), "odt") == {"title": "Formulaire", "title_shown": True, "language": "fr-FR"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("docProps/core.xml", '<cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/"/>')
    assert inspect_document(buffer.getvalue(), "docx") == {"title": None, "title_shown": False, "language": None}
