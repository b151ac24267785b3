"""The trainable detector: a shared encoder with a BIO span head and a span classifier."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from propscope.infer.features import N_EXTRA
from propscope.infer.heads import MlpHead
from propscope.techniques import LABELS


class Detector(nn.Module):
    def __init__(
        self, encoder: Any, n_labels: int, hidden: int = 256, dropout: float = 0.1
    ) -> None:
        super().__init__()
        self.encoder = encoder
        h = encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.si_head = nn.Linear(h, 3)
        self.tc1 = nn.Linear(4 * h + N_EXTRA, hidden)
        self.act = nn.GELU(approximate="tanh")
        self.tc2 = nn.Linear(hidden, n_labels)

    def encode(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return hidden, self.si_head(self.dropout(hidden))

    def span_logits(
        self,
        hidden: torch.Tensor,
        batch_idx: torch.Tensor,
        first: torch.Tensor,
        last: torch.Tensor,
        extras: torch.Tensor,
    ) -> torch.Tensor:
        bsz, t, h = hidden.shape
        flat = hidden.reshape(bsz * t, h)
        pos = torch.arange(t, device=hidden.device)
        m = ((pos[None, :] >= first[:, None]) & (pos[None, :] <= last[:, None])).to(hidden.dtype)
        m = m / m.sum(1, keepdim=True)
        mean = torch.einsum("st,sth->sh", m, hidden[batch_idx])
        feats = torch.cat(
            [
                mean,
                flat[batch_idx * t + first],
                flat[batch_idx * t + last],
                flat[batch_idx * t],
                extras.to(hidden.dtype),
            ],
            dim=1,
        )
        return self.tc2(self.act(self.tc1(self.dropout(feats))))


class ExportWrapper(nn.Module):
    """What goes into ONNX: ids and mask in, hidden states and BIO logits out."""

    def __init__(self, det: Detector) -> None:
        super().__init__()
        self.det = det

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.det.encoder(
            input_ids=input_ids, attention_mask=attention_mask
        ).last_hidden_state
        return hidden, self.det.si_head(hidden)


def tc_head_of(det: Detector) -> MlpHead:
    """The detector's span classifier in the runtime's weight format."""
    return MlpHead.of(
        w1=det.tc1.weight.detach().float().cpu().T.numpy(),
        b1=det.tc1.bias.detach().float().cpu().numpy(),
        w2=det.tc2.weight.detach().float().cpu().T.numpy(),
        b2=det.tc2.bias.detach().float().cpu().numpy(),
    )


# A small random BERT (16 hidden units, one layer) with MiniLM's vocabulary: the ``tiny`` base
# of ``TrainConfig``, for fast runs of the training and export path.
TINY_BERT = {
    "model_type": "bert",
    "vocab_size": 30522,
    "hidden_size": 16,
    "num_hidden_layers": 1,
    "num_attention_heads": 2,
    "intermediate_size": 32,
    "max_position_embeddings": 512,
}


def describe_encoder(det: Detector) -> dict[str, Any]:
    """What a checkpoint records of its encoder, so that it can be rebuilt from the checkpoint
    alone: its configuration, whether it has a pooling layer, the span classifier's width."""
    return {
        "config": det.encoder.config.to_dict(),
        "pooling_layer": getattr(det.encoder, "pooler", None) is not None,
        "tc_hidden": det.tc1.out_features,
    }


def build_encoder(config: dict[str, Any], *, pooling_layer: bool = True) -> Any:
    """A randomly initialised encoder of the given transformers configuration."""
    from transformers import AutoConfig, AutoModel

    cfg = dict(config)
    model_type = cfg.pop("model_type")
    return AutoModel.from_config(
        AutoConfig.for_model(model_type, **cfg), add_pooling_layer=pooling_layer
    )


def detector_from_description(desc: dict[str, Any], n_labels: int) -> Detector:
    enc = build_encoder(desc["config"], pooling_layer=bool(desc.get("pooling_layer", True)))
    return Detector(enc, n_labels, hidden=int(desc.get("tc_hidden", 256)))


def tiny_detector(seed: int = 0) -> Detector:
    torch.manual_seed(seed)
    det = Detector(build_encoder(TINY_BERT, pooling_layer=False), len(LABELS), hidden=16)
    det.eval()
    return det
