"""Static files of the page and the standalone report (CSS, JS, HTML): package data."""

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent
