"""Agora. One setting must precede every import of a BLAS library (numpy, scipy, implicit,
opendp's dependencies), whichever module loads one first: implicit's ALS asks for one BLAS
thread (its threads and BLAS's fight), and OpenBLAS reads the variable once, when it loads."""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
