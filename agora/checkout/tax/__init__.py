"""EU destination-country VAT: the rates (``rates.py``, ``source.py``, ``runtime.py``) and the
pure computation (``compute.py``)."""
