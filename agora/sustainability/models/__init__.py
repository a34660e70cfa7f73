"""This app's tables, one module per part, imported here so Django finds them."""

from agora.sustainability.models.delivery import *  # noqa: F403  (part S1)
from agora.sustainability.models.labels import *  # noqa: F403  (part S2)
from agora.sustainability.models.products import *  # noqa: F403  (part S2)
