"""Scores -> spans. Thresholds live in DecoderConfig so evaluation can sweep them."""
