"""Recommendations that explain themselves (issue 5): signals, a precomputed model, reasons."""
