"""Part S1 of issue 7: the carbon footprint of delivery (GLEC Framework / ISO 14083 method).

``calc`` (pure arithmetic), ``modes`` (which legs a shipping method's parcels take), ``places``
(where a parcel starts and ends), ``selectors`` (footprints of checkout options and of a buyer's
orders), ``services`` (profiles and the per-order record), ``handlers`` (``order.paid``) and
``views`` (the buyer's yearly total).
"""
