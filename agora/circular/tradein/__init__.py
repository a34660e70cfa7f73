"""Trade-in (issue 7 C3): quote, ship, inspect, store credit or a revised offer."""
