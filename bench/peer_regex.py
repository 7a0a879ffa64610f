#!/usr/bin/env python3
"""Peer baseline: what a practitioner writes to pull per-epoch metrics out of a Keras log.
Prints the epoch count and the last epoch's metrics.

Copied unchanged (apart from this paragraph) from the project's shared reference material
(shared/bench/peer_regex.py), where it was written as the comparison point of issue 11: `npm run bench`
runs it side by side with `epochlint parse` on the same file."""
import re, sys
pair = re.compile(r"(\w+): ([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|nan|inf))")
epochs = []
with open(sys.argv[1], "r", errors="replace", newline="") as f:
    for line in f:
        if "val_loss" not in line:
            continue
        last = re.split(r"[\r\b]", line.rstrip("\n"))[-1] if ("\r" in line or "\b" in line) else line
        epochs.append({k: float(v) for k, v in pair.findall(last) if k != "ETA"})
print(len(epochs), epochs[-1] if epochs else None)
