#!/usr/bin/env python3
"""RealNVP training-step throughput on CPU (Debian python3-torch 1.13.1, OpenBLAS + oneDNN).

The reference for `bin/macronet bench flows`: adapted from shared/bench/realnvp_bench.py with the
same networks, data and timing; the RESULT line also names the OpenBLAS kernels in use (blas_core),
since OPENBLAS_CORETYPE changes the matrix products' speed for both sides. Run through run.sh.

Networks (affine couplings, halves alternate each layer, subnet outputs [log-scale | shift];
log-scale passed through tanh for stability; standard-normal base; NLL loss):
  N1: D=4,  8 couplings, subnet 2 -> 64 -> 64 -> 4   (ReLU), batch 256
  N2: D=16, 8 couplings, subnet 8 -> 128 -> 128 -> 16 (ReLU), batch 256
One training step = forward (x -> z, log-det), loss, backward, Adam step (lr 1e-3).
Usage: OPENBLAS_NUM_THREADS=n /usr/bin/python3 realnvp_bench.py THREADS [STEPS] [WARMUP]
  THREADS -> torch.set_num_threads (intra-op OpenMP pool). Debian torch calls OpenBLAS for
  Linear layers, and OpenBLAS (pthreads build) has its OWN pool sized by OPENBLAS_NUM_THREADS
  (default = number of CPUs), so "2 threads" has several possible meanings: run.sh sets
  OPENBLAS_NUM_THREADS=1 for both sides, so THREADS is the only parallelism.
Prints per-network median step time, samples/s (batch / median), mean-based samples/s,
and util (process CPU time / wall over the timed steps).
"""
import ctypes
import math
import sys
import time

import torch
import torch.nn as nn


class Coupling(nn.Module):
    def __init__(self, d, hidden, flip):
        super().__init__()
        self.d1 = d // 2
        self.flip = flip
        self.net = nn.Sequential(nn.Linear(self.d1, hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, 2 * (d - self.d1)))

    def forward(self, x):
        if self.flip:
            x = x.flip(1)
        x1, x2 = x[:, :self.d1], x[:, self.d1:]
        h = self.net(x1)
        s, t = h.chunk(2, dim=1)
        s = torch.tanh(s)
        y2 = x2 * torch.exp(s) + t
        y = torch.cat([x1, y2], dim=1)
        if self.flip:
            y = y.flip(1)
        return y, s.sum(1)


class RealNVP(nn.Module):
    def __init__(self, d, hidden, n_layers=8):
        super().__init__()
        self.layers = nn.ModuleList([Coupling(d, hidden, flip=(i % 2 == 1)) for i in range(n_layers)])
        self.d = d

    def forward(self, x):
        logdet = torch.zeros(x.shape[0])
        for layer in self.layers:
            x, ld = layer(x)
            logdet = logdet + ld
        return x, logdet

    def nll(self, x):
        z, logdet = self(x)
        logp = -0.5 * (z * z).sum(1) - 0.5 * self.d * math.log(2 * math.pi)
        return -(logp + logdet).mean()


def bench(d, hidden, batch, steps, warmup):
    torch.manual_seed(0)
    model = RealNVP(d, hidden)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    # fixed pool of synthetic data (correlated Gaussian), a new batch each step
    pool = torch.randn(64, batch, d) @ (torch.eye(d) + 0.3 * torch.randn(d, d))
    nparam = sum(p.numel() for p in model.parameters())

    def step(i):
        x = pool[i % 64]
        opt.zero_grad(set_to_none=True)
        loss = model.nll(x)
        loss.backward()
        opt.step()
        return loss

    for i in range(warmup):
        step(i)
    times = []
    c0, w0 = time.process_time(), time.perf_counter()
    for i in range(steps):
        t0 = time.perf_counter()
        loss = step(i)
        times.append(time.perf_counter() - t0)
    wall = time.perf_counter() - w0
    util = (time.process_time() - c0) / wall
    times.sort()
    med = times[len(times) // 2]
    # matmul flops per training step: forward 2*MACs, backward ~2x forward (grad wrt input and weights)
    d1 = d // 2
    macs = 8 * (d1 * hidden + hidden * hidden + hidden * 2 * (d - d1))
    flops = 3 * 2 * macs * batch
    return dict(params=nparam, median_ms=med * 1e3, gflops=flops / med / 1e9, p10_ms=times[len(times) // 10] * 1e3,
                p90_ms=times[9 * len(times) // 10] * 1e3, sps_median=batch / med,
                sps_mean=batch * steps / wall, util=util, loss=float(loss))


def openblas_core():
    """The kernel family OpenBLAS chose (or was told by OPENBLAS_CORETYPE), or '?'."""
    try:
        f = ctypes.CDLL("libblas.so.3").openblas_get_corename
        f.restype = ctypes.c_char_p
        return f().decode()
    except (OSError, AttributeError):
        return "?"


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    torch.set_num_threads(threads)
    for name, d, h in (("N1", 4, 64), ("N2", 16, 128)):
        r = bench(d, h, 256, steps, warmup)
        print(f"RESULT realnvp net={name} D={d} hidden={h} batch=256 threads={threads} params={r['params']} "
              f"median_ms={r['median_ms']:.3f} p10_ms={r['p10_ms']:.3f} p90_ms={r['p90_ms']:.3f} "
              f"samples_per_s_median={r['sps_median']:.0f} samples_per_s_mean={r['sps_mean']:.0f} "
              f"matmul_GFLOPs={r['gflops']:.1f} util={r['util']:.2f} final_loss={r['loss']:.3f} torch={torch.__version__} "
              f"blas_core={openblas_core()}", flush=True)


if __name__ == "__main__":
    main()
