"""The trade-in shipping label (fpdf2, like traceability's label sheet): an A6 page the buyer
prints and sticks on the parcel, with our returns address, the trade-in reference and its
label code in text and as a QR code (segno) the centre scans on arrival. The QR modules are
vector rectangles, so it prints sharp at any size."""

from __future__ import annotations

from django.conf import settings
from fpdf import FPDF

from agora.circular.models import TradeIn
from agora.core.pdfqr import draw_qr

PAGE = (105.0, 148.0)  # A6 portrait, the common parcel-label size
QR_MM = 42.0


def _text(value: str) -> str:
    """The PDF core fonts hold Latin-1 only; anything else is shown as '?' rather than lost."""
    return value.encode("latin-1", "replace").decode("latin-1")


def qr_payload(tradein: TradeIn) -> str:
    """What the QR code holds: the label code and the trade-in id (what the centre looks up)."""
    return f"AGORA-TRADEIN:{tradein.label_code}:{tradein.public_id}"


def label_pdf(tradein: TradeIn) -> bytes:
    """The label of an accepted trade-in as PDF bytes."""
    address: list[str] = list(getattr(settings, "AGORA_TRADEIN_RETURNS_ADDRESS", []))
    pdf = FPDF(orientation="P", unit="mm", format=PAGE)
    pdf.set_auto_page_break(False)
    pdf.set_margins(8, 8, 8)
    pdf.set_title(f"Agora trade-in {tradein.public_id}")
    pdf.set_creator("Agora")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, "TRADE-IN - SHIP TO", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    for line in address:
        pdf.cell(0, 6, _text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_draw_color(0, 0, 0)
    pdf.line(8, pdf.get_y(), PAGE[0] - 8, pdf.get_y())
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 10, _text(tradein.label_code), new_x="LMARGIN", new_y="NEXT", align="C")
    draw_qr(pdf, qr_payload(tradein), (PAGE[0] - QR_MM) / 2, pdf.get_y(), QR_MM)
    pdf.set_y(pdf.get_y() + QR_MM + 2)
    pdf.set_font("Helvetica", "", 9)
    lines = [
        f"Reference: {tradein.public_id}",
        f"Item: {tradein.model.name}"[:70],
        f"Sender: {getattr(tradein.buyer, 'display_name', '') or tradein.buyer.email}"[:70],
        "Put this label inside and outside the parcel.",
    ]
    for line in lines:
        pdf.cell(0, 5, _text(line), new_x="LMARGIN", new_y="NEXT", align="C")
    return bytes(pdf.output())
