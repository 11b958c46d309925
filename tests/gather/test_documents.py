"""gather/documents.py: documents that unpack past the limits are a finding, not a crash."""

from __future__ import annotations

import io
import zipfile

import pikepdf

from accesscheck.gather.documents import MAX_ENTRIES, MAX_UNPACKED, inspect_document


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
