"""The installed propscope version (model folders state the range they need)."""

__version__ = "0.4.0"
