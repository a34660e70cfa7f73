"""Differentially private statistics (issue 8 item 4): seller-facing aggregates about buyers
released only through OpenDP measurements, under a privacy budget per seller and month.

- ``cells.py``: the public, fixed categories (countries, regions, tenure bands) a table has;
- ``policy.py``: the settings (budget, ε of a release, the contribution bounds K and U);
- ``mechanism.py``: the OpenDP measurements (discrete Laplace on count vectors);
- ``selectors.py``: the true, contribution-bounded counts (never shown) and the ledger reads;
- ``services.py``: a release: budget check, noise, ledger entry, stored answer.
"""
