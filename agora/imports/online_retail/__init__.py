"""The UCI Online Retail importer: one CSV file per day of a UK gift-ware wholesaler's sales.

Reading and judging rows is pure (no database) and lives in :mod:`.rows`;
:func:`import_online_retail` (:mod:`.run`) walks a directory file by file, one transaction per
file, through :func:`agora.orders.imports.order_import_batch`.

Decisions taken from the data (245 files, 370,931 rows; see ``../shared/data/online-retail``):

- The retailer is one seller (slug ``online-retail``, GB, payouts in GBP); each StockCode is the
  SKU of a one-variant product. StockCodes are upper-cased: ``85123a`` and ``85123A`` name the
  same goods (the 94 lower-case codes share their descriptions with their upper-case twins).
- ``InvoiceDate`` is wall-clock time in the UK (Europe/London, so BST from 27 March 2011) and is
  stored in UTC.
- Prices are GBP rounded half-even to pence by :func:`agora.core.money.quantize`; a price that
  rounds to 0p (``PADS`` is sold at £0.001) is a ``zero_price`` rejection, not a free product.
- A buyer is created for every CustomerID on a well-formed row, even when all of that
  customer's rows are rejected (a customer who only returned goods bought before the data set
  starts is still a customer). Rows without a CustomerID are guest sales (orders without a
  buyer); guest cancellations cannot be tied to an original sale and are rejected.
- ``line_no`` is the position of the row within its invoice in file order, counting rejected
  rows too, so a line keeps its number whatever the rules decide about its neighbours.
"""

from agora.imports.online_retail.rows import (
    COLUMNS,
    CURRENCY,
    DayFile,
    NotACsvFile,
    Reason,
    RejectedExample,
    Rejection,
    Row,
    classify_row,
    classify_rows,
    customer_email,
    read_day_file,
)
from agora.imports.online_retail.run import (
    SELLER_SLUG,
    ImportInputError,
    ImportReport,
    day_files,
    import_online_retail,
    retailer_seller,
)

__all__ = [
    "COLUMNS",
    "CURRENCY",
    "SELLER_SLUG",
    "DayFile",
    "ImportInputError",
    "ImportReport",
    "NotACsvFile",
    "Reason",
    "RejectedExample",
    "Rejection",
    "Row",
    "classify_row",
    "classify_rows",
    "customer_email",
    "day_files",
    "import_online_retail",
    "read_day_file",
    "retailer_seller",
]
