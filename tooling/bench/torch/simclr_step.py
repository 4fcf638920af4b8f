"""The default SimCLR training step in PyTorch, for `pnpm bench`'s ratio against tfjs.

Same step as genoise's default job (packages/train defaults): smallConvNet 16-32-64 'strideOnly'
(conv3x3/2 same - BN - ReLU per stage, global average pool), projection head 64-256(BN, ReLU)-64,
NT-Xent T 0.2 over 2 x 256 views of 28x28x1, Adam; forward, backward and the Adam update, timed
without the augmentation (the views are fixed tensors, as in the tfjs bench). The model code is
tooling/parity/genoise_torch.py.

    python3 tooling/bench/torch/simclr_step.py --threads 2 --warmup 3 --steps 20

Prints one line `RESULT {json}`: ms per step (median), the steps' times, the losses and the peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'parity'))

import torch  # noqa: E402

import genoise_torch as gt  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--warmup', type=int, default=3)
    ap.add_argument('--steps', type=int, default=20)
    ap.add_argument('--batch', type=int, default=256)
    ap.add_argument('--method', default='simclr', choices=['simclr'])
    ap.add_argument('--profile', action='store_true', help='one more step under torch.profiler: top ops by self CPU time')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    config = gt.JobConfig(method='simclr', batch=args.batch, init='genoise')
    encoder, projector, _ = gt.build(config)
    encoder.train()
    projector.train()
    params = list(encoder.parameters()) + list(projector.parameters())
    opt = torch.optim.Adam(params, lr=config.lr, eps=config.adam_eps)
    g = torch.Generator().manual_seed(1)
    base = torch.rand(args.batch, 1, 28, 28, generator=g)
    views = (torch.cat([base, base], 0) + 0.1 * torch.randn(2 * args.batch, 1, 28, 28, generator=g)).clamp(0, 1)
    b = args.batch
    times, losses = [], []
    for i in range(args.warmup + args.steps):
        start = time.perf_counter()
        z = projector(encoder(views))
        loss = gt.nt_xent(z[:b], z[b:], config.temperature)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        value = loss.item()
        elapsed = 1000 * (time.perf_counter() - start)
        if i >= args.warmup:
            times.append(elapsed)
        losses.append(value)
    profile = None
    if args.profile:
        from torch.profiler import ProfilerActivity
        from torch.profiler import profile as torch_profile

        with torch_profile(activities=[ProfilerActivity.CPU]) as prof:
            z = projector(encoder(views))
            loss = gt.nt_xent(z[:b], z[b:], config.temperature)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        ops = sorted(prof.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True)
        profile = [{'name': e.key, 'ms': e.self_cpu_time_total / 1000, 'calls': e.count} for e in ops[:15]]
    ordered = sorted(times)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    result = {
        'backend': 'pytorch',
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'batch': args.batch,
        'warmupSteps': args.warmup,
        'timedSteps': args.steps,
        'msPerStep': median,
        'stepsMs': times,
        'losses': losses,
        'peakRssBytes': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    if profile is not None:
        result['profile'] = profile
    print('RESULT ' + json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
