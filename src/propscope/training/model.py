"""The trainable detector: a shared encoder with a BIO span head and a span classifier."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from propscope.infer.features import N_EXTRA


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
