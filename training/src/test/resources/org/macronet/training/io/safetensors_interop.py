"""Interoperability check for org.macronet.training.io.SafeTensors.

usage: python3 safetensors_interop.py IN OUT

Loads IN (written by the Java writer) with the reference `safetensors` package,
prints one JSON line describing it (per tensor: dtype, shape and the raw bits of
every element, so the Java side can check bit-exactness; plus the metadata), then
writes OUT with safetensors.numpy.save_file for the Java reader: every tensor of
IN echoed under "echo.<name>", and a few tensors computed here.
"""
import json
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

src, dst = sys.argv[1], sys.argv[2]

tensors = load_file(src)
with safe_open(src, framework="np") as f:
    metadata = f.metadata()

UNSIGNED = {np.dtype(np.float32): np.uint32, np.dtype(np.float64): np.uint64, np.dtype(np.int64): np.uint64}
described = {}
for name, t in tensors.items():
    bits = t.view(UNSIGNED[t.dtype]).reshape(-1)
    described[name] = {"dtype": str(t.dtype), "shape": list(t.shape), "bits": [int(b) for b in bits]}
print(json.dumps({"tensors": described, "metadata": metadata}))

out = {"echo." + name: t for name, t in tensors.items()}
out["py.ramp"] = (np.arange(12, dtype=np.float32) / np.float32(7)).reshape(3, 4)
out["py.halves"] = np.arange(3, dtype=np.float64) * 0.5
out["py.step"] = np.array(12345678901, dtype=np.int64)
out["py.empty"] = np.zeros((0, 3), dtype=np.float32)
save_file(out, dst, metadata={"written_by": "safetensors.numpy", "note": "\u00fcnicode \u2713"})
