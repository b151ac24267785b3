"""The ``propscope`` command line: one thin module per command."""
