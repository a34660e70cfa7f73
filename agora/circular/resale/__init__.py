"""C2 resale: second-hand goods as ordinary catalog items with a condition (issue 7, item 4)."""
