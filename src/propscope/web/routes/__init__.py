"""API routes, one module per resource, and the pages."""
