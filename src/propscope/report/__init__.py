"""Renderers of an analysis: json, jsonl, text (Rich), ptc."""
