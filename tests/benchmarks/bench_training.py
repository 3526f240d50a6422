"""LeNet-5 training speed: our on-device tensor loop vs a stock DataLoader loop.

    PYTHONPATH=.:tests python tests/benchmarks/bench_training.py [--device auto|cpu|cuda] [--epochs N] [--threads N]

Images/second and time to 95 % test accuracy for
  (a) lecture_models.train.train_classifier (data on the device, batches by index), and
  (b) the loop of pytorch/examples/mnist: DataLoader(TensorDataset(x, y), shuffle=True), .to(device) per batch,
with the same model, optimizer (Adam, constant lr), batch size and epochs, so the ratio is the loop's overhead.
CUDA: also time to 98 % / 99 % test accuracy with the fast recipe (bf16, channels_last, SGD + one-cycle).
A reference point: 0.76 s to 99 % on MNIST with a GTX 1660 Ti laptop (full 60k MNIST); here there are only
8,000 training digits, so 99 % may be out of reach: the best accuracy reached is reported.
Prints a table; never asserts timings. Needs the data: `python -m lecture_models data`.
"""
import argparse
import tempfile
import time

import torch
import torch.nn.functional as F


from lecture_models.data import load_mnist
from lecture_models.figures import RunContext
from lecture_models.models import lenet5
from lecture_models.train import evaluate, train_classifier


LR = 3e-3  # constant learning rate of the loop comparison


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def first_time(accs, times, target):
    """Training seconds when test accuracy first reached `target`, or None."""
    return next((t for a, t in zip(accs, times) if a >= target), None)


def ours(data, device, *, epochs, batch_size, lr, cache, seed=0, **kw):
    """lecture_models' loop; its checkpoints go to a temporary folder and are deleted (never resumed)."""
    ctx = RunContext(device=device, seed=seed, cache_dir=cache, progress=False, run_name="bench")
    ctx.clear_checkpoints()
    torch.manual_seed(seed)
    model = lenet5()
    h = train_classifier(model, data, ctx=ctx, ckpt_key="bench", epochs=epochs, lr=lr, batch_size=batch_size, **kw)
    ctx.clear_checkpoints()
    return h.test_acc, h.time_s


def stock(data, device, *, epochs, batch_size, lr, seed=0):
    """pytorch/examples/mnist style: CPU TensorDataset + DataLoader, batches moved to the device."""
    from torch.utils.data import DataLoader, TensorDataset

    x_tr, y_tr, x_te, y_te = data
    loader = DataLoader(TensorDataset(x_tr.cpu(), y_tr.cpu()), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    torch.manual_seed(seed)
    model = lenet5().to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    accs, times, total = [], [], 0.0
    for _ in range(epochs):
        model.train()
        sync(device)
        t0 = time.perf_counter()
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
        sync(device)
        total += time.perf_counter() - t0
        times.append(total)
        accs.append(evaluate(model, x_te, y_te)[1])
    return accs, times


def fmt(t):
    return "not reached" if t is None else f"{t:.2f} s"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="auto")
    p.add_argument("--epochs", type=int, default=None, help="epochs of the loop comparison (default 5)")
    p.add_argument("--threads", type=int, default=None)
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available() else
                          ("cpu" if args.device == "auto" else args.device))
    data = load_mnist(device)
    n = len(data[0])
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else f"cpu, {torch.get_num_threads()} threads"
    print(f"LeNet-5 on {n} MNIST training digits, 2,000 test digits; torch {torch.__version__}; {name}\n")

    epochs = args.epochs or 5
    target = 0.95
    with tempfile.TemporaryDirectory() as cache:
        # warm-up (allocator, cuDNN, first-call overheads) for both loops
        ours(data, device, epochs=1, batch_size=128, lr=1e-3, cache=cache, schedule="constant", steps_per_epoch=5)
        rows = []
        for label, fn in (("on-device tensor loop (ours)",
                           lambda: ours(data, device, epochs=epochs, batch_size=128, lr=LR, cache=cache,
                                        schedule="constant")),
                          ("DataLoader(TensorDataset) loop",
                           lambda: stock(data, device, epochs=epochs, batch_size=128, lr=LR))):
            accs, times = fn()
            rows.append((label, n * epochs / times[-1], times[-1], first_time(accs, times, target), max(accs)))
        print(f"Same model, AdamW lr {LR:g} constant, batch 128, {epochs} epochs "
              "(training time, evaluation excluded)\n")
        print(f"| loop | images/s | train time | time to {target:.0%} | best test acc |")
        print("|---|---:|---:|---:|---:|")
        for label, ips, t, tt, best in rows:
            print(f"| {label} | {ips:,.0f} | {t:.2f} s | {fmt(tt)} | {best:.4f} |")
        print(f"\nratio ours / DataLoader (images/s): {rows[0][1] / rows[1][1]:.2f}x\n")

        if device.type == "cuda":
            from lecture_models.data.augment import digits_augment

            print("Fast recipe on CUDA: bf16 autocast, channels_last, SGD nesterov + one-cycle, label smoothing 0.1")
            print("| recipe | epochs | time to 98% | time to 99% | best test acc | total train time |")
            print("|---|---:|---:|---:|---:|---:|")
            for eps, bs, aug in ((8, 256, None), (15, 256, None), (30, 256, digits_augment())):
                accs, times = ours(data, device, epochs=eps, batch_size=bs, lr=0.1, cache=cache, optimizer="sgd",
                                   weight_decay=5e-4, label_smoothing=0.1, schedule="onecycle", augment=aug)
                label = f"batch {bs}" + (", augmentation" if aug else "")
                t98, t99 = first_time(accs, times, 0.98), first_time(accs, times, 0.99)
                print(f"| {label} | {eps} | {fmt(t98)} | {fmt(t99)} "
                      f"| {max(accs):.4f} | {times[-1]:.2f} s |")
            print("\nAnchor: 0.76 s to 99 % on a GTX 1660 Ti laptop with the full 60k MNIST training set.")


if __name__ == "__main__":
    main()
