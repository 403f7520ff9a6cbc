"""Publication scope: which contracting processes are obliged to be published, and by when."""
