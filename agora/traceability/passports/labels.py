"""QR codes of Digital Links (segno) and a printable A4 sheet of labels (fpdf2).

A label carries the QR code of the item's Digital Link and, for people and for scanners that
fail, the same facts in text: product title, GTIN, serial or lot. The QR modules are drawn as
vector rectangles, so the sheet prints sharp at any resolution and stays small.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from fpdf import FPDF

from agora.core.pdfqr import draw_qr

# A common A4 label stock: 3 columns x 8 rows of 70 x 37.125 mm, no margins (e.g. Avery 3474).
PAGE_W, PAGE_H = 210.0, 297.0
COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = PAGE_W / COLUMNS, PAGE_H / ROWS
PADDING = 3.0
QR_SIZE = LABEL_H - 2 * PADDING  # square, on the left of the label
MAX_LABELS = 2400  # 100 sheets: a print job, not a denial of service
MAX_TITLE = 80  # three lines of the label's text column
# Medium error correction survives a scuffed label; the quiet zone is the four modules ISO/IEC
# 18004 asks for.
ERROR = "m"
BORDER = 4


@dataclass(frozen=True)
class Label:
    """What one label shows: the Digital Link (in the QR code) and its text."""

    uri: str
    title: str
    gtin: str
    serial: str | None = None
    lot: str | None = None


def _qr(uri: str) -> segno.QRCode:
    return segno.make_qr(uri, error=ERROR, boost_error=False)


def qr_svg(uri: str, *, title: str | None = None) -> bytes:
    """The QR code as a standalone SVG (scales to any size; ``title`` for screen readers)."""
    out = io.BytesIO()
    _qr(uri).save(
        out,
        kind="svg",
        scale=1,
        border=BORDER,
        xmldecl=True,
        svgns=True,
        title=title or uri,
        unit="mm",
        omitsize=False,
    )
    return out.getvalue()


def qr_png(uri: str, *, scale: int = 8) -> bytes:
    """The QR code as a PNG, ``scale`` pixels per module (8 gives ~300 px for a short link)."""
    out = io.BytesIO()
    _qr(uri).save(out, kind="png", scale=max(1, min(scale, 40)), border=BORDER)
    return out.getvalue()


def _text(value: str) -> str:
    """The PDF core fonts hold Latin-1 only; anything else is shown as '?' rather than lost."""
    return value.encode("latin-1", "replace").decode("latin-1")


def _draw_qr(pdf: FPDF, uri: str, x: float, y: float, size: float) -> None:
    """The Digital Link's code at the labels' error level (the drawing is :mod:`core.pdfqr`)."""
    draw_qr(pdf, uri, x, y, size, error=ERROR)


def label_sheet_pdf(labels: Sequence[Label]) -> bytes:
    """An A4 PDF of ``labels``, 24 a page, left to right and top to bottom."""
    if not labels:
        raise ValueError("a label sheet needs at least one label")
    if len(labels) > MAX_LABELS:
        raise ValueError(f"{len(labels)} labels are more than {MAX_LABELS} in one sheet")
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title("Agora labels")
    pdf.set_creator("Agora")
    per_page = COLUMNS * ROWS
    for n, label in enumerate(labels):
        if n % per_page == 0:
            pdf.add_page()
        slot = n % per_page
        x, y = (slot % COLUMNS) * LABEL_W, (slot // COLUMNS) * LABEL_H
        _draw_qr(pdf, label.uri, x + PADDING, y + PADDING, QR_SIZE)
        text_x = x + PADDING + QR_SIZE + 1.5
        text_w = LABEL_W - (text_x - x) - PADDING
        pdf.set_xy(text_x, y + PADDING + 1)
        pdf.set_font("Helvetica", "B", 7.5)
        title = (
            label.title if len(label.title) <= MAX_TITLE else label.title[: MAX_TITLE - 3] + "..."
        )
        pdf.multi_cell(text_w, 3.4, _text(title), max_line_height=3.4, new_x="LEFT")
        pdf.set_font("Helvetica", "", 7)
        lines = [f"GTIN {label.gtin}"]
        if label.lot:
            lines.append(f"Lot {label.lot}")
        if label.serial:
            lines.append(f"Serial {label.serial}")
        pdf.set_xy(text_x, y + LABEL_H - PADDING - 3.3 * len(lines))
        for line in lines:
            pdf.cell(text_w, 3.3, _text(line), new_x="LEFT", new_y="NEXT")
    return bytes(pdf.output())
