"""Trains the PyTorch copy of genoise's default job and probes it like the trainer does.

    node tooling/parity/dump-data.mjs            # once: the exact split genoise loads
    /usr/bin/python3 tooling/parity/run_parity.py --method simclr            # 1,200 steps
    /usr/bin/python3 tooling/parity/run_parity.py --method byol              # 800 steps, lr 2e-3
    /usr/bin/python3 tooling/parity/run_parity.py --random-only --init genoise --seeds 0,1,2

Prints one JSON line per run (and appends it to bench-results/parity/runs.jsonl): the config, the
seconds, the losses every 100 steps and the probe table (pretrained, random init, raw pixels).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import time
from dataclasses import asdict

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genoise_torch as gt  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def train(config: gt.JobConfig, train_x: torch.Tensor, log) -> tuple[torch.nn.Module, list, float]:
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed + 1000)
    encoder, projector, predictor = gt.build(config)
    online = [encoder, projector] + ([predictor] if predictor is not None else [])
    params = [p for m in online for p in m.parameters()]
    opt = torch.optim.Adam(params, lr=config.lr, eps=config.adam_eps)
    target_encoder = target_projector = None
    if config.method == 'byol':
        target_encoder, target_projector = copy.deepcopy(encoder), copy.deepcopy(projector)
        for p in list(target_encoder.parameters()) + list(target_projector.parameters()):
            p.requires_grad_(False)
    warmup = round(config.warmup_fraction * config.steps)
    n = train_x.shape[0]
    per_epoch = n // config.batch
    losses = []
    started = time.perf_counter()
    order = None
    for step in range(config.steps):
        if step % per_epoch == 0:
            order = torch.from_numpy(rng.permutation(n))
        idx = order[(step % per_epoch) * config.batch : (step % per_epoch + 1) * config.batch]
        images = train_x[idx]
        lr = gt.warmup_cosine(step, config.lr, warmup, config.steps)
        for group in opt.param_groups:
            group['lr'] = lr
        for m in online:
            m.train()
        b = images.shape[0]
        if config.method == 'simclr':
            v1, v2 = gt.simclr_view(images, rng), gt.simclr_view(images, rng)
            z = projector(encoder(torch.cat([v1, v2], 0)))
            loss = gt.nt_xent(z[:b], z[b:], config.temperature)
        else:
            v1, v2 = gt.byol_view(images, rng, False), gt.byol_view(images, rng, True)
            both = torch.cat([v1, v2], 0)
            p = predictor(projector(encoder(both)))
            target_encoder.train(config.target_train_mode)
            target_projector.train(config.target_train_mode)
            with torch.no_grad():
                t = target_projector(target_encoder(both))
            loss = gt.byol_loss(p[:b], t[b:]) + gt.byol_loss(p[b:], t[:b])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if config.method == 'byol':
            m = gt.cosine_momentum(step, config.steps, config.byol_base_momentum)
            with torch.no_grad():
                for tm, om in ((target_encoder, encoder), (target_projector, projector)):
                    for tp, op in zip(tm.parameters(), om.parameters()):
                        tp.mul_(m).add_(op, alpha=1 - m)
                    if config.ema_buffers:
                        for (name, tb), (_, ob) in zip(tm.named_buffers(), om.named_buffers()):
                            if tb.dtype.is_floating_point:
                                tb.mul_(m).add_(ob, alpha=1 - m)
        value = loss.item()
        if not np.isfinite(value):
            raise RuntimeError(f'loss became {value} at step {step + 1}')
        losses.append(value)
        if (step + 1) % 100 == 0 or step == 0:
            log(f'step {step + 1}/{config.steps} loss {value:.4f} lr {lr:.2e} {time.perf_counter() - started:.0f} s')
    return encoder, losses, time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--method', default='simclr', choices=['simclr', 'byol'])
    ap.add_argument('--steps', type=int)
    ap.add_argument('--lr', type=float)
    ap.add_argument('--init', default='torch', help="'torch', 'genoise' or 'conv-X+dense-Y'")
    ap.add_argument('--seeds', default='0')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--data', default='fashion-mnist')
    ap.add_argument('--data-dir', default=os.path.join(ROOT, 'bench-results', 'parity-data'))
    ap.add_argument('--eval-train-limit', type=int, default=10_000)
    ap.add_argument('--probe-epochs', type=int, default=100)
    ap.add_argument('--random-only', action='store_true', help='probe the random-init encoder only')
    ap.add_argument('--no-baselines', action='store_true', help='skip the random-init and raw-pixel rows')
    ap.add_argument('--baselines-only', action='store_true', help='random init and raw pixels, no training')
    ap.add_argument('--no-ema-buffers', action='store_true')
    ap.add_argument('--target-eval-mode', action='store_true')
    ap.add_argument('--tag', default='')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    train_x, train_y = gt.load_split(args.data_dir, args.data, 'train')
    test_x, test_y = gt.load_split(args.data_dir, args.data, 'test')
    bank_x, bank_y = train_x[: args.eval_train_limit], train_y[: args.eval_train_limit]
    out_dir = os.path.join(ROOT, 'bench-results', 'parity')
    os.makedirs(out_dir, exist_ok=True)
    raw = None
    for seed in [int(s) for s in args.seeds.split(',')]:
        config = gt.JobConfig(
            method=args.method,
            steps=args.steps or (1200 if args.method == 'simclr' else 800),
            lr=args.lr or (3e-3 if args.method == 'simclr' else 2e-3),
            init=args.init,
            seed=seed,
            ema_buffers=not args.no_ema_buffers,
            target_train_mode=not args.target_eval_mode,
        )
        rows = {}
        started = time.perf_counter()
        if not args.no_baselines or args.random_only:
            initial, _, _ = gt.build(config)
            rows['random init'] = gt.probe_all(initial, bank_x, bank_y, test_x, test_y, args.probe_epochs)
        if not args.no_baselines and not args.random_only:
            if raw is None:
                raw = gt.probe_all(None, bank_x, bank_y, test_x, test_y, args.probe_epochs)
            rows['raw pixels'] = raw
        result = {'tag': args.tag, 'data': args.data, 'threads': args.threads, 'torch': torch.__version__}
        if not args.random_only and not args.baselines_only:
            encoder, losses, seconds = train(config, train_x, lambda s: print(s, file=sys.stderr, flush=True))
            rows = {'pretrained': gt.probe_all(encoder, bank_x, bank_y, test_x, test_y, args.probe_epochs), **rows}
            result.update({'trainSeconds': seconds, 'msPerStep': 1000 * seconds / config.steps,
                           'losses': losses[::100] + [losses[-1]]})
        result.update({'config': asdict(config), 'rows': rows, 'seconds': time.perf_counter() - started})
        line = json.dumps(result)
        print(line, flush=True)
        with open(os.path.join(out_dir, 'runs.jsonl'), 'a') as f:
            f.write(line + '\n')


if __name__ == '__main__':
    main()
