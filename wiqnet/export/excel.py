"""CSV for German Excel: semicolons, CRLF and a UTF-8 byte order mark, so umlauts survive."""

from __future__ import annotations

import csv
import io

BOM = "\ufeff"


def for_excel(content: bytes) -> bytes:
    """Rewrite comma-separated UTF-8 CSV with ';' separators, CRLF and a UTF-8 BOM."""
    rows = csv.reader(io.StringIO(content.decode("utf-8"), newline=""))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return (BOM + buffer.getvalue()).encode("utf-8")
