"""The operator console (L5): the admin site with the seller-application queue and the
platform-sales report beside every app's admin pages."""
