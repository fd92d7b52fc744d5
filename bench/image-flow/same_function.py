#!/usr/bin/env python3
"""Checks that image_flow_bench.py's network is macronet's: with the parameters, rows and head
permutation that ImageFlowExport.java wrote to DIR, PyTorch's z, log-det and parameter gradient
must equal macronet's up to float32 rounding. Usage: same_function.py I1|I2 DIR (via same_function.sh)."""
import os
import sys

import numpy as np
import torch

import image_flow_bench as bench

NETS = {"I1": (4, 4, [32, 64, 64, 64], 2, 256), "I2": (4, 2, [16, 32, 32, 32], 2, 128)}


def main():
    name, d = sys.argv[1], sys.argv[2]
    read = {f: torch.from_numpy(np.fromfile(os.path.join(d, f + ".bin"), dtype="<f4"))
            for f in ("params", "x", "z", "logdet", "grad", "perm")}
    model = bench.ImageFlow(2, 64, *NETS[name])
    for m in model.modules():
        if hasattr(m, "fitted"):
            m.fitted = True  # the parameters come from macronet, ActNorms included
    torch.nn.utils.vector_to_parameters(read["params"], model.parameters())
    model.perm0.copy_(read["perm"].long())
    n = read["logdet"].numel()
    x = read["x"].view(n, 2, 64, 64)
    parts, logdet = model(x)
    # macronet's row: [head latent, factored out at the last split, ..., at the first]
    z = torch.cat([p.reshape(n, -1) for p in reversed(parts)], dim=1)
    sq = sum((p * p).reshape(n, -1).sum(dim=1) for p in parts)
    (0.5 * sq - logdet).mean().backward()
    grad = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
    zj, gj = read["z"].view(n, -1), read["grad"]
    z_err = ((z - zj).abs().max() / zj.abs().max()).item()
    ld_err = ((logdet - read["logdet"]).abs().max() / read["logdet"].abs().max()).item()
    g_err = ((grad - gj).norm() / gj.norm()).item()
    ok = z_err < 1e-5 and ld_err < 1e-5 and g_err < 1e-5
    print(f"{name}: params {read['params'].numel()} z max rel diff {z_err:.1e}, log-det {ld_err:.1e}, "
          f"gradient rel error {g_err:.1e}: {'same function' if ok else 'DIFFERENT'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
