"""QR codes that scan back to the Digital Link, and label sheets that hold every label."""

from __future__ import annotations

import io
import re

import pytest
import segno
import zxingcpp
from PIL import Image, ImageDraw

from agora.traceability.passports import labels

URI = "https://agora.example/01/08719327000465/21/FU0018-00001"


def test_the_png_scans_back_to_the_uri() -> None:
    image = Image.open(io.BytesIO(labels.qr_png(URI)))
    (found,) = zxingcpp.read_barcodes(image)
    assert found.text == URI
    assert found.format == zxingcpp.BarcodeFormat.QRCode


def test_the_svg_names_itself_for_screen_readers() -> None:
    svg = labels.qr_svg(URI, title="QR code of the bike").decode()
    assert svg.startswith("<?xml")
    assert "<title>QR code of the bike</title>" in svg


def test_the_vector_modules_drawn_on_labels_are_the_codes_modules() -> None:
    """The sheet draws runs of dark modules as rectangles; drawn into an image the same way,
    they must scan to the same URI (the PDF itself has no renderer here)."""

    class Recorder:
        def __init__(self) -> None:
            self.rects: list[tuple[float, float, float, float]] = []

        def set_fill_color(self, *_: int) -> None:
            pass

        def rect(self, x: float, y: float, w: float, h: float, style: str) -> None:
            self.rects.append((x, y, w, h))

    recorder = Recorder()
    labels._draw_qr(recorder, URI, 0, 0, 100)  # type: ignore[arg-type]
    image = Image.new("L", (400, 400), 255)
    draw = ImageDraw.Draw(image)
    for x, y, w, h in recorder.rects:
        draw.rectangle([x * 4, y * 4, (x + w) * 4 - 1, (y + h) * 4 - 1], fill=0)
    (found,) = zxingcpp.read_barcodes(image)
    assert found.text == URI
    dark = sum(row.count(True) for row in segno.make_qr(URI, error="m").matrix)
    assert sum(w for _, _, w, _ in recorder.rects) == pytest.approx(
        dark * 100 / (len(segno.make_qr(URI, error="m").matrix) + 8)
    )


def test_a_sheet_has_24_labels_a_page_with_their_text() -> None:
    sheet = [
        labels.Label(uri=f"{URI[:-5]}{n:05d}", title="Utrecht E-Bike", gtin="08719327000465",
                     serial=f"FU0018-{n:05d}", lot="FU-2026-W03")
        for n in range(1, 26)
    ]  # fmt: skip
    pdf = labels.label_sheet_pdf(sheet)
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 2


def test_titles_outside_latin_1_do_not_break_the_sheet() -> None:
    pdf = labels.label_sheet_pdf([labels.Label(URI, "青瓷茶壶 Celadon teapot" * 5, "1")])
    assert pdf.startswith(b"%PDF-")


def test_an_empty_or_huge_sheet_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        labels.label_sheet_pdf([])
    with pytest.raises(ValueError, match="more than"):
        labels.label_sheet_pdf([labels.Label(URI, "x", "1")] * (labels.MAX_LABELS + 1))
