"""Rental (issue 7 item 5): products rented by the day or month with a deposit held in escrow,
per-unit availability, late fees and damage claims."""
