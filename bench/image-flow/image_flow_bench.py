#!/usr/bin/env python3
"""Image-flow forward + backward throughput on CPU (Debian python3-torch 1.13.1), one thread.

The reference for `bin/macronet bench image-flow` (training/.../bench/ImageFlowBenchmark.java):
the same architecture as ImageFlow.build, block for block, so the parameter count must equal the
Java side's params= (checked by the test in main against the figure computed from the shapes).

Architecture (rows 2 x 64 x 64, channel-major; batch 32 by default). For each of `scales` scales:
  Haar squeeze C x H x W -> 4C x H/2 x W/2, orthonormal: each 2 x 2 block (a b / c d) of channel j
  gives (a+b+c+d)/2, (a-b+c-d)/2, (a+b-c-d)/2, (a-b-c+d)/2 in channels j, C+j, 2C+j, 3C+j;
  then `steps` x [channel ActNorm, invertible 1 x 1 conv (plain C x C weight, log|det| by slogdet),
  affine coupling: x1 = the first half of the channels, subnet conv 3x3 (circular padding) -> ReLU
  -> conv 1x1 -> ReLU -> conv 3x3 (circular) to 2 c2 channels (s_raw, then t),
  s = clamp tanh(s_raw / clamp), y2 = x2 exp(s) + t, log-det += sum s];
  between scales the multi-scale split sends the first half of the channels on and factors out the
  rest. After the last scale, `head` dense couplings on the flattened latent: [ActNorm per value,
  affine coupling with an MLP d1 -> head_hidden -> 2 d2 (ReLU)], a fixed random permutation between
  consecutive ones.
  I1: scales 4, steps 4, hidden 32, 64, 64, 64, head 2 x 256;  I2: scales 4, steps 2,
  hidden 16, 32, 32, 32, head 2 x 128; clamp 2, last subnet layers initialised x 0.05.
One timed step = forward (x -> z, log-det), NLL = mean(0.5 |z|^2 - logdet), backward into the
parameters' gradients; no optimiser step (the Java benchmark takes none). Median over STEPS after
WARMUP, one fixed batch of smooth random fields (4 periodic Fourier modes per channel + 5% noise).

Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 image_flow_bench.py [STEPS [WARMUP [BATCH]]] [--no-mkldnn]
  defaults 20 5 32. PyTorch runs its convolutions through oneDNN (mkldnn) at this batch size;
  --no-mkldnn makes it use its native im2col + GEMM path (OpenBLAS), the algorithm of macronet's
  ConvNet. The RESULT line names the convolution kernel that ran (conv=), the OpenBLAS kernels
  (blas_core=) and whether oneDNN is enabled (mkldnn=).
"""
import ctypes
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CLAMP = 2.0
LAST_LAYER_SCALE = 0.05


def init_linear_like_macronet(layers):
    """Uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) weights, zero biases, the last layer x 0.05 (as Mlp and ConvNet)."""
    with torch.no_grad():
        for i, m in enumerate(layers):
            fan_in = m.weight[0].numel()
            bound = 1.0 / math.sqrt(fan_in) * (LAST_LAYER_SCALE if i == len(layers) - 1 else 1.0)
            m.weight.uniform_(-bound, bound)
            m.bias.zero_()


def haar_squeeze(x):
    n, c, h, w = x.shape
    x = x.reshape(n, c, h // 2, 2, w // 2, 2)
    a, b = x[:, :, :, 0, :, 0], x[:, :, :, 0, :, 1]
    cc, d = x[:, :, :, 1, :, 0], x[:, :, :, 1, :, 1]
    return 0.5 * torch.cat([a + b + cc + d, a - b + cc - d, a + b - cc - d, a - b - cc + d], dim=1)


class ChannelActNorm(nn.Module):
    """y = x exp(log_scale[c]) + bias[c]; log-det H W sum(log_scale); fitted to the first batch."""

    def __init__(self, c):
        super().__init__()
        self.log_scale = nn.Parameter(torch.zeros(c))
        self.bias = nn.Parameter(torch.zeros(c))
        self.fitted = False

    def forward(self, x):
        if not self.fitted:
            with torch.no_grad():
                mean = x.mean(dim=(0, 2, 3))
                var = (x * x).mean(dim=(0, 2, 3)) - mean * mean
                self.log_scale.copy_(-0.5 * torch.log(var.clamp_min(0) + 1e-6))
                self.bias.copy_(-mean * self.log_scale.exp())
            self.fitted = True
        y = x * self.log_scale.exp().view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)
        return y, x.shape[2] * x.shape[3] * self.log_scale.sum()


class ChannelMixing(nn.Module):
    """Invertible 1 x 1 conv (Glow) with a plain C x C weight, starting as a random rotation."""

    def __init__(self, c):
        super().__init__()
        q, _ = torch.linalg.qr(torch.randn(c, c, dtype=torch.float64))
        self.weight = nn.Parameter(q.float())

    def forward(self, x):
        c = self.weight.shape[0]
        y = F.conv2d(x, self.weight.view(c, c, 1, 1))
        return y, x.shape[2] * x.shape[3] * torch.linalg.slogdet(self.weight)[1]


class ConvCoupling(nn.Module):
    def __init__(self, c, hidden):
        super().__init__()
        self.c1 = c // 2
        self.c2 = c - self.c1
        self.net = nn.Sequential(
            nn.Conv2d(self.c1, hidden, 3, padding=1, padding_mode="circular"), nn.ReLU(),
            nn.Conv2d(hidden, hidden, 1), nn.ReLU(),
            nn.Conv2d(hidden, 2 * self.c2, 3, padding=1, padding_mode="circular"))
        init_linear_like_macronet([self.net[0], self.net[2], self.net[4]])

    def forward(self, x):
        x1, x2 = x[:, :self.c1], x[:, self.c1:]
        h = self.net(x1)
        s = CLAMP * torch.tanh(h[:, :self.c2] / CLAMP)
        y2 = x2 * torch.exp(s) + h[:, self.c2:]
        return torch.cat([x1, y2], dim=1), s.sum(dim=(1, 2, 3))


class ActNorm(nn.Module):
    """Per-value ActNorm on flat rows, fitted to the first batch."""

    def __init__(self, d):
        super().__init__()
        self.log_scale = nn.Parameter(torch.zeros(d))
        self.bias = nn.Parameter(torch.zeros(d))
        self.fitted = False

    def forward(self, x):
        if not self.fitted:
            with torch.no_grad():
                mean = x.mean(dim=0)
                var = (x * x).mean(dim=0) - mean * mean
                self.log_scale.copy_(-0.5 * torch.log(var.clamp_min(0) + 1e-6))
                self.bias.copy_(-mean * self.log_scale.exp())
            self.fitted = True
        return x * self.log_scale.exp() + self.bias, self.log_scale.sum()


class DenseCoupling(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.d1 = d // 2
        self.d2 = d - self.d1
        self.net = nn.Sequential(nn.Linear(self.d1, hidden), nn.ReLU(), nn.Linear(hidden, 2 * self.d2))
        init_linear_like_macronet([self.net[0], self.net[2]])

    def forward(self, x):
        x1, x2 = x[:, :self.d1], x[:, self.d1:]
        h = self.net(x1)
        s = CLAMP * torch.tanh(h[:, :self.d2] / CLAMP)
        y2 = x2 * torch.exp(s) + h[:, self.d2:]
        return torch.cat([x1, y2], dim=1), s.sum(dim=1)


class ImageFlow(nn.Module):
    def __init__(self, channels, size, scales, steps, hidden, head, head_hidden, seed=1):
        super().__init__()
        self.scales = nn.ModuleList()
        c = channels
        for s in range(scales):
            c *= 4
            size //= 2
            self.scales.append(nn.ModuleList(
                nn.ModuleList([ChannelActNorm(c), ChannelMixing(c), ConvCoupling(c, hidden[s])]) for _ in range(steps)))
            if s < scales - 1:
                c //= 2
        d = c * size * size
        gen = torch.Generator().manual_seed(seed)
        self.head = nn.ModuleList(nn.ModuleList([ActNorm(d), DenseCoupling(d, head_hidden)]) for _ in range(head))
        for k in range(head - 1):
            self.register_buffer(f"perm{k}", torch.randperm(d, generator=gen))

    def forward(self, x):
        """z as a list of parts (factored out at each split, then the head latent) and the log-det per row."""
        logdet = torch.zeros(x.shape[0])
        parts = []
        for s, steps in enumerate(self.scales):
            x = haar_squeeze(x)
            for block in steps:
                for layer in block:
                    x, ld = layer(x)
                    logdet = logdet + ld
            if s < len(self.scales) - 1:
                half = x.shape[1] // 2
                parts.append(x[:, half:])
                x = x[:, :half]
        x = x.reshape(x.shape[0], -1)
        for k, (actnorm, coupling) in enumerate(self.head):
            x, ld = actnorm(x)
            logdet = logdet + ld
            x, ld = coupling(x)
            logdet = logdet + ld
            if k < len(self.head) - 1:
                x = x[:, getattr(self, f"perm{k}")]
        parts.append(x)
        return parts, logdet

    def nll(self, x):
        parts, logdet = self(x)
        sq = sum((p * p).reshape(p.shape[0], -1).sum(dim=1) for p in parts)
        return (0.5 * sq - logdet).mean()


def smooth_fields(n, channels, h, w, gen):
    """4 random periodic Fourier modes per channel (amplitude 0.5, wave numbers 1..8) plus 5% noise."""
    yy = torch.arange(h, dtype=torch.float64).view(h, 1) / h
    xx = torch.arange(w, dtype=torch.float64).view(1, w) / w
    x = torch.zeros(n, channels, h, w, dtype=torch.float64)
    for i in range(n):
        for c in range(channels):
            for _ in range(4):
                ky, kx = torch.randint(1, 9, (2,), generator=gen).tolist()
                phase = 2 * math.pi * torch.rand(1, generator=gen, dtype=torch.float64).item()
                x[i, c] += 0.5 * torch.cos(2 * math.pi * (ky * yy + kx * xx) + phase)
            x[i, c] += 0.05 * torch.randn(h, w, generator=gen, dtype=torch.float64)
    return x.float()


def expected_params(channels, scales, steps, hidden, head, head_hidden, size):
    """The parameter count from the shapes alone, as ImageFlow.build lays them out."""
    total, c = 0, channels
    for s in range(scales):
        c *= 4
        size //= 2
        c1, c2, h = c // 2, c - c // 2, hidden[s]
        conv = (c1 * 9 * h + h) + (h * h + h) + (h * 9 * 2 * c2 + 2 * c2)
        total += steps * (2 * c + c * c + conv)
        if s < scales - 1:
            c //= 2
    d = c * size * size
    d1, d2 = d // 2, d - d // 2
    total += head * (2 * d + (d1 * head_hidden + head_hidden) + (head_hidden * 2 * d2 + 2 * d2))
    return total


def conv_kernel(model, x):
    """The name of the convolution op PyTorch dispatches to here (oneDNN or its native im2col path)."""
    with torch.no_grad(), torch.autograd.profiler.profile() as prof:
        model(x)
    names = {e.name.replace("aten::", "") for e in prof.function_events}
    found = [n for n in ("mkldnn_convolution", "_slow_conv2d_forward", "thnn_conv2d") if n in names]
    return "+".join(found) if found else "?"


def openblas_core():
    """The kernel family OpenBLAS chose (or was told by OPENBLAS_CORETYPE), or '?'."""
    try:
        f = ctypes.CDLL("libblas.so.3").openblas_get_corename
        f.restype = ctypes.c_char_p
        return f().decode()
    except (OSError, AttributeError):
        return "?"


def bench(name, scales, steps_per_scale, hidden, head, head_hidden, batch, steps, warmup):
    torch.manual_seed(0)
    model = ImageFlow(2, 64, scales, steps_per_scale, hidden, head, head_hidden)
    nparam = sum(p.numel() for p in model.parameters())
    want = expected_params(2, scales, steps_per_scale, hidden, head, head_hidden, 64)
    if nparam != want:
        raise SystemExit(f"{name}: {nparam} parameters, the architecture has {want}")
    x = smooth_fields(batch, 2, 64, 64, torch.Generator().manual_seed(1))
    with torch.no_grad():
        model(x)  # fits the ActNorms to the batch, as Flow.initialiseFromData does
    conv = conv_kernel(model, x)

    def step():
        model.zero_grad(set_to_none=True)
        loss = model.nll(x)
        loss.backward()
        return loss

    for _ in range(warmup):
        step()
    times = []
    c0, w0 = time.process_time(), time.perf_counter()
    for _ in range(steps):
        t0 = time.perf_counter()
        loss = step()
        times.append(time.perf_counter() - t0)
    util = (time.process_time() - c0) / (time.perf_counter() - w0)
    times.sort()
    med = times[steps // 2]
    return (f"RESULT torch-image-flow net={name} shape=2x64x64 scales={scales} steps={steps_per_scale} "
            f"hidden=[{','.join(map(str, hidden))}] head={head}x[{head_hidden}] batch={batch} params={nparam} "
            f"median_ms={med * 1e3:.2f} p10_ms={times[steps // 10] * 1e3:.2f} "
            f"p90_ms={times[(9 * steps) // 10] * 1e3:.2f} samples_per_s_median={batch / med:.1f} util={util:.2f} "
            f"loss={float(loss):.4f} threads={torch.get_num_threads()} torch={torch.__version__} "
            f"mkldnn={int(torch.backends.mkldnn.enabled and torch.backends.mkldnn.is_available())} conv={conv} "
            f"blas_core={openblas_core()}")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    flags = [a for a in sys.argv[1:] if a.startswith("--")]
    if any(f != "--no-mkldnn" for f in flags):
        raise SystemExit("usage: image_flow_bench.py [STEPS [WARMUP [BATCH]]] [--no-mkldnn]")
    steps = int(args[0]) if len(args) > 0 else 20
    warmup = int(args[1]) if len(args) > 1 else 5
    batch = int(args[2]) if len(args) > 2 else 32
    torch.set_num_threads(1)
    if "--no-mkldnn" in flags:
        torch.backends.mkldnn.enabled = False
    print(bench("I1", 4, 4, [32, 64, 64, 64], 2, 256, batch, steps, warmup), flush=True)
    print(bench("I2", 4, 2, [16, 32, 32, 32], 2, 128, batch, steps, warmup), flush=True)


if __name__ == "__main__":
    main()
