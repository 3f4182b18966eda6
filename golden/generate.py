#!/usr/bin/env python3
"""Kindling's golden values: PyTorch's (and scikit-learn's) own numbers for Kindling's
training semantics.

Writes fourteen JSON files (the schema is in README.md next to this script):

    cross_entropy.json  mse.json  accuracy.json  optimizers.json
    clip_grad_norm.json  lr_schedulers.json  training_step.json
    classification_metrics.json  batch_norm.json  neuron_pictures.json
    layer_norms.json  image_layers.json  batch_norm_2d.json  cnn_training.json

Every number is computed by PyTorch itself, in float64, from fixed random inputs
(one seeded ``torch.Generator`` per file) — the classification metrics by
scikit-learn, from inputs drawn the same way — and every float is rounded to 1e-12.
Inputs are rounded *before* they are used, so each result is PyTorch's answer for
exactly the inputs stored next to it. Linear weights are stored ``[in][out]``
(PyTorch's ``weight`` transposed), so that ``y = x @ W + b``.

Usage:

    python golden/generate.py [OUT_DIR]           # writes the files
    python golden/generate.py --check [OUT_DIR]   # compares them with what it computes

OUT_DIR defaults to the folder this script lives in. The output is byte-for-byte
the same on every run; the torch version is printed to stderr (not stored, to
keep the schema unchanged). Only torch, scikit-learn and the standard library are
used.
"""

import json
import os
import sys

import torch
import torch.nn.functional as F
from sklearn import metrics as sk_metrics
from torch import nn

DTYPE = torch.float64

#: One seed per file, so adding cases to one file leaves the others unchanged.
SEEDS = {
    "cross_entropy": 1001,
    "mse": 1002,
    "accuracy": 1003,
    "optimizers": 1004,
    "clip_grad_norm": 1005,
    "lr_schedulers": 1006,
    "training_step": 1007,
    "classification_metrics": 1008,
    "batch_norm": 1009,
    "neuron_pictures": 1010,
    "layer_norms": 1011,
    "image_layers": 1012,
    "batch_norm_2d": 1013,
    "cnn_training": 1014,
}


# --------------------------------------------------------------------------- helpers


def rnd(x):
    """A float rounded to 1e-12 (and -0.0 made 0.0), as every stored float is."""
    return round(float(x), 12) + 0.0


def to_list(t):
    """A tensor as nested lists of rounded floats."""
    if t.dim() == 0:
        return rnd(t.item())
    return [to_list(row) for row in t] if t.dim() > 1 else [rnd(v) for v in t.tolist()]


def fixed(t):
    """``t`` rounded to 1e-12, as a float64 tensor: the exact values the JSON will hold."""
    return torch.tensor(to_list(t), dtype=DTYPE).reshape(t.shape)


def randn(gen, *shape, scale=1.0):
    """Standard normal values times ``scale``, rounded (see ``fixed``)."""
    return fixed(torch.randn(*shape, generator=gen, dtype=DTYPE) * scale)


def uniform(gen, low, high, *shape):
    """Uniform values in [low, high), rounded (see ``fixed``)."""
    return fixed(low + (high - low) * torch.rand(*shape, generator=gen, dtype=DTYPE))


def randint(gen, high, n):
    """``n`` integers in [0, high) as a Python list."""
    return torch.randint(0, high, (n,), generator=gen).tolist()


def pick(gen, items):
    """One element of ``items``, chosen with ``gen``."""
    return items[int(torch.randint(0, len(items), (1,), generator=gen))]


# --------------------------------------------------------------------------- files


def cross_entropy(gen):
    """``cross_entropy.json``: ``F.cross_entropy`` and its gradient w.r.t. the logits.

    Three shapes (N, C) = (6, 3), (8, 5), (4, 2); for each, every combination of
    reduction (mean | sum | none), label smoothing (0, 0.1, 0.3), class weights
    (null | a list in [0.5, 1.5)) and ignore_index (-100, i.e. none, | a class that
    occurs among the targets). Logits are N(0, 2^2). For ``none`` the gradient is
    that of the sum of the per-sample losses. Two edge cases end the file: every
    target ignored, with ``sum`` and with ``none`` (``mean`` would be 0/0 = NaN).
    """
    cases = []

    def case(logits, targets, weight, ignore_index, reduction, smoothing):
        x = logits.clone().requires_grad_(True)
        loss = F.cross_entropy(
            x,
            torch.tensor(targets),
            weight=weight,
            ignore_index=ignore_index,
            reduction=reduction,
            label_smoothing=smoothing,
        )
        loss.sum().backward()
        return {
            "logits": to_list(logits),
            "targets": targets,
            "weight": None if weight is None else to_list(weight),
            "ignore_index": ignore_index,
            "reduction": reduction,
            "label_smoothing": smoothing,
            "loss": to_list(loss.detach()),
            "grad_logits": to_list(x.grad),
        }

    for rows, classes in [(6, 3), (8, 5), (4, 2)]:
        for reduction in ["mean", "sum", "none"]:
            for smoothing in [0.0, 0.1, 0.3]:
                for ignoring in [False, True]:
                    for weighted in [False, True]:
                        logits = randn(gen, rows, classes, scale=2.0)
                        targets = randint(gen, classes, rows)
                        weight = uniform(gen, 0.5, 1.5, classes) if weighted else None
                        ignore_index = -100
                        if ignoring:
                            ignore_index = pick(gen, targets)
                            # mean over no sample at all is NaN: keep one counted sample.
                            if all(t == ignore_index for t in targets):
                                targets[0] = (ignore_index + 1) % classes
                        cases.append(case(logits, targets, weight, ignore_index, reduction, smoothing))

    for reduction in ["sum", "none"]:
        logits = randn(gen, 4, 3, scale=2.0)
        cases.append(case(logits, [1, 1, 1, 1], uniform(gen, 0.5, 1.5, 3), 1, reduction, 0.1))
    return cases


def mse(gen):
    """``mse.json``: ``F.mse_loss`` and its gradient w.r.t. the predictions.

    Shapes [5] and [4][3], each with reduction mean, sum and none; predictions and
    targets are N(0, 1). For ``none`` the gradient is that of the sum of the losses.
    """
    cases = []
    for shape in [(5,), (4, 3)]:
        for reduction in ["mean", "sum", "none"]:
            predictions = randn(gen, *shape)
            targets = randn(gen, *shape)
            p = predictions.clone().requires_grad_(True)
            loss = F.mse_loss(p, targets, reduction=reduction)
            loss.sum().backward()
            cases.append(
                {
                    "predictions": to_list(predictions),
                    "targets": to_list(targets),
                    "reduction": reduction,
                    "loss": to_list(loss.detach()),
                    "grad_predictions": to_list(p.grad),
                }
            )
    return cases


def accuracy(gen):
    """``accuracy.json``: top-k accuracy, overall and per class, in percent (0..100).

    Shapes (N, C) = (10, 4) and (12, 10), each with top_k 1, 2 and 3. Each row of
    logits is a random permutation of 0..C-1 plus N(0, 0.01^2) noise, so that no two
    logits of a row are close enough to tie in float32. A sample is a hit when its
    target is among ``torch.topk``'s k indices; ``per_class[c]`` is the percentage of
    class c's samples that are hits, or null when class c has no sample.
    """
    cases = []
    for rows, classes in [(10, 4), (12, 10)]:
        for top_k in [1, 2, 3]:
            perms = torch.stack([torch.randperm(classes, generator=gen) for _ in range(rows)])
            noise = torch.randn(rows, classes, generator=gen, dtype=DTYPE) * 0.01
            logits = fixed(perms.to(DTYPE) + noise)
            targets = randint(gen, classes, rows)
            target_t = torch.tensor(targets)
            hits = (logits.topk(top_k, dim=1).indices == target_t[:, None]).any(dim=1).to(DTYPE)
            per_class = []
            for c in range(classes):
                mask = target_t == c
                per_class.append(rnd(hits[mask].mean() * 100.0) if mask.any() else None)
            cases.append(
                {
                    "logits": to_list(logits),
                    "targets": targets,
                    "top_k": top_k,
                    "accuracy": rnd(hits.mean() * 100.0),
                    "per_class": per_class,
                }
            )
    return cases


def optimizers(gen):
    """``optimizers.json``: ``torch.optim.SGD``, ``Adam`` and ``AdamW``, six steps each.

    A [3][2] parameter (N(0, 1)) and six N(0, 1) gradients per case; after each
    gradient is set as ``.grad`` the optimizer steps, and the parameter is recorded.
    SGD: lr 0.1 and 0.01, each with (momentum, weight_decay, nesterov) in
    (0, 0, F), (0, 0.01, F), (0.9, 0, F), (0.9, 0, T), (0.9, 0.01, F), (0.9, 0.01, T).
    Adam and AdamW: lr 0.001 and 0.01, each with weight decay 0 and 0.01;
    betas (0.9, 0.999), eps 1e-8. The single-tensor (``foreach=False``) code is used.
    """
    settings = []
    for lr in [0.1, 0.01]:
        for momentum, weight_decay, nesterov in [
            (0.0, 0.0, False),
            (0.0, 0.01, False),
            (0.9, 0.0, False),
            (0.9, 0.0, True),
            (0.9, 0.01, False),
            (0.9, 0.01, True),
        ]:
            settings.append(
                {
                    "optimizer": "sgd",
                    "learning_rate": lr,
                    "momentum": momentum,
                    "weight_decay": weight_decay,
                    "nesterov": nesterov,
                }
            )
    for kind in ["adam", "adamw"]:
        for lr in [0.001, 0.01]:
            for weight_decay in [0.0, 0.01]:
                settings.append(
                    {
                        "optimizer": kind,
                        "learning_rate": lr,
                        "beta1": 0.9,
                        "beta2": 0.999,
                        "epsilon": 1e-8,
                        "weight_decay": weight_decay,
                    }
                )

    cases = []
    for s in settings:
        param0 = randn(gen, 3, 2)
        grads = [randn(gen, 3, 2) for _ in range(6)]
        p = nn.Parameter(param0.clone())
        if s["optimizer"] == "sgd":
            opt = torch.optim.SGD(
                [p],
                lr=s["learning_rate"],
                momentum=s["momentum"],
                weight_decay=s["weight_decay"],
                nesterov=s["nesterov"],
                foreach=False,
            )
        else:
            cls = torch.optim.Adam if s["optimizer"] == "adam" else torch.optim.AdamW
            opt = cls(
                [p],
                lr=s["learning_rate"],
                betas=(s["beta1"], s["beta2"]),
                eps=s["epsilon"],
                weight_decay=s["weight_decay"],
                foreach=False,
            )
        after = []
        for g in grads:
            p.grad = g.clone()
            opt.step()
            after.append(to_list(p.detach()))
        cases.append(
            {
                "param0": to_list(param0),
                "grads": [to_list(g) for g in grads],
                "params_after_each_step": after,
                **s,
            }
        )
    return cases


def clip_grad_norm(gen):
    """``clip_grad_norm.json``: ``torch.nn.utils.clip_grad_norm_`` over two tensors.

    Gradients of shapes [3][2] and [4], N(0, 2^2); max_norm 0.5, 1.0 and 100.0
    (the last leaves them unchanged). ``total_norm`` is the global L2 norm before
    clipping; ``clipped`` the gradients after (PyTorch scales by
    ``max_norm / (total_norm + 1e-6)`` when that is below 1).
    """
    cases = []
    for max_norm in [0.5, 1.0, 100.0]:
        grads = [randn(gen, 3, 2, scale=2.0), randn(gen, 4, scale=2.0)]
        params = [nn.Parameter(torch.zeros_like(g)) for g in grads]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        total = nn.utils.clip_grad_norm_(params, max_norm, norm_type=2.0, foreach=False)
        cases.append(
            {
                "max_norm": max_norm,
                "grads": [to_list(g) for g in grads],
                "total_norm": rnd(total),
                "clipped": [to_list(p.grad) for p in params],
            }
        )
    return cases


def linear_settings(start_factor, end_factor, total_iters):
    """A ``LinearLR``'s settings, as the cases store them (factors rounded like every float)."""
    return {"start_factor": rnd(start_factor), "end_factor": rnd(end_factor), "total_iters": total_iters}


def lr_schedulers(gen):
    """``lr_schedulers.json``: ``StepLR``, ``CosineAnnealingLR``, ``LinearLR``, ``SequentialLR``
    (a ``LinearLR`` warm-up, then another scheduler) and ``ReduceLROnPlateau``.

    All start at lr 0.1 on a one-parameter SGD. For step and cosine annealing,
    ``lr_per_epoch[e]`` is the rate in use during epoch e (read before that epoch's
    ``scheduler.step()``); cosine runs past t_max, where PyTorch's rate climbs back;
    linear runs past total_iters, where the factor stays; sequential runs well past its
    milestone.
    For reduce-on-plateau, the scheduler is fed ``metric_per_epoch`` one value per
    epoch, and ``lr_after_each_epoch[e]`` is the rate after ``step(metric[e])``. The
    metric series are hand-made to hit the thresholds' edges (a change just below
    the threshold counts as no improvement). ``gen`` is unused: nothing is random.
    """
    del gen
    cases = []

    def fresh():
        opt = torch.optim.SGD([nn.Parameter(torch.zeros(1, dtype=DTYPE))], lr=0.1)
        return opt

    def per_epoch(opt, sched, epochs):
        lrs = []
        for _ in range(epochs):
            lrs.append(rnd(opt.param_groups[0]["lr"]))
            opt.step()  # nothing to update; keeps PyTorch's step-order check quiet
            sched.step()
        return lrs

    for t_max, eta_min, epochs in [(10, 0.0, 23), (7, 0.001, 17), (4, 0.01, 13)]:
        opt = fresh()
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=t_max, eta_min=eta_min)
        cases.append(
            {
                "scheduler": "cosine_annealing",
                "initial_lr": 0.1,
                "t_max": t_max,
                "eta_min": eta_min,
                "lr_per_epoch": per_epoch(opt, sched, epochs),
            }
        )
    for step_size, gamma, epochs in [(3, 0.5, 10), (2, 0.1, 10), (1, 0.9, 8)]:
        opt = fresh()
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=step_size, gamma=gamma)
        cases.append(
            {
                "scheduler": "step",
                "initial_lr": 0.1,
                "step_size": step_size,
                "gamma": gamma,
                "lr_per_epoch": per_epoch(opt, sched, epochs),
            }
        )

    for start_factor, end_factor, total_iters, epochs in [(1 / 3, 1.0, 5, 9), (0.1, 1.0, 4, 7), (1.0, 0.25, 3, 6)]:
        start_factor = rnd(start_factor)  # inputs rounded before use, as stored
        opt = fresh()
        sched = torch.optim.lr_scheduler.LinearLR(
            opt, start_factor=start_factor, end_factor=end_factor, total_iters=total_iters
        )
        cases.append(
            {
                "scheduler": "linear",
                "initial_lr": 0.1,
                **linear_settings(start_factor, end_factor, total_iters),
                "lr_per_epoch": per_epoch(opt, sched, epochs),
            }
        )
    # A warm-up, then another schedule from the milestone on, as SequentialLR chains them.
    sequences = [
        ((0.1, 1.0, 3), ("cosine_annealing", 8, 0.001), 3, 16),
        ((0.25, 1.0, 4), ("step", 2, 0.5), 4, 12),
        ((1 / 3, 1.0, 2), ("linear", 0.5, 0.1, 3), 5, 11),
    ]
    for (start_factor, end_factor, total_iters), then, milestone, epochs in sequences:
        start_factor = rnd(start_factor)
        opt = fresh()
        warmup = torch.optim.lr_scheduler.LinearLR(
            opt, start_factor=start_factor, end_factor=end_factor, total_iters=total_iters
        )
        if then[0] == "cosine_annealing":
            after = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=then[1], eta_min=then[2])
            after_settings = {"scheduler": "cosine_annealing", "t_max": then[1], "eta_min": then[2]}
        elif then[0] == "step":
            after = torch.optim.lr_scheduler.StepLR(opt, step_size=then[1], gamma=then[2])
            after_settings = {"scheduler": "step", "step_size": then[1], "gamma": then[2]}
        else:
            after = torch.optim.lr_scheduler.LinearLR(
                opt, start_factor=then[1], end_factor=then[2], total_iters=then[3]
            )
            after_settings = {"scheduler": "linear", **linear_settings(*then[1:])}
        sched = torch.optim.lr_scheduler.SequentialLR(opt, schedulers=[warmup, after], milestones=[milestone])
        cases.append(
            {
                "scheduler": "sequential",
                "initial_lr": 0.1,
                "schedulers": [
                    {"scheduler": "linear", **linear_settings(start_factor, end_factor, total_iters)},
                    after_settings,
                ],
                "milestones": [milestone],
                "lr_per_epoch": per_epoch(opt, sched, epochs),
            }
        )

    falling = [1.0, 0.9, 0.9, 0.9, 0.89999, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7]
    rising = [0.0, 0.1, 0.1, 0.1, 0.10001, 0.05, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.3, 0.3, 0.3]
    near = [0.5, 0.45, 0.449, 0.4485, 0.44, 0.4395, 0.439, 0.43, 0.43, 0.42, 0.4195, 0.419, 0.41, 0.41, 0.41, 0.41]
    plateau = [
        # mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, metrics
        ("min", 0.5, 2, 1e-4, "rel", 0, 0.0, falling),
        ("min", 0.1, 1, 0.01, "rel", 1, 1e-4, falling),
        ("max", 0.5, 2, 1e-4, "rel", 0, 0.0, rising),
        ("min", 0.5, 1, 0.005, "abs", 2, 0.01, near),
        ("max", 0.3, 0, 0.05, "abs", 1, 0.0, rising),
    ]
    for mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, metrics in plateau:
        opt = fresh()
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
            opt,
            mode=mode,
            factor=factor,
            patience=patience,
            threshold=threshold,
            threshold_mode=threshold_mode,
            cooldown=cooldown,
            min_lr=min_lr,
        )
        after = []
        for metric in metrics:
            opt.step()
            sched.step(metric)
            after.append(rnd(opt.param_groups[0]["lr"]))
        cases.append(
            {
                "scheduler": "reduce_on_plateau",
                "initial_lr": 0.1,
                "mode": mode,
                "factor": factor,
                "patience": patience,
                "threshold": threshold,
                "threshold_mode": threshold_mode,
                "cooldown": cooldown,
                "min_lr": min_lr,
                "metric_per_epoch": metrics,
                "lr_after_each_epoch": after,
            }
        )
    return cases


#: The training runs: (config, number of outputs).
TRAINING_RUNS = [
    (
        {
            "hidden": [8],
            "activation": "relu",
            "loss": "cross_entropy",
            "label_smoothing": 0.1,
            "optimizer": {"kind": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.001},
            "gradient_clip": 1.0,
            "accumulation_steps": 1,
        },
        3,
    ),
    (
        {
            "hidden": [6, 5],
            "activation": "tanh",
            "loss": "cross_entropy",
            "label_smoothing": 0.0,
            "optimizer": {"kind": "sgd", "lr": 0.05, "momentum": 0.0, "nesterov": False, "weight_decay": 0.0},
            "gradient_clip": 0.0,
            "accumulation_steps": 2,
        },
        3,
    ),
    (
        {
            "hidden": [7],
            "activation": "sigmoid",
            "loss": "mse",
            "label_smoothing": 0.0,
            "optimizer": {"kind": "adam", "lr": 0.01, "weight_decay": 0.0},
            "gradient_clip": 0.5,
            "accumulation_steps": 1,
        },
        1,
    ),
    (
        {
            "hidden": [5],
            "activation": "relu",
            "loss": "cross_entropy",
            "label_smoothing": 0.05,
            "optimizer": {"kind": "adamw", "lr": 0.01, "weight_decay": 0.05},
            "gradient_clip": 0.0,
            "accumulation_steps": 3,
        },
        3,
    ),
    # Accumulation and clipping together: the summed gradient is what gets clipped.
    (
        {
            "hidden": [4, 4],
            "activation": "sigmoid",
            "loss": "mse",
            "label_smoothing": 0.0,
            "optimizer": {"kind": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": False, "weight_decay": 0.01},
            "gradient_clip": 0.5,
            "accumulation_steps": 2,
        },
        1,
    ),
    (
        {
            "hidden": [6],
            "activation": "tanh",
            "loss": "cross_entropy",
            "label_smoothing": 0.0,
            "optimizer": {"kind": "adam", "lr": 0.02, "weight_decay": 0.01},
            "gradient_clip": 0.8,
            "accumulation_steps": 3,
        },
        4,
    ),
    # The activations added after the first release, each with its parameter away from
    # PyTorch's default where it has one. (New runs go last: the batches are drawn in order.)
    (
        {
            "hidden": [6, 5],
            "activation": "elu",
            "alpha": 0.7,
            "loss": "cross_entropy",
            "label_smoothing": 0.0,
            "optimizer": {"kind": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": False, "weight_decay": 0.0},
            "gradient_clip": 0.0,
            "accumulation_steps": 1,
        },
        3,
    ),
    (
        {
            "hidden": [7],
            "activation": "silu",
            "loss": "mse",
            "label_smoothing": 0.0,
            "optimizer": {"kind": "adam", "lr": 0.02, "weight_decay": 0.0},
            "gradient_clip": 0.0,
            "accumulation_steps": 2,
        },
        1,
    ),
    (
        {
            "hidden": [5, 4],
            "activation": "mish",
            "loss": "cross_entropy",
            "label_smoothing": 0.0,
            "optimizer": {"kind": "adamw", "lr": 0.02, "weight_decay": 0.01},
            "gradient_clip": 1.0,
            "accumulation_steps": 1,
        },
        2,
    ),
    (
        {
            "hidden": [6],
            "activation": "softplus",
            "beta": 2.0,
            "loss": "mse",
            "label_smoothing": 0.0,
            "optimizer": {"kind": "sgd", "lr": 0.05, "momentum": 0.5, "nesterov": False, "weight_decay": 0.0},
            "gradient_clip": 0.0,
            "accumulation_steps": 1,
        },
        1,
    ),
]

#: Inputs per sample, batches per run and samples per batch, for every run.
IN_FEATURES, BATCHES, BATCH_SIZE = 2, 6, 4

NOTE = (
    "loss_per_batch is the un-divided batch loss; parameters update after every "
    "accumulation_steps batches; gradient_clip is a global L2 norm over all parameters, 0 = off"
)


def mlp(config, outputs):
    """The run's ``nn.Sequential`` MLP in float64: Linear, activation, ..., Linear.

    Weights start from PyTorch's default ``nn.Linear`` initialisation (drawn from the
    global RNG, seeded by the caller) and are then rounded to 1e-12.
    """
    activation = {
        "relu": nn.ReLU,
        "tanh": nn.Tanh,
        "sigmoid": nn.Sigmoid,
        "elu": lambda: nn.ELU(alpha=config["alpha"]),
        "silu": nn.SiLU,
        "mish": nn.Mish,
        "softplus": lambda: nn.Softplus(beta=config["beta"]),
    }[config["activation"]]
    layers, width = [], IN_FEATURES
    for hidden in config["hidden"]:
        layers += [nn.Linear(width, hidden, dtype=DTYPE), activation()]
        width = hidden
    layers.append(nn.Linear(width, outputs, dtype=DTYPE))
    model = nn.Sequential(*layers)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(fixed(p))
    return model


def linear_layers(model):
    """The model's Linear layers as ``{"weight_in_out", "bias"}`` (weight transposed)."""
    return [
        {"weight_in_out": to_list(m.weight.detach().T), "bias": to_list(m.bias.detach())}
        for m in model
        if isinstance(m, nn.Linear)
    ]


def optimizer_of(model, o):
    """The run's optimizer: SGD, Adam or AdamW with PyTorch's defaults for what ``o`` does
    not set."""
    if o["kind"] == "sgd":
        return torch.optim.SGD(
            model.parameters(),
            lr=o["lr"],
            momentum=o["momentum"],
            nesterov=o["nesterov"],
            weight_decay=o["weight_decay"],
            foreach=False,
        )
    cls = torch.optim.Adam if o["kind"] == "adam" else torch.optim.AdamW
    return cls(model.parameters(), lr=o["lr"], weight_decay=o["weight_decay"], foreach=False)


def train(model, config, batches):
    """Trains ``model`` on ``batches`` as TrainingStep does; returns the loss of each batch,
    the batches after which the optimizer stepped, and at each step every Linear layer's
    ``{"weight", "gradient", "update"}``: the L2 norms of its weight after the step, of the
    weight's gradient before clipping, and of the step's change to the weight."""
    opt = optimizer_of(model, config["optimizer"])
    linears = [m for m in model if isinstance(m, nn.Linear)]
    steps = config["accumulation_steps"]
    losses, updates, norms = [], [], []
    opt.zero_grad()
    for b, (x, y, _) in enumerate(batches):
        out = model(x)
        if config["loss"] == "cross_entropy":
            loss = F.cross_entropy(out, y, label_smoothing=config["label_smoothing"])
        else:
            loss = F.mse_loss(out, y)
        losses.append(rnd(loss.item()))
        (loss / steps).backward()
        if (b + 1) % steps == 0:
            gradients = [m.weight.grad.norm().item() for m in linears]
            before = [m.weight.detach().clone() for m in linears]
            if config["gradient_clip"] > 0:
                nn.utils.clip_grad_norm_(model.parameters(), config["gradient_clip"], foreach=False)
            opt.step()
            opt.zero_grad()
            updates.append(b)
            norms.append(
                [
                    {
                        "weight": rnd(m.weight.detach().norm().item()),
                        "gradient": rnd(gradient),
                        "update": rnd((m.weight.detach() - old).norm().item()),
                    }
                    for m, gradient, old in zip(linears, gradients, before)
                ]
            )
    return losses, updates, norms


def training_batches(gen, config, outputs):
    """``BATCHES`` batches of ``BATCH_SIZE`` samples for a run: x ~ N(0, 1), y a class index
    (cross-entropy) or a ``[batch][1]`` N(0, 1) target (MSE); each with its JSON form."""
    batches = []
    for _ in range(BATCHES):
        x = randn(gen, BATCH_SIZE, IN_FEATURES)
        if config["loss"] == "cross_entropy":
            y = torch.tensor(randint(gen, outputs, BATCH_SIZE))
            y_json = y.tolist()
        else:
            y = randn(gen, BATCH_SIZE, 1)
            y_json = to_list(y)
        batches.append((x, y, {"x": to_list(x), "y": y_json}))
    return batches


def training_step(gen):
    """``training_step.json``: whole training runs of small MLPs (``TRAINING_RUNS``).

    Six batches of four samples, x ~ N(0, 1) with two features; y is a class index
    for cross-entropy and a ``[batch][1]`` N(0, 1) target for MSE (mean reduction).
    Each batch: forward, record the un-divided loss, backward of loss /
    accumulation_steps (gradients add up); after every accumulation_steps-th batch,
    clip by global L2 norm (``clip_grad_norm_``) when gradient_clip > 0, step the
    optimizer (SGD, Adam or AdamW with PyTorch's defaults for what the config does
    not set) and zero the gradients.
    """
    cases = []
    for index, (config, outputs) in enumerate(TRAINING_RUNS):
        torch.manual_seed(SEEDS["training_step"] * 100 + index)  # nn.Linear's initialisation
        model = mlp(config, outputs)
        initial = linear_layers(model)

        batches = training_batches(gen, config, outputs)
        losses, updates, _ = train(model, config, batches)
        cases.append(
            {
                "config": config,
                "note": NOTE,
                "initial_layers": initial,
                "batches": [json_batch for _, _, json_batch in batches],
                "loss_per_batch": losses,
                "update_after_batches": updates,
                "final_layers": linear_layers(model),
            }
        )
    return cases


def layer_norms(gen):
    """``layer_norms.json``: every Linear layer's weight, gradient and update norms at each
    optimizer step of the runs of ``training_step.json``'s configurations (on batches of
    their own): what Kindling charts per layer, at each epoch's last step."""
    cases = []
    for index, (config, outputs) in enumerate(TRAINING_RUNS):
        torch.manual_seed(SEEDS["layer_norms"] * 100 + index)  # nn.Linear's initialisation
        model = mlp(config, outputs)
        initial = linear_layers(model)
        batches = training_batches(gen, config, outputs)
        _, updates, norms = train(model, config, batches)
        cases.append(
            {
                "config": config,
                "initial_layers": initial,
                "batches": [json_batch for _, _, json_batch in batches],
                "update_after_batches": updates,
                "layer_norms": norms,
            }
        )
    return cases


def classification_metrics(gen):
    """``classification_metrics.json``: scikit-learn's precision, recall, F1 and ROC-AUC.

    Scores are softmax probabilities of N(0, 1.5^2) logits, the target's raised by 1; the
    prediction is the first
    class of highest score (numpy's argmax). Precision, recall and F1 are
    ``precision_recall_fscore_support(labels=range(C), average=..., zero_division=0)``: every
    class counts, even one absent from the targets or never predicted (its scores are 0).
    ROC-AUC is ``roc_auc_score``: for ``binary``, of the positive class's score; otherwise
    one-vs-rest, macro, over all classes (for two, the binary AUC of class 1) — null when a class has no sample or every sample
    is of one class, where it is undefined. Shapes (N, C) = (12, 2), (16, 2) with scores
    rounded to tenths (ties, for the ranking), (20, 3), (30, 5) and (9, 4) with class 3
    never a target and a class never predicted.
    """
    cases = []
    shapes = [(12, 2, False), (16, 2, True), (20, 3, False), (30, 5, False), (9, 4, False)]
    for rows, classes, ties in shapes:
        targets = randint(gen, classes - 1 if classes == 4 else classes, rows)
        # Some signal, so that the metrics land away from 0 and 1: the target's logit raised.
        logits = randn(gen, rows, classes, scale=1.5)
        logits[torch.arange(rows), torch.tensor(targets)] += 1.0
        scores = torch.softmax(logits, dim=1)
        if ties:
            positive = torch.round(scores[:, 1] * 10) / 10
            scores = torch.stack([1 - positive, positive], dim=1)
        scores = fixed(scores)
        if classes == 4:
            scores[:, 2] = 0.0  # class 2 is never predicted
            scores = fixed(scores / scores.sum(dim=1, keepdim=True))
        predicted = [int(i) for i in scores.numpy().argmax(axis=1)]
        labels = list(range(classes))
        averages = ["binary", "macro", "micro", "weighted"] if classes == 2 else ["macro", "micro", "weighted"]
        for average in averages:
            for positive_class in [1, 0] if average == "binary" else [None]:
                options = {"pos_label": positive_class} if average == "binary" else {"labels": labels}
                precision, recall, f1, _ = sk_metrics.precision_recall_fscore_support(
                    targets, predicted, average=average, zero_division=0, **options
                )
                if average == "binary":
                    positives = [int(t == positive_class) for t in targets]
                    auc = sk_metrics.roc_auc_score(positives, scores[:, positive_class].numpy())
                elif len(set(targets)) < classes:
                    auc = None
                elif classes == 2:
                    # One-vs-rest over two classes is the binary AUC of class 1 (either class's
                    # gives the same); scikit-learn takes that score alone.
                    auc = sk_metrics.roc_auc_score(targets, scores[:, 1].numpy())
                else:
                    auc = sk_metrics.roc_auc_score(
                        targets, scores.numpy(), multi_class="ovr", average="macro", labels=labels
                    )
                cases.append(
                    {
                        "scores": to_list(scores),
                        "targets": targets,
                        "average": average,
                        "positive_class": positive_class,
                        "precision": rnd(precision),
                        "recall": rnd(recall),
                        "f1": rnd(f1),
                        "roc_auc": None if auc is None else rnd(auc),
                    }
                )
    return cases


#: ``batch_norm.json``'s cases: features, momentum, the batch sizes of the training steps in
#: order (a smaller last batch, as an epoch's remainder is), and an offset and scale for the
#: inputs, so that the running statistics move away from their start (0 and 1).
BATCH_NORM_CASES = [
    (3, 0.1, [4, 4, 4], 0.0, 1.0),
    (5, 0.1, [8, 8, 3], 3.0, 2.0),
    (2, 0.3, [2, 2, 2], -1.0, 0.5),
    (4, 0.1, [16, 16, 16, 5], 0.5, 3.0),
]


def batch_norm(gen):
    """``batch_norm.json``: ``nn.BatchNorm1d(C, momentum=m)`` (eps 1e-5) in float64.

    The layer's weight and bias are set to N(1, 0.3^2) and N(0, 0.3^2) values. In training
    mode, for each batch x: the output, the gradients of ``(output * grad_output).sum()``
    (``grad_output`` ~ N(0, 1)) with respect to x, the weight and the bias (each step's own:
    gradients are zeroed in between and the weight never updated), and the running statistics
    after the step (PyTorch updates the running variance with the unbiased batch variance,
    the output uses the biased one). Then in evaluation mode, the output for another batch,
    normalised by the running statistics.
    """
    cases = []
    for features, momentum, sizes, offset, scale in BATCH_NORM_CASES:
        layer = nn.BatchNorm1d(features, momentum=momentum, dtype=DTYPE)
        weight = fixed(1.0 + randn(gen, features, scale=0.3))
        bias = randn(gen, features, scale=0.3)
        with torch.no_grad():
            layer.weight.copy_(weight)
            layer.bias.copy_(bias)
        layer.train()
        steps = []
        for rows in sizes:
            x = fixed(offset + randn(gen, rows, features, scale=scale)).requires_grad_(True)
            grad_output = randn(gen, rows, features)
            layer.zero_grad()
            output = layer(x)
            (output * grad_output).sum().backward()
            steps.append(
                {
                    "x": to_list(x.detach()),
                    "grad_output": to_list(grad_output),
                    "output": to_list(output.detach()),
                    "grad_input": to_list(x.grad),
                    "grad_weight": to_list(layer.weight.grad),
                    "grad_bias": to_list(layer.bias.grad),
                    "running_mean": to_list(layer.running_mean),
                    "running_var": to_list(layer.running_var),
                    "num_batches_tracked": int(layer.num_batches_tracked.item()),
                }
            )
        layer.eval()
        x = fixed(offset + randn(gen, 6, features, scale=scale))
        with torch.no_grad():
            output = layer(x)
        cases.append(
            {
                "features": features,
                "momentum": momentum,
                "eps": layer.eps,
                "weight": to_list(weight),
                "bias": to_list(bias),
                "train_steps": steps,
                "eval": {"x": to_list(x), "output": to_list(output)},
            }
        )
    return cases


#: The MLPs whose units are pictured: hidden widths, activation, outputs (1 output: a
#: regression, whose outputs stay values; more: a classifier, whose probe gives probabilities).
NEURON_NETWORKS = [
    ({"hidden": [16, 16], "activation": "relu"}, 2),
    ({"hidden": [4, 3], "activation": "tanh"}, 3),
    ({"hidden": [5], "activation": "elu", "alpha": 0.7}, 1),
]

#: The input plane the pictures cover, [-EXTENT, EXTENT] squared (the datasets' [-1, 1] and
#: a margin), and the cells per side of the grid in these cases.
PLANE_EXTENT, PICTURE_RESOLUTION = 1.2, 6


def plane_grid(resolution):
    """The centres of a resolution x resolution grid over the plane, rows from the top
    (y = +EXTENT) down, columns from the left, as ``[cells][2]`` float64."""
    step = 2 * PLANE_EXTENT / resolution
    centre = [-PLANE_EXTENT + (i + 0.5) * step for i in range(resolution)]
    return torch.tensor([[centre[column], -centre[row]] for row in range(resolution) for column in range(resolution)], dtype=DTYPE)


def neuron_pictures(gen):
    """``neuron_pictures.json``: what each unit of a small MLP outputs over a grid of the
    input plane, and the model's answer at a probe point.

    The hidden layer after linear layer k is what feeds linear layer k + 1: the units after
    their activation. Outputs are the last linear layer's, raw; the probe's are softmax
    probabilities for a classifier (more than one output), values otherwise.
    """
    cases = []
    for index, (config, outputs) in enumerate(NEURON_NETWORKS):
        torch.manual_seed(SEEDS["neuron_pictures"] * 100 + index)  # nn.Linear's initialisation
        model = mlp(config, outputs)
        grid = plane_grid(PICTURE_RESOLUTION)
        probe = uniform(gen, -1.0, 1.0, 1, IN_FEATURES)
        with torch.no_grad():
            hidden, x = [], grid
            for layer in model:
                if isinstance(layer, nn.Linear) and x is not grid:
                    hidden.append(to_list(x))
                x = layer(x)
            out = model(probe)
            answer = F.softmax(out, dim=1) if outputs > 1 else out
        cases.append(
            {
                "config": config,
                "outputs": outputs,
                "layers": linear_layers(model),
                "resolution": PICTURE_RESOLUTION,
                "grid": to_list(grid),
                "hidden": hidden,
                "output": to_list(x),
                "probe": {"x": to_list(probe[0]), "answer": to_list(answer[0])},
            }
        )
    return cases


# --------------------------------------------------------------------------- main

#: File name -> the function that computes its cases.

# --------------------------------------------------------------------------- image layers


def torch_layer(spec, shape):
    """The PyTorch module of one of Kindling's layers, written as its JSON (``{"layer":
    "Conv2d", "out_channels": 4, ...}``, PyTorch's argument names), taking a sample of
    ``shape`` (``[C, H, W]``; ``[H, W]`` is one channel); and the shape it gives."""
    kind = spec["layer"]
    image = [1] + list(shape) if len(shape) == 2 else list(shape)
    if kind == "Conv2d":
        layer = nn.Conv2d(
            image[0],
            spec["out_channels"],
            spec["kernel_size"],
            stride=spec.get("stride", 1),
            padding=spec.get("padding", 0),
            dilation=spec.get("dilation", 1),
            groups=spec.get("groups", 1),
            bias=spec.get("bias", True),
            dtype=DTYPE,
        )
    elif kind in ("MaxPool2d", "AvgPool2d"):
        cls = nn.MaxPool2d if kind == "MaxPool2d" else nn.AvgPool2d
        layer = cls(spec["kernel_size"], stride=spec.get("stride"), padding=spec.get("padding", 0))
    elif kind == "BatchNorm2d":
        layer = nn.BatchNorm2d(image[0], momentum=spec.get("momentum", 0.1), dtype=DTYPE)
    elif kind == "Dropout2d":
        layer = nn.Dropout2d(spec.get("p", 0.5))
    elif kind == "ReLU":
        layer = nn.ReLU()
    elif kind == "Tanh":
        layer = nn.Tanh()
    elif kind == "Flatten":
        layer = nn.Flatten()
    elif kind == "Linear":
        layer = nn.Linear(int(torch.tensor(shape).prod()), spec["out_features"], dtype=DTYPE)
    else:
        raise ValueError(f"no PyTorch layer for {kind}")
    with torch.no_grad():
        out = layer.eval()(torch.zeros(1, *(image if kind not in ("Flatten", "Linear") else shape), dtype=DTYPE))
    return layer.train(), list(out.shape[1:])


def state(module, prefix=""):
    """A module's parameters and buffers by PyTorch's names, as nested lists (PyTorch's
    layouts: a Linear's weight ``[out][in]``, a Conv2d's ``[out][in / groups][k][k]``);
    ``num_batches_tracked`` as an integer."""
    return {
        prefix + name: int(value.item()) if name.endswith("num_batches_tracked") else to_list(value.detach())
        for name, value in module.state_dict().items()
    }


def rounded(module):
    """Rounds every float parameter of ``module`` to 1e-12, as the JSON will hold it."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(fixed(p))
    return module


#: ``image_layers.json``'s cases: the layer as Kindling's JSON writes it, the shape of one
#: sample going in (``[H, W]``: one channel, written ``[1, H, W]`` in the file, as the digits' shape
#: is), the batch size, and whether the
#: layer runs in training mode.
IMAGE_LAYER_CASES = [
    ({"layer": "Conv2d", "out_channels": 4, "kernel_size": 3}, [3, 7, 7], 2, True),
    ({"layer": "Conv2d", "out_channels": 3, "kernel_size": 3, "stride": 2, "padding": 1}, [2, 8, 9], 2, True),
    ({"layer": "Conv2d", "out_channels": 4, "kernel_size": 3, "padding": 2, "dilation": 2, "bias": False}, [2, 9, 9], 2, True),
    ({"layer": "Conv2d", "out_channels": 6, "kernel_size": 3, "padding": 1, "groups": 2}, [4, 6, 6], 3, True),
    ({"layer": "Conv2d", "out_channels": 4, "kernel_size": 1, "groups": 4}, [4, 6, 5], 2, True),
    ({"layer": "Conv2d", "out_channels": 5, "kernel_size": 5, "stride": 3, "padding": 2}, [6, 6], 3, True),
    ({"layer": "Conv2d", "out_channels": 2, "kernel_size": 4, "stride": 3, "dilation": 2, "bias": False}, [3, 10, 10], 2, True),
    ({"layer": "MaxPool2d", "kernel_size": 2}, [2, 8, 8], 2, True),
    ({"layer": "MaxPool2d", "kernel_size": 3, "stride": 2, "padding": 1}, [3, 7, 7], 2, True),
    ({"layer": "MaxPool2d", "kernel_size": 2, "stride": 1}, [2, 6, 6], 2, True),
    ({"layer": "MaxPool2d", "kernel_size": 4, "stride": 3, "padding": 2}, [5, 5], 3, True),
    ({"layer": "AvgPool2d", "kernel_size": 2}, [2, 8, 8], 2, True),
    ({"layer": "AvgPool2d", "kernel_size": 3, "stride": 2, "padding": 1}, [3, 7, 7], 2, True),
    ({"layer": "AvgPool2d", "kernel_size": 3, "stride": 1, "padding": 1}, [1, 9, 7], 2, True),
    ({"layer": "AvgPool2d", "kernel_size": 4, "stride": 3, "padding": 2}, [5, 5], 3, True),
    ({"layer": "Dropout2d", "p": 0.0}, [3, 4, 4], 4, True),
    ({"layer": "Dropout2d", "p": 0.5}, [3, 4, 4], 4, False),
]


def image_layers(gen):
    """``image_layers.json``: ``nn.Conv2d``, ``nn.MaxPool2d``, ``nn.AvgPool2d`` and
    ``nn.Dropout2d`` (where it is the identity: p = 0, or evaluation) in float64.

    Each layer takes ``x`` of ``[batch, C, H, W]`` (N(0, 1)); a Conv2d's weight and bias are
    PyTorch's default initialisation (global RNG, seeded per case), rounded. Gradients are
    those of ``(output * grad_output).sum()`` (``grad_output`` ~ N(0, 1)).
    """
    cases = []
    for index, (spec, shape, batch, training) in enumerate(IMAGE_LAYER_CASES):
        torch.manual_seed(SEEDS["image_layers"] * 100 + index)
        layer, out_shape = torch_layer(spec, shape)
        layer = rounded(layer).train(training)
        image = [1] + shape if len(shape) == 2 else shape
        x = randn(gen, batch, *image).requires_grad_(True)
        grad_output = randn(gen, batch, *out_shape)
        output = layer(x)
        (output * grad_output).sum().backward()
        cases.append(
            {
                "layer": spec,
                "input_shape": image,
                "training": training,
                "params": state(layer),
                "x": to_list(x.detach()),
                "grad_output": to_list(grad_output),
                "output": to_list(output.detach()),
                "grad_input": to_list(x.grad),
                "grad_params": {name: to_list(p.grad) for name, p in layer.named_parameters()},
            }
        )
    return cases


#: ``batch_norm_2d.json``'s cases: channels, height, width, momentum, the batch sizes of the
#: training steps in order, and an offset and scale for the inputs (see ``BATCH_NORM_CASES``).
BATCH_NORM_2D_CASES = [
    (3, 4, 4, 0.1, [2, 2, 2], 0.0, 1.0),
    (2, 3, 5, 0.3, [4, 4, 1], 2.0, 0.5),
    (4, 2, 2, 0.1, [8, 8, 3], -1.0, 3.0),
]


def batch_norm_2d(gen):
    """``batch_norm_2d.json``: ``nn.BatchNorm2d(C, momentum=m)`` (eps 1e-5) in float64, as
    ``batch_norm.json``'s steps but on images: each channel normalised over the batch and every
    position (n = batch · H · W for the unbiased running variance); the last step may be a
    batch of one image, which PyTorch normalises over its positions."""
    cases = []
    for channels, height, width, momentum, sizes, offset, scale in BATCH_NORM_2D_CASES:
        layer = nn.BatchNorm2d(channels, momentum=momentum, dtype=DTYPE)
        weight = fixed(1.0 + randn(gen, channels, scale=0.3))
        bias = randn(gen, channels, scale=0.3)
        with torch.no_grad():
            layer.weight.copy_(weight)
            layer.bias.copy_(bias)
        layer.train()
        steps = []
        for rows in sizes:
            x = fixed(offset + randn(gen, rows, channels, height, width, scale=scale)).requires_grad_(True)
            grad_output = randn(gen, rows, channels, height, width)
            layer.zero_grad()
            output = layer(x)
            (output * grad_output).sum().backward()
            steps.append(
                {
                    "x": to_list(x.detach()),
                    "grad_output": to_list(grad_output),
                    "output": to_list(output.detach()),
                    "grad_input": to_list(x.grad),
                    "grad_weight": to_list(layer.weight.grad),
                    "grad_bias": to_list(layer.bias.grad),
                    "running_mean": to_list(layer.running_mean),
                    "running_var": to_list(layer.running_var),
                    "num_batches_tracked": int(layer.num_batches_tracked.item()),
                }
            )
        layer.eval()
        x = fixed(offset + randn(gen, 3, channels, height, width, scale=scale))
        with torch.no_grad():
            output = layer(x)
        cases.append(
            {
                "input_shape": [channels, height, width],
                "momentum": momentum,
                "eps": layer.eps,
                "weight": to_list(weight),
                "bias": to_list(bias),
                "train_steps": steps,
                "eval": {"x": to_list(x), "output": to_list(output)},
            }
        )
    return cases


#: ``cnn_training.json``'s runs: the Network's layers as Kindling's JSON writes them, the
#: shape of one sample, the classes, the optimizer (as ``training_step.json``'s), and the
#: batches and their size.
CNN_RUNS = [
    (
        [
            {"layer": "Conv2d", "out_channels": 4, "kernel_size": 3, "padding": 1},
            {"layer": "ReLU"},
            {"layer": "MaxPool2d", "kernel_size": 2},
            {"layer": "Flatten"},
            {"layer": "Linear", "out_features": 10},
        ],
        [8, 8],
        10,
        {"kind": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": False, "weight_decay": 0.0},
        6,
        8,
    ),
    (
        [
            {"layer": "Conv2d", "out_channels": 6, "kernel_size": 3, "stride": 2, "padding": 1, "bias": False},
            {"layer": "BatchNorm2d", "momentum": 0.1},
            {"layer": "ReLU"},
            {"layer": "AvgPool2d", "kernel_size": 2},
            {"layer": "Flatten"},
            {"layer": "Linear", "out_features": 3},
        ],
        [2, 8, 8],
        3,
        {"kind": "adam", "lr": 0.01, "weight_decay": 0.0},
        5,
        6,
    ),
    (
        [
            {"layer": "Conv2d", "out_channels": 4, "kernel_size": 3, "padding": 2, "dilation": 2, "groups": 2},
            {"layer": "Tanh"},
            {"layer": "MaxPool2d", "kernel_size": 3, "stride": 2, "padding": 1},
            {"layer": "Dropout2d", "p": 0.0},
            {"layer": "Flatten"},
            {"layer": "Linear", "out_features": 4},
        ],
        [2, 7, 7],
        4,
        {"kind": "sgd", "lr": 0.05, "momentum": 0.0, "nesterov": False, "weight_decay": 0.001},
        5,
        4,
    ),
]


def cnn_training(gen):
    """``cnn_training.json``: short training runs of small CNNs (``CNN_RUNS``), an
    ``nn.Sequential`` named ``layers`` in float64 from PyTorch's default initialisation (global
    RNG, seeded per run), rounded. Each batch: x ~ N(0, 1) of ``[batch, C, H, W]``, y a class
    index; forward, cross-entropy (mean), backward, the optimizer's step, zeroed gradients."""
    cases = []
    for index, (specs, shape, classes, optimizer, batches, batch_size) in enumerate(CNN_RUNS):
        torch.manual_seed(SEEDS["cnn_training"] * 100 + index)
        layers, current = [], shape
        for spec in specs:
            layer, current = torch_layer(spec, current)
            layers.append(layer)
        model = rounded(nn.Sequential(*layers)).train()
        assert current == [classes]
        initial = state(model, "layers.")
        opt = optimizer_of(model, optimizer)
        image = [1] + shape if len(shape) == 2 else shape
        losses, json_batches = [], []
        for _ in range(batches):
            x = randn(gen, batch_size, *image)
            y = torch.tensor(randint(gen, classes, batch_size))
            loss = F.cross_entropy(model(x), y)
            losses.append(rnd(loss.item()))
            loss.backward()
            opt.step()
            opt.zero_grad()
            json_batches.append({"x": to_list(x), "y": y.tolist()})
        cases.append(
            {
                "layers": specs,
                "input_shape": image,
                "classes": classes,
                "optimizer": optimizer,
                "initial": initial,
                "batches": json_batches,
                "loss_per_batch": losses,
                "final": state(model, "layers."),
            }
        )
    return cases


FILES = {
    "cross_entropy.json": cross_entropy,
    "mse.json": mse,
    "accuracy.json": accuracy,
    "optimizers.json": optimizers,
    "clip_grad_norm.json": clip_grad_norm,
    "lr_schedulers.json": lr_schedulers,
    "training_step.json": training_step,
    "classification_metrics.json": classification_metrics,
    "batch_norm.json": batch_norm,
    "neuron_pictures.json": neuron_pictures,
    "layer_norms.json": layer_norms,
    "image_layers.json": image_layers,
    "batch_norm_2d.json": batch_norm_2d,
    "cnn_training.json": cnn_training,
}


def differences(expected, actual, where, tolerance=1e-10):
    """Where `actual` differs from `expected`: another structure, or a number further than
    `tolerance` (relative, or absolute near zero): the last digits of float64 results may
    differ between machines, anything more is a change in semantics."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        if list(expected) != list(actual):
            return [f"{where}: keys {list(actual)}, committed {list(expected)}"]
        return [d for key in expected for d in differences(expected[key], actual[key], f"{where}.{key}", tolerance)]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(actual)} items, committed {len(expected)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{where}[{i}]", tolerance)]
    numbers = (int, float)
    if isinstance(expected, numbers) and isinstance(actual, numbers) and not isinstance(expected, bool):
        if abs(expected - actual) <= tolerance * max(1.0, abs(expected)):
            return []
    elif expected == actual:
        return []
    return [f"{where}: {actual!r}, committed {expected!r}"]


def main(argv):
    """Compute every file and write it into OUT_DIR (default: this script's folder); with
    --check, compare with the files there instead and fail on any difference."""
    check = "--check" in argv
    argv = [arg for arg in argv if arg != "--check"]
    out_dir = argv[1] if len(argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    if not check:
        os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    print(f"torch {torch.__version__}", file=sys.stderr)
    found = []
    for name, compute in FILES.items():
        gen = torch.Generator().manual_seed(SEEDS[name.removesuffix(".json")])
        cases = compute(gen)
        path = os.path.join(out_dir, name)
        if check:
            try:
                with open(path, encoding="utf-8") as f:
                    committed = json.load(f)
            except OSError as error:
                found.append(f"{path}: {error}")
                continue
            # Through JSON and back, as the committed file went.
            found += differences(committed, json.loads(json.dumps(cases)), name)
            continue
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            json.dump(cases, f, indent=1, allow_nan=False)
            f.write("\n")
        print(f"{path}: {len(cases)} cases", file=sys.stderr)
    if found:
        print(f"the golden files in {out_dir} differ from what this script computes:", file=sys.stderr)
        for line in found[:20]:
            print(f"  {line}", file=sys.stderr)
        print(f"  ({len(found)} differences) — regenerate with python golden/generate.py", file=sys.stderr)
        sys.exit(1)
    if check:
        print(f"the golden files in {out_dir} are what this script computes", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
