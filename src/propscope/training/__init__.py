"""Training of the technique detector. Needs the ``[train]`` extra (torch, transformers)."""

from __future__ import annotations


def require_train_extra() -> None:
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from propscope.errors import Code, PropscopeError

        raise PropscopeError(
            Code.MISSING_EXTRA,
            f"training needs the [train] extra: pip install -e '.[train]' ({exc.name} is missing)",
        ) from None
