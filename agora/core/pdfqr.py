"""A QR code drawn into an fpdf2 page as vector rectangles (sharp at any print size), shared by
the passport label sheet and the trade-in shipping label."""

from __future__ import annotations

import segno
from fpdf import FPDF

BORDER = 4  # the quiet zone ISO/IEC 18004 asks for, in modules


def draw_qr(pdf: FPDF, data: str, x: float, y: float, size: float, *, error: str = "m") -> None:
    """``data`` as a ``size`` mm square QR code (quiet zone included) at ``x``, ``y``."""
    matrix = segno.make_qr(data, error=error, boost_error=False).matrix
    step = size / (len(matrix) + 2 * BORDER)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):  # one rectangle per horizontal run of dark modules
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(
                    x + (BORDER + start) * step,
                    y + (BORDER + r) * step,
                    (c - start) * step,
                    step,
                    style="F",
                )
            else:
                c += 1
