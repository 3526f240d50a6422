"""Build-time helpers for the MkDocs site (plain Python; MkDocs only calls them)."""
