"""The web app and REST API: ``create_app(settings)``, used by ``propscope serve`` and the tests.

Imports are lazy so that ``propscope.web.static`` (the page's files, also inlined into the
standalone report) can be found without importing FastAPI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from propscope.web.app import create_app
    from propscope.web.settings import Settings

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from propscope.web.app import create_app

        return create_app
    if name == "Settings":
        from propscope.web.settings import Settings

        return Settings
    raise AttributeError(name)
