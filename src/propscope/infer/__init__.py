"""ONNX Runtime inference: tokenization, striding and scores (no decoding here)."""
