"""Model loading: the shipped detector folder, or a built-in baseline."""
