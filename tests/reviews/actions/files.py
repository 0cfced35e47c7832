"""Small files of each kind, built in memory, for the evidence file tests."""

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
GIF = b"GIF89a" + b"\x00" * 20
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
DOC = OLE + "WordDocument".encode("utf-16-le") + b"\x00" * 50
XLS = OLE + "Workbook".encode("utf-16-le") + b"\x00" * 50
MAIN = "application/vnd.openxmlformats-officedocument.{}.main+xml"


def office(part: str, main_type: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/{part}" ContentType="{main_type}"/></Types>',
        )
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


DOCX = office("word/document.xml", MAIN.format("wordprocessingml.document"))
XLSX = office("xl/workbook.xml", MAIN.format("spreadsheetml.sheet"))
DOCM = office("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml")
ZIP = office("notes.txt", "text/plain")
