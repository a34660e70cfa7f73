"""Storefront views, one module per part of the buyer journey."""
