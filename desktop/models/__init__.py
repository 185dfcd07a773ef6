"""The domain, pure Python: no Qt, no SQL, no HTTP. Every other layer imports from here."""
