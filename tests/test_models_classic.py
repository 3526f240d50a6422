"""Classic classification models against torchvision: names, parameter counts, outputs.

Heavy things run on the "meta" device (shapes only) wherever values are not needed;
value comparisons use one small image.
"""

import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

from lecture_models.models import (
    get_model, list_models, lenet5, alexnet, vgg11, vgg13, vgg16, vgg19, googlenet,
    resnet18, resnet34, resnet50, resnet101, resnet152,
)
from lecture_models.models.googlenet import GoogLeNetOutputs
from lecture_models.summary import format_markdown, summary, weighted_depth
from sitebuild.tables import (
    architecture_rows, architecture_table, vgg_macs_by_resolution, vgg_macs_by_resolution_rows,
)

tvm = torchvision.models
NNBSP = "\u202f"


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# ours, torchvision's (both built with weights=None and torchvision's defaults otherwise)
PAIRS = {
    "alexnet": (lambda: alexnet(), lambda: tvm.alexnet()),
    "vgg11": (lambda: vgg11(), lambda: tvm.vgg11()),
    "vgg13": (lambda: vgg13(), lambda: tvm.vgg13()),
    "vgg16": (lambda: vgg16(), lambda: tvm.vgg16()),
    "vgg19": (lambda: vgg19(), lambda: tvm.vgg19()),
    "vgg11_bn": (lambda: vgg11(batch_norm=True), lambda: tvm.vgg11_bn()),
    "vgg16_bn": (lambda: vgg16(batch_norm=True), lambda: tvm.vgg16_bn()),
    "googlenet": (lambda: googlenet(), lambda: tvm.googlenet(aux_logits=False, init_weights=False)),
    "googlenet_aux": (lambda: googlenet(aux_logits=True), lambda: tvm.googlenet(aux_logits=True, init_weights=False)),
    "resnet18": (lambda: resnet18(), lambda: tvm.resnet18()),
    "resnet34": (lambda: resnet34(), lambda: tvm.resnet34()),
    "resnet50": (lambda: resnet50(), lambda: tvm.resnet50()),
    "resnet101": (lambda: resnet101(), lambda: tvm.resnet101()),
    "resnet152": (lambda: resnet152(), lambda: tvm.resnet152()),
}


@pytest.mark.parametrize("name", list(PAIRS))
def test_state_dict_names_shapes_and_counts_equal_torchvision(name):
    ours_fn, ref_fn = PAIRS[name]
    with torch.device("meta"):
        ours, ref = ours_fn(), ref_fn()
    ours_sd, ref_sd = ours.state_dict(), ref.state_dict()
    assert list(ours_sd) == list(ref_sd)  # same names, same order
    assert {k: tuple(v.shape) for k, v in ours_sd.items()} == {k: tuple(v.shape) for k, v in ref_sd.items()}
    assert n_params(ours) == n_params(ref)


def test_well_known_parameter_counts():
    with torch.device("meta"):
        counts = {f.__name__: n_params(f()) for f in (alexnet, vgg16, googlenet, resnet18, resnet50)}
    assert counts == {"alexnet": 61_100_840, "vgg16": 138_357_544, "googlenet": 6_624_904,
                      "resnet18": 11_689_512, "resnet50": 25_557_032}
    assert n_params(lenet5()) == 61_706  # 156 + 2416 + 48120 + 10164 + 850


def _randomise_batchnorm(model: nn.Module) -> None:
    """Give BN non-trivial statistics, so that a wrong eps or a missing BN would show."""
    g = torch.Generator().manual_seed(1)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(0.1 * torch.randn(m.num_features, generator=g))
            m.running_var.copy_(0.5 + torch.rand(m.num_features, generator=g))
            m.weight.data.copy_(1 + 0.1 * torch.randn(m.num_features, generator=g))
            m.bias.data.copy_(0.1 * torch.randn(m.num_features, generator=g))


# one image each; 64x64 keeps VGG/ResNet/GoogLeNet cheap and still runs every layer
TRANSFER = [("alexnet", 224), ("vgg16", 64), ("googlenet", 64), ("resnet18", 64), ("resnet50", 64)]


@pytest.mark.parametrize("name,size", TRANSFER)
def test_torchvision_weights_load_strictly_and_outputs_match(name, size):
    ours_fn, ref_fn = PAIRS[name]
    torch.manual_seed(0)
    ref = ref_fn().eval()
    with torch.no_grad():
        _randomise_batchnorm(ref)
    ours = ours_fn().eval()
    ours.load_state_dict(ref.state_dict(), strict=True)
    x = torch.randn(1, 3, size, size)
    with torch.no_grad():
        expected, got = ref(x), ours(x)
    assert got.shape == expected.shape == (1, 1000)
    diff = (got - expected).abs().max().item()
    assert diff <= 1e-4 and diff <= 1e-4 * expected.abs().max().item()  # GoogLeNet's logits are ~0.03


def test_googlenet_aux_logits_match_torchvision_in_training_mode():
    torch.manual_seed(0)
    ref = tvm.googlenet(aux_logits=True, init_weights=False, dropout=0.0, dropout_aux=0.0).train()
    ours = googlenet(aux_logits=True, dropout=0.0, dropout_aux=0.0).train()
    ours.load_state_dict(ref.state_dict(), strict=True)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        expected, got = ref(x), ours(x)
    assert isinstance(got, GoogLeNetOutputs)
    for a, b in zip(got, expected):
        assert a.shape == (2, 1000)
        torch.testing.assert_close(a, b, atol=1e-4, rtol=0)
    ours.eval()
    assert ours(x).shape == (2, 1000)  # no auxiliary outputs at inference


def test_googlenet_transform_input_matches_torchvision():
    """torchvision's pretrained GoogLeNet re-normalises its input (transform_input=True, set
    whenever weights= is given); with the flag, ours gives the same logits on the same weights.
    A random GoogLeNet's logits hardly depend on the input, so the first block's output is
    compared too: there the flag's effect is large."""
    torch.manual_seed(0)
    ref = tvm.googlenet(aux_logits=False, init_weights=False, transform_input=True).eval()
    with torch.no_grad():
        _randomise_batchnorm(ref)
    models = {"ref": ref, "ours": googlenet(transform_input=True).eval(), "plain": googlenet().eval()}
    stem = {}
    for name, m in models.items():
        if m is not ref:
            m.load_state_dict(ref.state_dict(), strict=True)
        m.conv1.register_forward_hook(lambda mod, inp, out, name=name: stem.__setitem__(name, out))
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        logits = {name: m(x) for name, m in models.items()}
    torch.testing.assert_close(stem["ours"], stem["ref"], atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(logits["ours"], logits["ref"], atol=1e-6, rtol=0)
    assert (stem["plain"] - stem["ref"]).abs().max() > 0.1 * stem["ref"].abs().max()  # the flag matters
    with pytest.raises(ValueError, match="transform_input"):
        googlenet(in_channels=1, transform_input=True)


# builder, typical input (C, H, W), default number of classes
TYPICAL = [
    (lenet5, (1, 28, 28), 10), (lenet5, (1, 32, 32), 10), (alexnet, (3, 224, 224), 1000),
    (vgg11, (3, 224, 224), 1000), (vgg13, (3, 224, 224), 1000), (vgg16, (3, 224, 224), 1000),
    (vgg19, (3, 224, 224), 1000), (googlenet, (3, 224, 224), 1000), (resnet18, (3, 224, 224), 1000),
    (resnet34, (3, 224, 224), 1000), (resnet50, (3, 224, 224), 1000), (resnet101, (3, 224, 224), 1000),
    (resnet152, (3, 224, 224), 1000),
]


@pytest.mark.parametrize("builder,size,classes", TYPICAL, ids=lambda v: getattr(v, "__name__", str(v)))
def test_output_shapes(builder, size, classes):
    with torch.device("meta"):  # shapes only: VGG-19 at 224x224 costs nothing
        assert builder().eval()(torch.zeros(2, *size)).shape == (2, classes)
        assert builder(num_classes=7, in_channels=5).eval()(torch.zeros(2, 5, *size[1:])).shape == (2, 7)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("pooling", ["max", "avg"])
def test_lenet_on_28x28_equals_padded_convolution(activation, pooling):
    model = lenet5(activation=activation, pooling=pooling).eval()
    x = torch.randn(3, 1, 28, 28)
    act = torch.relu if activation == "relu" else torch.tanh
    pool = F.max_pool2d if pooling == "max" else F.avg_pool2d
    y = pool(act(F.conv2d(x, model.c1.weight, model.c1.bias, padding=2)), 2)  # (3, 6, 14, 14)
    y = pool(act(F.conv2d(y, model.c3.weight, model.c3.bias)), 2).flatten(1)  # (3, 400)
    y = act(F.linear(y, model.c5.weight, model.c5.bias))
    y = act(F.linear(y, model.f6.weight, model.f6.bias))
    y = F.linear(y, model.output.weight, model.output.bias)
    with torch.no_grad():
        torch.testing.assert_close(model(x), y)


# small inputs, batch 2 (BatchNorm needs more than one value per channel in training mode)
GRADIENT = [
    (lambda: lenet5(activation="tanh", pooling="avg"), 28), (lenet5, 32), (alexnet, 63),
    (lambda: vgg11(batch_norm=True), 32), (lambda: googlenet(aux_logits=True), 32),
    (resnet18, 32), (resnet50, 32),
]


@pytest.mark.parametrize("builder,size", GRADIENT)
def test_every_parameter_gets_a_finite_gradient(builder, size):
    torch.manual_seed(0)
    model = builder().train()
    c = model.in_channels
    out = model(torch.randn(2, c, size, size))
    loss = sum(o.square().mean() for o in out) if isinstance(out, tuple) else out.square().mean()
    loss.backward()
    for name, p in model.named_parameters():
        assert p.grad is not None, name
        assert torch.isfinite(p.grad).all(), name
    assert any(p.grad.abs().sum() > 0 for p in model.parameters())


@pytest.mark.parametrize("builder", [lenet5, alexnet, vgg11, vgg16, vgg19, googlenet, resnet18, resnet34, resnet50])
@pytest.mark.parametrize("kwargs,match", [
    ({"num_classes": 0}, "num_classes must be a positive integer, got 0"),
    ({"num_classes": -3}, "num_classes must be a positive integer"),
    ({"num_classes": 2.5}, "num_classes must be a positive integer"),
    ({"num_classes": True}, "num_classes must be a positive integer"),
    ({"in_channels": 0}, "in_channels must be a positive integer, got 0"),
])
def test_bad_arguments_raise_value_error(builder, kwargs, match):
    with pytest.raises(ValueError, match=match):
        builder(**kwargs)


def test_bad_choices_and_positional_arguments():
    with pytest.raises(ValueError, match="activation must be one of 'relu', 'tanh'"):
        lenet5(activation="sigmoid")
    with pytest.raises(ValueError, match="pooling must be one of"):
        lenet5(pooling="min")
    with pytest.raises(TypeError):  # keyword-only, like torchvision
        resnet18(10)


@pytest.mark.parametrize("builder,shape,match", [
    (lenet5, (1, 1, 64, 64), "LeNet-5 needs 28x28 \\(padded\\) or 32x32 input, got 64x64"),
    (lenet5, (1, 1, 28, 32), "got 28x32"),
    (lenet5, (1, 3, 28, 28), "LeNet-5 expects 1 input channels, got 3"),
    (alexnet, (1, 3, 62, 62), "AlexNet needs inputs of at least 63x63, got 62x62"),
    (vgg16, (1, 3, 31, 64), "VGG needs inputs of at least 32x32, got 31x64"),
    (googlenet, (1, 3, 14, 14), "GoogLeNet needs inputs of at least 15x15"),
    (resnet18, (1, 3, 16, 16), "ResNet needs inputs of at least 32x32, got 16x16"),
    (resnet50, (3, 224, 224), "expects a 4-D batch"),
])
def test_bad_inputs_raise_value_error(builder, shape, match):
    with torch.device("meta"):
        model = builder().eval()
        with pytest.raises(ValueError, match=match):
            model(torch.zeros(shape))


def test_registry():
    names = list_models()
    assert names == sorted(names)
    expected = {"lenet5", "alexnet", "vgg11", "vgg13", "vgg16", "vgg19", "googlenet",
                "resnet18", "resnet34", "resnet50", "resnet101", "resnet152"}
    assert expected <= set(names)
    model = get_model("resnet18", num_classes=10)
    assert model.fc.out_features == 10
    assert isinstance(get_model("lenet5"), nn.Module)
    with pytest.raises(ValueError, match="unknown model 'resnet9'; known models: .*alexnet.*resnet18"):
        get_model("resnet9")


def test_summary_of_lenet():
    s = summary(lenet5(), (1, 28, 28))
    rows = {r.name: r for r in s.rows}
    assert rows["c1"].output_shape == (1, 6, 28, 28)
    assert rows["s4"].output_shape == (1, 16, 5, 5)
    assert rows["output"].output_shape == (1, 10)
    assert rows["c1"].macs == 28 * 28 * 6 * 5 * 5  # H' W' C_out C_in k k
    assert rows["c3"].macs == 10 * 10 * 16 * 6 * 5 * 5
    assert s.total_macs == 117_600 + 240_000 + 48_000 + 10_080 + 840
    assert s.total_params == sum(r.params for r in s.rows) == 61_706
    table = format_markdown(s)
    assert f"61{NNBSP}706" in table and "1×6×28×28" in table



def test_summary_counts_a_transposed_convolution_like_the_convolution_it_transposes():
    """The adjoint of a conv does its MACs: input pixels x C_in x (C_out / groups) x k x k per image."""
    up = nn.ConvTranspose2d(6, 4, 4, stride=2, padding=1, groups=2)  # 7x7 -> 14x14
    down = nn.Conv2d(4, 6, 4, stride=2, padding=1, groups=2)  # 14x14 -> 7x7
    s_up, s_down = summary(nn.Sequential(up), (2, 6, 7, 7)), summary(nn.Sequential(down), (2, 4, 14, 14))
    assert s_up.rows[0].output_shape == (2, 4, 14, 14) and s_down.rows[0].output_shape == (2, 6, 7, 7)
    assert s_up.total_macs == s_down.total_macs == 7 * 7 * 6 * 2 * 4 * 4

@pytest.mark.parametrize("builder,size", [(alexnet, 224), (vgg16, 224), (googlenet, 224), (resnet50, 224)])
def test_summary_totals_equal_parameter_count(builder, size):
    with torch.device("meta"):
        model = builder()
    s = summary(model, (1, 3, size, size))
    assert s.total_params == s.trainable_params == sum(r.params for r in s.rows) == n_params(model)
    # conv + linear MACs; torchvision's metadata rounds the same count to 0.714, 15.47, 1.498, 4.089 G
    expected = {"alexnet": 0.714, "vgg16": 15.47, "googlenet": 1.498, "resnet50": 4.089}[builder.__name__]
    assert math.isclose(s.total_macs / 1e9, expected, abs_tol=0.005)


@pytest.mark.parametrize("builder,depth", [
    (lenet5, 5), (alexnet, 8), (vgg11, 11), (vgg19, 19), (googlenet, 22),
    (resnet18, 18), (resnet34, 34), (resnet50, 50), (resnet152, 152),
])
def test_weighted_depth_matches_the_names(builder, depth):
    with torch.device("meta"):
        model = builder()
    size = (1, 32, 32) if builder is lenet5 else (3, 224, 224)
    assert weighted_depth(model, size) == depth


def test_architecture_table():
    rows = {r["name"]: r for r in architecture_rows()}
    assert {k: r["params"] for k, r in rows.items()} == {
        "LeNet-5": 61_706, "AlexNet": 61_100_840, "VGG-16": 138_357_544, "GoogLeNet": 6_624_904,
        "ResNet-18": 11_689_512, "ResNet-50": 25_557_032}
    assert {k: r["depth"] for k, r in rows.items()} == {
        "LeNet-5": 5, "AlexNet": 8, "VGG-16": 16, "GoogLeNet": 22, "ResNet-18": 18, "ResNet-50": 50}
    assert rows["AlexNet"]["kernel_sizes"] == [(11, 11), (5, 5), (3, 3)]
    table = architecture_table()
    assert table.startswith("| Modelo | Año | Entrada | Capas con pesos | Tamaños de filtro | Parámetros | MACs | Referencia |")
    for n in ("61 706", "61 100 840", "138 357 544", "6 624 904", "11 689 512", "25 557 032"):
        assert n.replace(" ", NNBSP) in table
    assert "11×11, 5×5, 3×3" in table


def test_vgg16_compute_sits_at_56_and_28_not_at_224():
    """Lecture 4's VGG table: per resolution, MACs by hand (n² · C_out · C_in · 9) and shares."""
    rows = {r["side"]: r for r in vgg_macs_by_resolution_rows()}
    assert list(rows) == [224, 112, 56, 28, 14, "dense"]
    convs = {224: [(3, 64), (64, 64)], 112: [(64, 128), (128, 128)], 56: [(128, 256)] + [(256, 256)] * 2,
             28: [(256, 512)] + [(512, 512)] * 2, 14: [(512, 512)] * 3}
    for side, layers in convs.items():
        assert rows[side]["layers"] == len(layers)
        assert rows[side]["macs"] == sum(side * side * c_out * c_in * 9 for c_in, c_out in layers)
    assert rows["dense"]["macs"] == 25_088 * 4096 + 4096 * 4096 + 4096 * 1000
    assert math.isclose(sum(r["macs_share"] for r in rows.values()), 1.0, rel_tol=1e-12)
    assert math.isclose(sum(r["params_share"] for r in rows.values()), 1.0, rel_tol=1e-12)
    shares = {k: round(100 * r["macs_share"], 1) for k, r in rows.items()}
    assert shares == {224: 12.5, 112: 17.9, 56: 29.9, 28: 29.9, 14: 9.0, "dense": 0.8}
    assert max(shares, key=shares.get) in (56, 28) and shares[56] + shares[28] > 55
    assert rows["dense"]["params_share"] > 0.85  # the parameters are in the dense layers
    table = vgg_macs_by_resolution()
    assert "| 56×56 | 3 |" in table and "29,9\u00a0%" in table and "| densas | 3 |" in table
