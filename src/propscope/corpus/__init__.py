"""Readers and writers for input texts and the PTC corpus format."""
