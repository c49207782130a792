"""Workbooks built by hand, byte by byte, as an attacker would build them: for the bounds
tests (test_bounds.py) and the figures in docs/performance.md (bench/upload_bombs.py)."""

import functools
import io
import struct
import zlib

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
MB = 1024 * 1024


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def zip_archive(parts: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive of parts already deflated: (name, deflated bytes, CRC-32, unpacked size).
    Written by hand so a part can be far larger unpacked than it is ever held in memory here."""
    out, directory = io.BytesIO(), []
    for name, deflated, crc, size in parts:
        offset, encoded = out.tell(), name.encode()
        header = (20, 0, 8, 0, 0, crc, len(deflated), size, len(encoded))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *header, 0) + encoded + deflated)
        directory.append(
            struct.pack("<IH", 0x02014B50, 20)
            + struct.pack("<HHHHHIIIHHHHHII", *header, 0, 0, 0, 0, 0, offset)
            + encoded
        )
    start, listing = out.tell(), b"".join(directory)
    out.write(listing)
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(listing), start, 0)
    )
    return out.getvalue()


def part(name: str, text: str) -> tuple[str, bytes, int, int]:
    data = text.encode()
    return name, deflate(data), zlib.crc32(data), len(data)


def workbook(sheet_xml: str, *, shared_strings: tuple[str, bytes, int, int] | None = None):
    """A minimal .xlsx (the parts Excel needs to open it) around the given sheet XML."""
    strings = shared_strings is not None
    parts = [
        part(
            "[Content_Types].xml",
            f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/'
            f'vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{SPREADSHEET}.worksheet+xml"/>'
            + (
                f'<Override PartName="/xl/sharedStrings.xml" '
                f'ContentType="{SPREADSHEET}.sharedStrings+xml"/>'
                if strings
                else ""
            )
            + "</Types>",
        ),
        part(
            "_rels/.rels",
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
        part(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOCUMENT}"><sheets>'
            f'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        ),
        part(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{DOCUMENT}/worksheet" Target="worksheets/sheet1.xml"/>'
            + (
                f'<Relationship Id="rId2" Type="{DOCUMENT}/sharedStrings" '
                f'Target="sharedStrings.xml"/>'
                if strings
                else ""
            )
            + "</Relationships>",
        ),
        part("xl/worksheets/sheet1.xml", sheet_xml),
    ]
    return zip_archive(parts + ([shared_strings] if strings else []))


def sheet(rows: str, dimension: str | None = None) -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{declared}<sheetData>{rows}</sheetData></worksheet>'


HEADER_AND_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>统一社会信用代码</t></is></c></row>'
    '<row r="2"><c r="A2"><v>1</v></c></row>'
)
FAR_CELL = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


@functools.cache
def string_bomb(megabytes: int) -> bytes:
    """A workbook whose one shared string is `megabytes` MB of "A": each MB deflates to the
    same 1 KB block once the compressor is flushed, so 1 GB takes 1 MB and no 1 GB buffer."""
    head = f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
    tail, block = b"</t></si></sst>", b"A" * MB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    compressed_block = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    strings = (
        "xl/sharedStrings.xml",
        start + compressed_block * megabytes + end,
        crc,
        len(head) + megabytes * MB + len(tail),
    )
    return workbook(
        sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c></row>'
            '<row r="2"><c r="A2" t="s"><v>0</v></c></row>',
            "A1:A2",
        ),
        shared_strings=strings,
    )


def dimension_bomb() -> bytes:
    """1.5 KB declaring A1:XFD1048576 (17 billion cells), with a cell in its far corner."""
    return workbook(sheet(HEADER_AND_ROW + FAR_CELL, "A1:XFD1048576"))


def undeclared_far_row() -> bytes:
    """The same far cell without a <dimension>: only reading the rows can find it."""
    return workbook(sheet(HEADER_AND_ROW + FAR_CELL))
