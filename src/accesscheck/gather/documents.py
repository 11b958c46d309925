"""Linked documents (PDF, DOCX, ODT): download within a size limit and read what matters for
people using assistive technology. Not a browser gatherer: the crawl hands each document link to
`fetch_document_result`, which asks over HTTP for its size and type, downloads an inspectable one
and fills `DocumentResult.properties`.

PDF (pikepdf; methodology 3.2, PDF/UA-1 / Matterhorn): tagged = MarkInfo.Marked and a
StructTreeRoot; title shown = a title and ViewerPreferences.DisplayDocTitle; language = /Lang;
text layer = text-showing operators on the first pages (a scanned image has none); form fields
without an accessible name (/TU). DOCX / ODT: title and language from their metadata.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Any

import httpx
import pikepdf
from lxml import etree

from accesscheck import reasons
from accesscheck.model import DocumentResult
from accesscheck.settings import ARCHIVE_LIMITS, DOCUMENT_INSPECT_MAX_BYTES
from accesscheck.urls import document_type

INSPECTED = frozenset({"pdf", "docx", "odt"})
MAX_UNPACKED = ARCHIVE_LIMITS["max_uncompressed_bytes"]
MAX_ENTRIES = ARCHIVE_LIMITS["max_entries"]
MAX_PDF_OBJECTS = ARCHIVE_LIMITS["max_pdf_objects"]


class DocumentTooLarge(ValueError):
    """The document unpacks past the limits (a zip or flate bomb, or simply enormous): recorded,
    not read. The message says which limit, in words for the report."""
TEXT_PAGES = 5          # pages searched for a text layer: enough to tell a scan from a text PDF
_TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
_DC = "{http://purl.org/dc/elements/1.1/}"


async def fetch_document_result(client: httpx.AsyncClient, url: str, *, site: str, found_on: str) -> DocumentResult:
    """The document linked from `found_on`: size and type from a HEAD request (a GET whose body is
    not read when HEAD is refused), then, for a kind we inspect, what it says about itself."""
    result = DocumentResult(url=url, site=site, kind=document_type(url) or "other", found_on=found_on)
    try:
        response = await client.head(url)
        if response.status_code in (405, 501):
            async with client.stream("GET", url) as response:
                pass
    except httpx.HTTPError as exc:
        result.reason = reasons.reason("document_not_fetched", why=reasons.http_client_error(exc))
        return result
    result.status = response.status_code
    result.content_type = response.headers.get("content-type")
    length = response.headers.get("content-length")
    result.bytes = int(length) if length and length.isdigit() else None
    if response.status_code >= 400:
        result.reason = reasons.http_status(response.status_code)
    elif result.kind in INSPECTED:
        try:
            content = await fetch_document(client, url, DOCUMENT_INSPECT_MAX_BYTES)
        except httpx.HTTPError as exc:
            content = f"not downloaded: {reasons.http_client_error(exc)}"
        result.properties = inspect_document(content, result.kind) if isinstance(content, bytes) else {"error": content}
    return result


async def fetch_document(client: httpx.AsyncClient, url: str, max_bytes: int) -> bytes | str:
    """The document's bytes, or the reason it was not read (too big, HTTP error)."""
    async with client.stream("GET", url) as response:
        if response.status_code >= 400:
            return f"HTTP {response.status_code}"
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                return f"larger than the {max_bytes} byte inspection limit"
            chunks.append(chunk)
    return b"".join(chunks)


def inspect_document(content: bytes, kind: str) -> dict[str, Any]:
    """What a document says about its own accessibility; `{"error": ...}` when it cannot be read."""
    try:
        if kind == "pdf":
            return inspect_pdf(content)
        return inspect_office(content, kind)
    except DocumentTooLarge as exc:
        return {"error": f"not inspected: {exc}", "limit_exceeded": True}
    except (pikepdf.PdfError, zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError) as exc:
        return {"error": f"unreadable {kind}: {type(exc).__name__}"}


def inspect_pdf(content: bytes) -> dict[str, Any]:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        if len(pdf.objects) > MAX_PDF_OBJECTS:
            raise DocumentTooLarge(f"the PDF has more than {MAX_PDF_OBJECTS} objects")
        root = pdf.Root
        mark_info = root.get("/MarkInfo")
        marked = bool(mark_info is not None and mark_info.get("/Marked", False))
        with pdf.open_metadata() as xmp:
            title = str(xmp.get("dc:title") or "")
        if not title and pdf.docinfo is not None:
            title = str(pdf.docinfo.get("/Title", ""))
        prefs = root.get("/ViewerPreferences")
        display_title = bool(prefs is not None and prefs.get("/DisplayDocTitle", False))
        lang = root.get("/Lang")
        fields = _form_fields(root)
        return {
            "pages": len(pdf.pages),
            "tagged": marked and "/StructTreeRoot" in root,
            "title": title.strip() or None,
            "title_shown": bool(title.strip()) and display_title,
            "language": str(lang) if lang is not None else None,
            "text_layer": _has_text(pdf),
            "form_fields": len(fields),
            "unnamed_fields": sum(1 for f in fields if not str(f.get("/TU", "")).strip()),
        }


def _has_text(pdf: pikepdf.Pdf) -> bool:
    for page in list(pdf.pages)[:TEXT_PAGES]:
        _check_content_size(page)
        for instruction in pikepdf.parse_content_stream(page):
            if str(instruction.operator) in _TEXT_OPERATORS:
                return True
    return False


def _check_content_size(page: pikepdf.Page) -> None:
    """Unpack a page's Flate content streams with a cap before pikepdf parses them whole: a few
    kilobytes of deflate can hold gigabytes."""
    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    total = 0
    for stream in streams:
        if not isinstance(stream, pikepdf.Stream):
            continue
        filters = stream.get("/Filter")
        names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)] if filters else []
        if names == ["/FlateDecode"]:
            unpacker = zlib.decompressobj()
            total += len(unpacker.decompress(stream.read_raw_bytes(), MAX_UNPACKED - total + 1))
        else:
            total += len(stream.read_raw_bytes())  # other filters: sized as stored
        if total > MAX_UNPACKED:
            raise DocumentTooLarge(f"a page's content unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB")


def _form_fields(root: pikepdf.Object) -> list[pikepdf.Object]:
    form = root.get("/AcroForm")
    if form is None:
        return []
    found, stack = [], list(form.get("/Fields", []))
    while stack:
        field = stack.pop()
        kids = field.get("/Kids")
        if kids is not None and any("/T" in k for k in kids):
            stack.extend(kids)
        else:
            found.append(field)
    return found


def inspect_office(content: bytes, kind: str) -> dict[str, Any]:
    """DOCX: docProps/core.xml (dc:title, dc:language) and the default language of styles.xml.
    ODT: meta.xml (dc:title, dc:language)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        _check_archive(archive)
        meta_name = "meta.xml" if kind == "odt" else "docProps/core.xml"
        names = set(archive.namelist())
        meta = etree.fromstring(_read(archive, meta_name), parser=_safe_parser()) if meta_name in names else None
        title = (meta.findtext(f".//{_DC}title") or "").strip() if meta is not None else ""
        lang = (meta.findtext(f".//{_DC}language") or "").strip() if meta is not None else ""
        if not lang and kind == "docx" and "word/styles.xml" in names:
            styles = etree.fromstring(_read(archive, "word/styles.xml"), parser=_safe_parser())
            w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
            node = styles.find(f".//{w}docDefaults//{w}lang")
            lang = (node.get(f"{w}val") or "") if node is not None else ""
    return {"title": title or None, "title_shown": bool(title), "language": lang or None}


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Entry count and declared unpacked size, before anything is read."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise DocumentTooLarge(f"the archive has more than {MAX_ENTRIES} entries")
    if sum(e.file_size for e in entries) > MAX_UNPACKED:
        raise DocumentTooLarge(f"it unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB")


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    """One entry, never more than the limit, whatever size its header claims."""
    with archive.open(name) as member:
        data = member.read(MAX_UNPACKED + 1)
    if len(data) > MAX_UNPACKED:
        raise DocumentTooLarge(f"it unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB")
    return data


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
