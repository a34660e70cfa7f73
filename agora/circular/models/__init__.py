"""This app's tables, one module per part, imported here so Django finds them."""

from agora.circular.models.packaging import (  # noqa: F401  (C4 packaging)
    PackagingChoice,
    PackagingType,
    PackagingUse,
    ReusablePackage,
)
from agora.circular.models.rental import (  # noqa: F401  (C1 rental)
    DamageClaim,
    RentalBooking,
    RentalDay,
    RentalDeposit,
    RentalOffer,
    RentalUnit,
)
from agora.circular.models.resale import OwnershipRecord, ResaleRequest  # noqa: F401  (C2 resale)
from agora.circular.models.tradein import TradeIn, TradeInModel  # noqa: F401  (C3 trade-in)
