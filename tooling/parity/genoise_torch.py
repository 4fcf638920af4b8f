"""A PyTorch copy of genoise's default self-supervised job, for parity checks and the bench.

Mirrors, layer by layer and number by number:
- the encoder: ``smallConvNet({ widths: [16, 32, 64], downsampling: 'strideOnly' })``
  (packages/models/src/encoders/small-conv-net.ts): per stage conv3x3 stride 2 with TF 'same'
  padding (pad 0 before / 1 after on even sizes, 1 / 1 on odd), no bias, BatchNorm (momentum 0.9 in
  genoise's convention = PyTorch's 0.1, eps 1e-5, unbiased running variance), ReLU; then a global
  average pool: [B, 1, 28, 28] -> [B, 64];
- the projection head (packages/models/src/heads/projection-head.ts): Linear(64, 256, no bias)-BN-ReLU-
  Linear(256, 64) with bias; BYOL's prediction head the same shape on the projection;
- the initialisation: ``init='genoise'`` draws every kernel from N(0, 2 / fanIn) (He normal, not
  truncated), biases 0, BN gamma 1 / beta 0 (packages/models/src/init/initialize-weights.ts);
  ``init='torch'`` keeps PyTorch's defaults (kaiming_uniform(a=sqrt(5)) = U(+-1/sqrt(fanIn)) for
  kernels, U(+-1/sqrt(fanIn)) for biases);
- NT-Xent over the 2B views, mean over anchors (packages/losses/src/contrastive/nt-xent.ts), BYOL's
  2 - 2 cos (packages/losses/src/non-contrastive/byol-loss.ts);
- Adam (tfjs defaults: betas 0.9 / 0.999, eps 1e-7) with 5% linear warm-up then cosine to 0
  (packages/train/src/schedule/warmup-cosine.ts);
- the views (packages/augment simclrViews / byolViews, preset 'small', on 1-channel images):
  random resized crop (scale [0.2, 1], ratio [3/4, 4/3], 10 attempts, round-half-even sizes, the
  central-crop fallback, bilinear sampling with genoise's crop geometry), horizontal flip p 0.5, colour
  jitter p 0.8 with brightness and contrast factors in [1 - s, 1 + s] in a random order per image,
  clipped to [0, 1] after each (saturation, hue and grayscale are no-ops on one channel), and for
  BYOL's second view solarize (threshold 0.5, p 0.2);
- the probes (packages/eval, apps/trainer/src/evaluate.ts): weighted kNN (k 200, T 0.1, cosine) and a
  linear probe on standardised features (Adam lr 0.01, batch 256, 100 epochs -- the trainer passes no
  epochs, so linearProbe's default applies -- weights N(0, 0.01), bias 0).

The random numbers are PyTorch's (genoise's keys are not reproduced): runs match in distribution,
not bit for bit.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

TFJS_ADAM_EPS = 1e-7  # tfjs-core's float32 backend epsilon, Adam's default


# ----------------------------------------------------------------------------------------------
# Models


class SameConv(nn.Module):
    """TF/tfjs ``padding: 'same'`` convolution: pads ``total = max((ceil(n/s) - 1) s + k - n, 0)``
    with ``total // 2`` before and the rest after (PyTorch's ``padding=1`` pads 1 / 1 instead)."""

    def __init__(self, cin: int, cout: int, k: int, stride: int, bias: bool):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=0, bias=bias)
        self.k = k
        self.stride = stride

    def _pads(self, n: int) -> tuple[int, int]:
        out = -(-n // self.stride)
        total = max((out - 1) * self.stride + self.k - n, 0)
        return total // 2, total - total // 2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        top, bottom = self._pads(x.shape[2])
        left, right = self._pads(x.shape[3])
        return self.conv(F.pad(x, (left, right, top, bottom)))


class SmallConvNet(nn.Module):
    """``smallConvNet`` with ``downsampling: 'strideOnly'``: per width, conv3x3/2 (same) - BN - ReLU;
    then a global average pool."""

    def __init__(self, widths=(16, 32, 64), in_channels: int = 1, bn_momentum: float = 0.1):
        super().__init__()
        layers: list[nn.Module] = []
        cin = in_channels
        for w in widths:
            layers += [SameConv(cin, w, 3, 2, bias=False), nn.BatchNorm2d(w, eps=1e-5, momentum=bn_momentum), nn.ReLU()]
            cin = w
        self.body = nn.Sequential(*layers)
        self.dim = cin

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x).mean(dim=(2, 3))


def mlp(input_dim: int, hidden: int, output: int, bn_momentum: float = 0.1) -> nn.Sequential:
    """genoise's 2-layer head: Linear(no bias)-BN-ReLU-Linear(with bias)."""
    return nn.Sequential(
        nn.Linear(input_dim, hidden, bias=False),
        nn.BatchNorm1d(hidden, eps=1e-5, momentum=bn_momentum),
        nn.ReLU(),
        nn.Linear(hidden, output, bias=True),
    )


@torch.no_grad()
def init_genoise(model: nn.Module, generator: torch.Generator) -> nn.Module:
    """genoise's ``initializeWeights``: kernels N(0, 2 / fanIn), biases 0, BN gamma 1 / beta 0 /
    running mean 0 / running variance 1. fanIn = kh * kw * cin (conv) or in (dense)."""
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            fan_in = m.weight[0].numel()
            m.weight.copy_(torch.randn(m.weight.shape, generator=generator) * math.sqrt(2.0 / fan_in))
            if m.bias is not None:
                m.bias.zero_()
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.reset_parameters()
    return model


@torch.no_grad()
def init_torch_default(model: nn.Module, generator: torch.Generator) -> nn.Module:
    """PyTorch's own defaults, drawn from ``generator``: kaiming_uniform(a=sqrt(5)) = U(+-1/sqrt(fanIn))
    for kernels, U(+-1/sqrt(fanIn)) for biases."""
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            fan_in = m.weight[0].numel()
            bound = 1.0 / math.sqrt(fan_in)
            m.weight.copy_((torch.rand(m.weight.shape, generator=generator) * 2 - 1) * bound)
            if m.bias is not None:
                m.bias.copy_((torch.rand(m.bias.shape, generator=generator) * 2 - 1) * bound)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.reset_parameters()
    return model


@torch.no_grad()
def init_mixed(model: nn.Module, generator: torch.Generator, conv: str, dense: str) -> nn.Module:
    """Conv layers initialised one way and dense layers another (for isolating the cause)."""
    rules = {'genoise': init_genoise, 'torch': init_torch_default}
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            rules[conv](m, generator)
        elif isinstance(m, nn.Linear):
            rules[dense](m, generator)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.reset_parameters()
    return model


@torch.no_grad()
def init_torch_kernels_zero_bias(model: nn.Module, generator: torch.Generator) -> nn.Module:
    """PyTorch's default kernels U(+-1/sqrt(fanIn)) with genoise's zero biases: the one-rule change to
    genoise's initializeWeights that this parity check recommends."""
    init_torch_default(model, generator)
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)) and m.bias is not None:
            m.bias.zero_()
    return model


def initialise(model: nn.Module, init: str, generator: torch.Generator) -> nn.Module:
    if init == 'torch-kernels':
        return init_torch_kernels_zero_bias(model, generator)
    if init == 'genoise':
        return init_genoise(model, generator)
    if init == 'torch':
        return init_torch_default(model, generator)
    if init.startswith('conv-'):  # e.g. 'conv-torch+dense-genoise'
        conv, dense = init[len('conv-'):].split('+dense-')
        return init_mixed(model, generator, conv, dense)
    raise ValueError(f'unknown init {init!r}')


# ----------------------------------------------------------------------------------------------
# Losses


def l2_normalize(x: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """genoise's l2Normalize: x / sqrt(max(|x|^2, eps^2))."""
    return x * torch.rsqrt(torch.clamp((x * x).sum(-1, keepdim=True), min=eps * eps))


def nt_xent(z1: torch.Tensor, z2: torch.Tensor, temperature: float) -> torch.Tensor:
    """NT-Xent over the 2B views, mean over the 2B anchors, self-pairs masked with -1e9/T."""
    b = z1.shape[0]
    views = torch.cat([l2_normalize(z1), l2_normalize(z2)], 0)
    partners = torch.cat([views[b:], views[:b]], 0)
    logits = views @ views.t() / temperature
    logits = logits - torch.eye(2 * b, dtype=logits.dtype) * 1e9
    positive = (views * partners).sum(1) / temperature
    return (torch.logsumexp(logits, 1) - positive).mean()


def byol_loss(p: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """2 - 2 cos(p, sg(z)), mean over the batch."""
    return (2 - 2 * (l2_normalize(p) * l2_normalize(z.detach())).sum(1)).mean()


# ----------------------------------------------------------------------------------------------
# Schedules


def warmup_cosine(step: int, base: float, warmup: int, total: int, final: float = 0.0) -> float:
    """packages/train/src/schedule/warmup-cosine.ts, step 0-based."""
    if step < warmup:
        return base * (step + 1) / warmup
    span = max(1, total - warmup)
    progress = min(1.0, (step - warmup) / span)
    return final + (base - final) * (1 + math.cos(math.pi * progress)) / 2


def cosine_momentum(step: int, total: int, base: float = 0.99) -> float:
    """packages/models/src/ema/cosine-momentum.ts."""
    return 1 - (1 - base) * (math.cos(math.pi * step / total) + 1) / 2


# ----------------------------------------------------------------------------------------------
# Views


def _round_half_even(x: np.ndarray) -> np.ndarray:
    return np.round(x)  # numpy rounds half to even


def crop_boxes(rng: np.random.Generator, batch: int, h: int, w: int, scale=(0.2, 1.0), ratio=(3 / 4, 4 / 3)):
    """randomResizedCrop.sample: 10 attempts per image, then the central crop (ratio clamped)."""
    attempts = 10
    u = rng.random((batch, attempts, 4))
    area = h * w
    log_r = (math.log(ratio[0]), math.log(ratio[1]))
    target = area * (scale[0] + (scale[1] - scale[0]) * u[..., 0])
    aspect = np.exp(log_r[0] + (log_r[1] - log_r[0]) * u[..., 1])
    cw = _round_half_even(np.sqrt(target * aspect))
    ch = _round_half_even(np.sqrt(target / aspect))
    ok = (cw > 0) & (cw <= w) & (ch > 0) & (ch <= h)
    top = np.zeros(batch, np.int64)
    left = np.zeros(batch, np.int64)
    hh = np.full(batch, h, np.int64)
    ww = np.full(batch, w, np.int64)
    for b in range(batch):
        idx = np.flatnonzero(ok[b])
        if idx.size:
            a = idx[0]
            hh[b], ww[b] = int(ch[b, a]), int(cw[b, a])
            top[b] = math.floor(u[b, a, 2] * (h - hh[b] + 1))
            left[b] = math.floor(u[b, a, 3] * (w - ww[b] + 1))
        else:  # square images: the central full crop
            top[b], left[b], hh[b], ww[b] = 0, 0, h, w
    return top, left, hh, ww


def _axis_positions(first: np.ndarray, length: np.ndarray, size: int, samples: int) -> np.ndarray:
    """augment/src/internal/boxes.ts axisBox, expanded to the sample positions cropAndResize reads:
    pixel centres spread from `start` to `end` inclusive."""
    ratio = length / samples
    start = np.where(ratio >= 1, first + 0.5 * ratio - 0.5, first).astype(np.float64)
    end = np.where(ratio >= 1, start + (samples - 1) * ratio, first + length - 1).astype(np.float64)
    limit = (size - 1) * (1 - 2.0 ** -20)
    start = np.minimum(start, limit)
    end = np.minimum(end, limit)
    t = np.arange(samples) / (samples - 1)
    return start[:, None] + (end - start)[:, None] * t[None, :]  # [B, samples], in pixels


def random_resized_crop(images: torch.Tensor, rng: np.random.Generator, scale=(0.2, 1.0)) -> torch.Tensor:
    """[B, C, H, W] -> [B, C, H, W]: genoise's crop boxes, bilinear sampling at genoise's positions."""
    b, _, h, w = images.shape
    top, left, hh, ww = crop_boxes(rng, b, h, w, scale)
    ys = _axis_positions(top, hh, h, h)  # [B, H]
    xs = _axis_positions(left, ww, w, w)  # [B, W]
    gy = torch.from_numpy(2 * ys / (h - 1) - 1).float()
    gx = torch.from_numpy(2 * xs / (w - 1) - 1).float()
    grid = torch.stack(torch.broadcast_tensors(gx[:, None, :], gy[:, :, None]), dim=-1)  # [B, H, W, 2]
    return F.grid_sample(images, grid, mode='bilinear', padding_mode='border', align_corners=True)


def color_jitter_gray(x: torch.Tensor, rng: np.random.Generator, brightness: float, contrast: float, p: float):
    """colorJitter on 1-channel images: brightness x f, contrast f x + (1 - f) mean(x), each clipped to
    [0, 1], in a random order per image; applied with probability p."""
    b = x.shape[0]
    applied = torch.from_numpy(rng.random(b) < p)
    fb = torch.from_numpy(rng.uniform(max(0.0, 1 - brightness), 1 + brightness, b)).float().view(b, 1, 1, 1)
    fc = torch.from_numpy(rng.uniform(max(0.0, 1 - contrast), 1 + contrast, b)).float().view(b, 1, 1, 1)
    brightness_first = torch.from_numpy(rng.random(b) < 0.5).view(b, 1, 1, 1)

    def bright(y):
        return (y * fb).clamp(0, 1)

    def contr(y):
        mean = y.mean(dim=(1, 2, 3), keepdim=True)
        return (fc * y + (1 - fc) * mean).clamp(0, 1)

    y = torch.where(brightness_first, contr(bright(x)), bright(contr(x)))
    return torch.where(applied.view(b, 1, 1, 1), y, x)


def hflip(x: torch.Tensor, rng: np.random.Generator, p: float = 0.5) -> torch.Tensor:
    flip = torch.from_numpy(rng.random(x.shape[0]) < p).view(-1, 1, 1, 1)
    return torch.where(flip, x.flip(3), x)


def solarize(x: torch.Tensor, rng: np.random.Generator, threshold: float, p: float) -> torch.Tensor:
    applied = torch.from_numpy(rng.random(x.shape[0]) < p).view(-1, 1, 1, 1)
    return torch.where(applied & (x >= threshold), 1 - x, x)


def simclr_view(x: torch.Tensor, rng: np.random.Generator, scale=(0.2, 1.0)) -> torch.Tensor:
    """simclrViews({ preset: 'small' }) (strength 0.5: brightness / contrast 0.4) on 1 channel."""
    y = hflip(random_resized_crop(x, rng, scale), rng)
    return color_jitter_gray(y, rng, 0.4, 0.4, 0.8)


def byol_view(x: torch.Tensor, rng: np.random.Generator, second: bool, scale=(0.2, 1.0)) -> torch.Tensor:
    """byolViews({ preset: 'small' }): jitter 0.4 / 0.4 p 0.8; the second view solarizes with p 0.2."""
    y = color_jitter_gray(hflip(random_resized_crop(x, rng, scale), rng), rng, 0.4, 0.4, 0.8)
    return solarize(y, rng, 0.5, 0.2) if second else y


# ----------------------------------------------------------------------------------------------
# Data


def load_split(folder: str, name: str, split: str) -> tuple[torch.Tensor, torch.Tensor]:
    """The split written by dump-data.mjs: images [N, 1, 28, 28] float32 in [0, 1], labels [N] int64."""
    images = np.fromfile(os.path.join(folder, f'{name}-{split}-images.u8'), dtype=np.uint8)
    labels = np.fromfile(os.path.join(folder, f'{name}-{split}-labels.u8'), dtype=np.uint8)
    x = torch.from_numpy(images.reshape(-1, 1, 28, 28).astype(np.float32) / 255.0)
    return x, torch.from_numpy(labels.astype(np.int64))


# ----------------------------------------------------------------------------------------------
# Probes


@torch.no_grad()
def features(encoder: nn.Module, images: torch.Tensor, batch: int = 500) -> torch.Tensor:
    encoder.eval()
    out = torch.cat([encoder(images[i : i + batch]) for i in range(0, images.shape[0], batch)], 0)
    return out


@torch.no_grad()
def weighted_knn(train_f, train_y, test_f, test_y, num_classes=10, k=200, temperature=0.1, chunk=256) -> float:
    def norm(x):
        return x / x.norm(dim=1, keepdim=True).clamp(min=1e-12)

    bank = norm(train_f).t()
    hits = 0
    k = min(k, train_f.shape[0])
    for s in range(0, test_f.shape[0], chunk):
        sim = norm(test_f[s : s + chunk]) @ bank
        values, indices = sim.topk(k, dim=1)
        votes = F.one_hot(train_y[indices], num_classes).float()
        scores = (votes * (values / temperature).exp().unsqueeze(2)).sum(1)
        hits += (scores.argmax(1) == test_y[s : s + chunk]).sum().item()
    return hits / test_f.shape[0]


def linear_probe(train_f, train_y, test_f, test_y, num_classes=10, epochs=100, batch=256, lr=0.01, seed=0) -> float:
    mean = train_f.mean(0)
    std = train_f.std(0, unbiased=False)
    std = torch.where(std > 1e-12, std, torch.ones_like(std))
    xtr = (train_f - mean) / std
    xte = (test_f - mean) / std
    g = torch.Generator().manual_seed(seed)
    w = (torch.randn(xtr.shape[1], num_classes, generator=g) * 0.01).requires_grad_()
    b = torch.zeros(num_classes, requires_grad=True)
    opt = torch.optim.Adam([w, b], lr=lr, eps=TFJS_ADAM_EPS)
    n = xtr.shape[0]
    for _ in range(epochs):
        order = torch.randperm(n, generator=g)
        for s in range(0, n, batch):
            idx = order[s : s + batch]
            loss = F.cross_entropy(xtr[idx] @ w + b, train_y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    with torch.no_grad():
        return ((xte @ w + b).argmax(1) == test_y).float().mean().item()


def probe_all(encoder: nn.Module | None, train_x, train_y, test_x, test_y, epochs=100) -> dict:
    if encoder is None:
        tr, te = train_x.flatten(1), test_x.flatten(1)
    else:
        tr, te = features(encoder, train_x), features(encoder, test_x)
    return {
        'knnTop1': weighted_knn(tr, train_y, te, test_y),
        'linearTop1': linear_probe(tr, train_y, te, test_y, epochs=epochs),
        'featureDim': tr.shape[1],
    }


# ----------------------------------------------------------------------------------------------
# The default job


@dataclass
class JobConfig:
    method: str = 'simclr'  # 'simclr' | 'byol'
    steps: int = 1200
    batch: int = 256
    lr: float = 3e-3  # genoise: 3e-3 SimCLR, 2e-3 BYOL
    warmup_fraction: float = 0.05
    temperature: float = 0.2
    widths: tuple = (16, 32, 64)
    hidden: int = 256
    out: int = 64
    byol_base_momentum: float = 0.99
    init: str = 'torch'
    seed: int = 0
    bn_momentum: float = 0.1  # PyTorch convention (genoise's 0.9)
    ema_buffers: bool = True  # genoise's emaUpdate also averages the BN moving statistics
    target_train_mode: bool = True  # genoise runs the target network with training-mode BN
    adam_eps: float = TFJS_ADAM_EPS
    extra: dict = field(default_factory=dict)


def build(config: JobConfig):
    g = torch.Generator().manual_seed(config.seed)
    encoder = initialise(SmallConvNet(config.widths, 1, config.bn_momentum), config.init, g)
    projector = initialise(mlp(encoder.dim, config.hidden, config.out, config.bn_momentum), config.init, g)
    predictor = None
    if config.method == 'byol':
        predictor = initialise(mlp(config.out, config.hidden, config.out, config.bn_momentum), config.init, g)
    return encoder, projector, predictor
