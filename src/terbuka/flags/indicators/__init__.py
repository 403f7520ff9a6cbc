"""One module per red-flag indicator; `terbuka.flags.registry` lists and builds them."""
