"""PyTorch side of the conv3d micro-benchmark (bench/conv3d-bench.ts runs it when torch imports).

Reads a JSON list of shapes on stdin ({name, n, cin, cout, size, k, stride, pad}) and prints one
JSON object: per shape, the median seconds of forward, backward-data and backward-weight over
`reps` timed runs after one warm-up, at `threads` intra-op threads. The backward passes are timed
separately through aten's convolution_backward with an output mask, as autograd would run them.
"""
import json
import sys
import time

import torch


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def timed(fn, reps):
    fn()
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return median(out)


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    shapes = json.load(sys.stdin)
    results = []
    with torch.no_grad():
        for s in shapes:
            x = torch.randn(s["n"], s["cin"], *s["size"])
            w = torch.randn(s["cout"], s["cin"], s["k"], s["k"], s["k"]) * 0.05
            b = torch.randn(s["cout"])
            stride, pad = [s["stride"]] * 3, [s["pad"]] * 3
            y = torch.nn.functional.conv3d(x, w, b, stride, pad)
            dy = torch.randn_like(y)

            def backward(mask):
                return torch.ops.aten.convolution_backward(dy, x, w, [s["cout"]], stride, pad, [1, 1, 1], False, [0, 0, 0], 1, mask)

            results.append(dict(
                name=s["name"],
                forward_s=timed(lambda: torch.nn.functional.conv3d(x, w, b, stride, pad), reps),
                backward_data_s=timed(lambda: backward([True, False, False]), reps),
                backward_weight_s=timed(lambda: backward([False, True, True]), reps),
            ))
    print(json.dumps(dict(engine="pytorch-" + torch.__version__, threads=threads, mkldnn=torch.backends.mkldnn.is_available(), shapes=results)))


if __name__ == "__main__":
    main()
