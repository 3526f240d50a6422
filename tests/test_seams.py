"""Small guards at the seams where a one-word slip would pass everything else.

Each test here was seen failing with its bug planted: the grader's student line (the
innermost frame), the figure manifest's checks on bad output, the figure runs' seeds, and
the digit's centre of mass (rows vs columns). The grader's float marking as JavaScript
reads it is guarded in test_exercises.py (test_encode_decode_round_trip_is_exact).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from demos import grader, nn

ROOT = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------ grader: where it failed

HELPER_SPEC = {"function": "f", "time_limit": 2.0,
               "cases": [{"name": "uno", "args": {"n": 3}, "expected": 3}]}
HELPER_CODE = ("def ayuda(xs):\n"        # 1
               "    return xs[10]\n"     # 2  <- the IndexError happens here
               "\n"                      # 3
               "def f(n):\n"             # 4
               "    xs = list(range(n))\n"  # 5
               "    return ayuda(xs)\n")    # 6  <- the call


def test_grader_reports_the_innermost_student_line_in_a_helper():
    """An error inside a helper is reported where it happened (line 2), not at the call (6)."""
    out = grader.check(HELPER_CODE, json.loads(json.dumps(HELPER_SPEC)))
    assert out["status"] == "error" and out["code"] == "exception"
    assert out["line"] == 2, out
    assert out["message"].endswith("(línea 2 de tu código)")
    assert out["message"].startswith("Caso «uno» (n=3): IndexError:")
    tb = out["traceback"]
    assert tb.index('line 6, in f') < tb.index('line 2, in ayuda')  # both frames, call first
    ran = grader.run(HELPER_CODE, json.loads(json.dumps(HELPER_SPEC)))
    assert ran["status"] == "error" and ran["line"] == 2


# ------------------------------------------------------------------ the figure manifest on bad output

def _good_out(tmp_path: Path) -> Path:
    """A tiny consistent output folder: one figure with a full entry, one exported weights file."""
    from lecture_models.figures import manifest

    out = tmp_path / "figures"
    out.mkdir()
    (out / "a.svg").write_text("<svg/>")
    entry = {k: "x" for k in manifest.REQUIRED}
    manifest.update(out, {"a.svg": entry})
    models = manifest.models_dir(out)
    models.mkdir()
    blob = b"weights"
    (models / "net.npz").write_bytes(blob)
    manifest.update(out, {"net": {"file": "assets/models/net.npz", "sha256": hashlib.sha256(blob).hexdigest()}},
                    section="models")
    assert manifest.problems(out) == []
    return out


@pytest.mark.parametrize("orphan", ["b.png", "c.svg", "d.npz", "e.json", "f.txt"])
def test_manifest_reports_a_figure_file_it_does_not_list(tmp_path, orphan):
    from lecture_models.figures import manifest

    out = _good_out(tmp_path)
    (out / orphan).write_bytes(b"\x89")
    assert manifest.problems(out) == [f"{orphan}: file not in manifest"]


def test_manifest_reports_missing_files_fields_changed_weights_and_orphan_weights(tmp_path):
    from lecture_models.figures import manifest

    out = _good_out(tmp_path)
    models = manifest.models_dir(out)
    (out / "a.svg").unlink()
    (models / "net.npz").write_bytes(b"other weights")
    (models / "extra.npz").write_bytes(b"?")
    manifest.update(out, {"p.png": {"alt": " ", **{k: "x" for k in manifest.REQUIRED if k != "alt"}}})
    (out / "p.png").write_bytes(b"png")
    assert manifest.problems(out) == [
        "a.svg: in manifest but file missing",
        "p.png: missing fields ['alt', 'label_px']",
        "net.npz: sha256 differs from the manifest",
        "extra.npz: file not in manifest",
    ]
    (models / "net.npz").unlink()
    assert "net.npz: in manifest but file missing" in manifest.problems(out)


def test_the_committed_figures_and_weights_are_consistent():
    from lecture_models.figures import manifest

    assert manifest.problems(ROOT / "docs" / "figures") == []


def test_hidden_temp_and_lock_files_are_not_orphans(tmp_path):
    from lecture_models.figures import manifest

    out = _good_out(tmp_path)
    (out / ".manifest.json.lock").write_text("")
    (out / ".a.svg.123.tmp").write_text("")
    (out / "cache").mkdir()
    assert manifest.problems(out) == []


# ------------------------------------------------------------------ figure runs' random streams

def test_seed_for_gives_each_offset_its_own_stream():
    import torch

    from lecture_models.figures.base import RunContext

    ctx = RunContext(device="cpu", seed=0, run_name="lenet")
    seeds = [ctx.seed_for(k) for k in range(50)]
    assert len(set(seeds)) == 50  # every offset a different seed
    assert seeds == [ctx.seed_for(k) for k in range(50)]  # and the same one each time
    a, b = (torch.randn(8, generator=ctx.generator(k)) for k in (1, 2))
    assert not torch.equal(a, b)
    assert torch.equal(torch.randn(8, generator=ctx.generator(1)), a)
    # Runs and seeds are separate streams too.
    assert ctx.seed_for(0) != RunContext(device="cpu", seed=0, run_name="dcgan").seed_for(0)
    assert ctx.seed_for(0) != RunContext(device="cpu", seed=1, run_name="lenet").seed_for(0)


# ------------------------------------------------------------------ the digit's centre of mass

def test_preprocess_digit_moves_the_centre_of_mass_by_rows_and_columns():
    """An «L» 20 rows tall and 10 columns wide (values 1): no rescaling (the longer side is
    already 20), pasted at row 4, column 9 of the 28x28 field.
    Its 29 pixels: column 9, rows 4..23 (20) and row 23, columns 10..18 (9).
      rows:    (4 + ... + 23) + 9 * 23 = 270 + 207 = 477 -> 477 / 29 = 16.45 -> 13.5 - 16.45 = -2.95 -> -3
      columns: 20 * 9 + (10 + ... + 18) = 180 + 126 = 306 -> 306 / 29 = 10.55 -> +2.95 -> +3
    so the L moves 3 rows up and 3 columns right: column 12, rows 1..20; row 20, columns 13..21."""
    img = np.zeros((40, 30))
    img[7:27, 5] = 1.0    # the upright, 20 rows
    img[26, 6:15] = 1.0   # the foot, 10 columns in all with the upright
    out = nn.preprocess_digit(img)
    assert out["crop"].shape == (20, 10)
    np.testing.assert_array_equal(out["box"], out["crop"])
    assert tuple(out["shift"]) == (-3, 3)
    expected = np.zeros((28, 28), np.float32)
    expected[1:21, 12] = 1
    expected[20, 13:22] = 1
    np.testing.assert_array_equal(out["digit"], expected)
