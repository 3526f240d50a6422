"""demos/sd_demos.py natively: what the three miniature-SD widgets get, and every bad input's message."""
import io
import json
from pathlib import Path

import numpy as np
import pytest

from demos import bridge, netdemos, nn, sd_demos, vocabulary
from demos import miniature_sd as msd
from demos.errors import InputError

MODELS = Path(__file__).resolve().parents[1] / "docs" / "assets" / "models"


@pytest.fixture(scope="module", autouse=True)
def loaded():
    for name in ("clip", "latent_ae", "latent_unet"):
        data = np.frombuffer((MODELS / f"{name}.npz").read_bytes(), dtype=np.uint8)
        netdemos.load(name, data)


def _call(func, *args, **kwargs):
    return bridge.call("demos.sd_demos", func, list(args), kwargs)


def test_clip_scores_are_a_softmax_of_scaled_cosines_and_name_unknown_words():
    r = sd_demos.clip_scores([vocabulary.caption(d) for d in range(10)] + ["un siete morado"], sample=0)
    assert abs(r["probs"].sum() - 1) < 1e-5
    expected = nn.softmax(r["cosine"] / r["temperature"])
    np.testing.assert_allclose(r["probs"], expected, atol=1e-6)
    label = int(netdemos._get("clip")["sd"]["samples.labels"][0])
    assert int(np.argmax(r["probs"][:10])) == label
    assert any("«morado» no está en el vocabulario" in n for n in r["notes"]["un siete morado"])
    a = sd_demos.clip_attention(r["layers"] - 1, -1)
    assert a["map"].shape == (7, 7) and abs(a["map"].sum() + a["to_itself"] - 1) < 1e-5


def test_blank_drawing_and_no_captions_are_input_errors_with_their_field():
    rec = _call("clip_scores", ["un siete"], image=np.zeros((280, 280), dtype=np.uint8))["__error__"]
    assert rec["kind"] == "input" and rec["code"] == "blank_drawing" and "vacío" in rec["message"]
    rec = _call("clip_scores", [], sample=0)["__error__"]
    assert rec["field"] == "captions"


def test_similarity_matrix_rows_are_distributions_with_the_diagonal_winning():
    m = sd_demos.clip_matrix(8)
    np.testing.assert_allclose(m["row_probs"].sum(1), 1, atol=1e-5)
    # digits that share a caption tie; each row's best is a column with its own caption
    best = m["row_probs"].argmax(1)
    assert all(m["captions"][b] == m["captions"][i] for i, b in enumerate(best))


def test_latent_views_interpolation_and_noise():
    v = sd_demos.latent_view(sample=3)
    assert v["latent"].shape == (4, 8, 8) and v["decoded"].shape == (28, 28)
    line = sd_demos.latent_interpolate(0, 1, 5)
    ae = netdemos._get("latent_ae")["model"]
    a = sd_demos._digit(sample=0)[None, None]
    np.testing.assert_allclose(line["latent"][0], ae.decode(ae.encode(a))[0, 0], atol=1e-6)  # the line starts at A
    assert line["pixels"].shape == (5, 28, 28)
    n = sd_demos.latent_noise(0, 0.0)
    np.testing.assert_allclose(n["pixels"], sd_demos._digit(sample=0), atol=1e-6)
    with pytest.raises(InputError):
        sd_demos.latent_noise(0, 5)


def _sample(prompt, steps=25, **kw):
    r = sd_demos.t2i_start(prompt, 3.0, steps, 0, **kw)
    out = r
    while not out["done"]:
        out = sd_demos.t2i_step()
        for maps in [out["attention"]] + ([out["attention_other"]] if "attention_other" in out else []):
            np.testing.assert_allclose(maps.sum(0), 1, atol=1e-5)  # every position's weights over the tokens
    return r, out


def test_text_to_image_equals_the_sampler_and_every_attention_map_sums_to_one():
    start, last = _sample("un siete inclinado a la derecha", steps=10)
    assert start["words"] == [["un", "siete", "inclinado", "a", "la", "derecha"]]
    assert last["attention"].shape == (7, 8, 8) and last["tokens"][-1] == "<fin>"
    clip, unet, ae = (netdemos._get(n)["model"] for n in ("clip", "latent_unet", "latent_ae"))
    ctx, mask = clip.token_states(msd.token_ids(["un siete inclinado a la derecha"]))
    null, null_mask = clip.token_states(msd.token_ids([""]))
    z_T = np.random.default_rng(0).standard_normal((1, 4, 8, 8)).astype(np.float32)
    ab = netdemos._get("latent_unet")["sd"]["schedule.alphas_cumprod"]
    z = msd.LatentSampler(unet, ab, ctx, mask, null, null_mask, z_T=z_T, timesteps=nn.ddim_timesteps(1000, 10)).run()
    np.testing.assert_allclose(last["sample"], ae.decode(z)[0, 0], atol=1e-6)


def test_two_prompts_share_the_noise_and_the_first_is_the_single_sample():
    _, single = _sample("un tres", steps=5)
    _, pair = _sample("un tres", steps=5, other="un ocho")
    np.testing.assert_allclose(pair["sample"], single["sample"], atol=1e-5)
    assert "sample_other" in pair and np.abs(pair["sample_other"] - pair["sample"]).max() > 0.1


def test_prompt_messages_empty_unknown_and_too_long():
    empty = sd_demos.prompt_notes("")
    assert any("texto vacío" in n and "incondicional" in n for n in empty["notes"])
    unknown = sd_demos.prompt_notes("un sieet azul")
    assert unknown["unknown"] == ["sieet", "azul"] and "«siete»" in unknown["notes"][0]
    long = sd_demos.prompt_notes("un siete grueso inclinado a la derecha y fino")
    assert any("se ignoran las últimas" in n and "fino" in n for n in long["notes"])
    start = sd_demos.t2i_start("hola", 3.0, 2, 0)  # unknown words only: the empty prompt, said so
    assert any("incondicional" in n for n in start["notes"][0])


def test_img2img_strength_zero_is_the_reconstruction_and_bad_input_is_named():
    drawing = np.zeros((280, 280), dtype=np.uint8)
    drawing[60:220, 130:150] = 255  # a «1»
    r = sd_demos.t2i_start("un siete", 3.0, 25, 0, image=drawing, strength=0.0)
    ae = netdemos._get("latent_ae")["model"]
    assert r["done"] and r["timesteps"] == []
    np.testing.assert_allclose(r["sample"], ae.decode(ae.encode(r["start"][None, None]))[0, 0], atol=1e-6)
    r = sd_demos.t2i_start("un siete", 3.0, 20, 0, image=drawing, strength=0.5)
    assert len(r["timesteps"]) == 10
    held_out = sd_demos._digit(sample=2)  # img2img from a held-out digit (no drawing: keyboard only)
    r = sd_demos.t2i_start("un siete", 3.0, 25, 0, sample=2, strength=0.0)
    np.testing.assert_allclose(r["start"], held_out)
    np.testing.assert_allclose(r["sample"], ae.decode(ae.encode(held_out[None, None]))[0, 0], atol=1e-6)
    for kwargs, field, code in [({"image": drawing, "strength": 1.5}, "strength", "out_of_range"),
                                ({"image": np.zeros((280, 280), np.uint8), "strength": 0.5}, "image", "blank_drawing"),
                                ({"image": None, "strength": 0.5}, "image", "blank_drawing")]:
        rec = _call("t2i_start", "un siete", 3.0, 25, 0, **kwargs)["__error__"]
        assert rec["kind"] == "input" and rec["field"] == field and rec["code"] == code, rec
    rec = _call("t2i_start", "un siete", 3.0, 0, 0)["__error__"]
    assert rec["field"] == "steps"


def test_missing_or_mismatched_weights_say_which_command_makes_them():
    with np.load(MODELS / "clip.npz") as z:
        arrays = {k: z[k] for k in z.files}
    cfg = json.loads(str(arrays["__config__"]))
    cfg["words"] = cfg["words"][:-1] + ["otra"]
    arrays["__config__"] = np.array(json.dumps(cfg))
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    netdemos._NETS.pop("clip", None)
    try:
        rec = bridge.call("demos.netdemos", "load", ["clip", None])["__error__"]
        assert rec["kind"] == "input" and "python -m lecture_models figures --only miniature_sd" in rec["message"]
        rec = bridge.call("demos.netdemos", "load", ["clip", np.frombuffer(buf.getvalue(), dtype=np.uint8)])["__error__"]
        assert rec["code"] == "mismatched_file" and "otro vocabulario" in rec["message"]
        rec = _call("clip_matrix", 4)["__error__"]
        assert rec["code"] == "not_loaded" and "miniature_sd" in rec["message"]
    finally:
        netdemos.load("clip", np.frombuffer((MODELS / "clip.npz").read_bytes(), dtype=np.uint8))
