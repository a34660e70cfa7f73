"""This app's tables, one module per part, imported here so Django finds them."""

from agora.circular.models.rental import (  # noqa: F401  (C1 rental)
    DamageClaim,
    RentalBooking,
    RentalDay,
    RentalDeposit,
    RentalOffer,
    RentalUnit,
)
