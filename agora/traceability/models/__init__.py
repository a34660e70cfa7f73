"""The traceability app's tables, one module per part: the log, EPCIS events, passports."""

from .epcis import *  # noqa: F403
from .log import *  # noqa: F403
from .passports import *  # noqa: F403
