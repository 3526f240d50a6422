"""demos.nn inside Pyodide 0.27.7 (NumPy 2.0.2, no SciPy) under Node: same numbers as native NumPy.

Skipped when Node or the vendored Pyodide (`make vendor`) is missing.
"""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from demos import netdemos as nd

ROOT = Path(__file__).resolve().parents[1]
PYODIDE = ROOT / ".cache" / "vendor" / "dist" / "pyodide"
MODELS = ROOT / "docs" / "assets" / "models"

CODE = r'''
import json, numpy as np
from demos import netdemos as nd
out = {"numpy": np.__version__}
for n in ("lenet", "unet", "diffusion"):
    nd.load(n, np.frombuffer(open(f"/models/{n}.npz", "rb").read(), np.uint8))
img = nd._NETS["lenet"]["sd"]["samples.images"][0]
r = nd.digit_predict(np.kron(img, np.ones((10, 10), np.uint8)))
out["lenet_logits"] = r["logits"]
out["unet"] = nd._NETS["unet"]["model"](nd.unet_scene(0)["image"][None, None])[0, :, ::8, ::8].tolist()
nd.diffusion_start(7, 3.0, 25, 3)
out["step"] = nd.diffusion_step()["x"].tolist()
print("RESULT " + json.dumps(out))
'''


@pytest.mark.skipif(shutil.which("node") is None or not (PYODIDE / "pyodide.mjs").is_file(),
                    reason="needs node and the vendored Pyodide (make vendor)")
def test_networks_give_the_same_numbers_in_pyodide(tmp_path):
    if not (MODELS / "diffusion.npz").is_file():
        pytest.skip("diffusion.npz not made yet: python -m lecture_models figures --only diffusion")
    code = tmp_path / "code.py"
    code.write_text(CODE)
    proc = subprocess.run(["node", str(ROOT / "tests" / "js" / "pyodide_run.mjs"), str(PYODIDE), str(ROOT), str(code)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(l for l in proc.stdout.splitlines() if l.startswith("RESULT "))
    got = json.loads(line[len("RESULT "):])
    assert got["numpy"] == "2.0.2"
    for n in ("lenet", "unet", "diffusion"):
        nd.load(n, np.frombuffer((MODELS / f"{n}.npz").read_bytes(), np.uint8))
    img = nd._NETS["lenet"]["sd"]["samples.images"][0]
    ref = nd.digit_predict(np.kron(img, np.ones((10, 10), np.uint8)))
    np.testing.assert_allclose(got["lenet_logits"], ref["logits"], atol=1e-4)
    unet = nd._NETS["unet"]["model"](nd.unet_scene(0)["image"][None, None])[0, :, ::8, ::8]
    np.testing.assert_allclose(got["unet"], unet, atol=1e-4)
    nd.diffusion_start(7, 3.0, 25, 3)
    np.testing.assert_allclose(got["step"], nd.diffusion_step()["x"], atol=1e-4)
