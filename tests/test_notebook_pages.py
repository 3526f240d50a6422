"""Each notebook page lets the reader download its `.ipynb` and find the repository it
runs from (sitebuild/notebook_header.py, mkdocs.yml's repo_url from REPO_URL)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sitebuild import notebook_header

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_a_notebook_page_links_its_own_ipynb_for_download(site_dir, nb):
    page = site_dir / "notebooks" / nb.stem / "index.html"
    html = page.read_text()
    links = re.findall(r'<a class="md-button md-button--primary" href="([^"]+)" download="([^"]+)">', html)
    assert links == [(nb.name, nb.name)], links
    # The link resolves to the notebook itself, byte for byte, and sits under the title.
    assert (page.parent / nb.name).read_bytes() == nb.read_bytes()
    assert html.index("notebook-download") > html.index("</h1>")


def test_the_box_links_the_repository_when_the_build_knows_it():
    page = "<article><h1>Título</h1><p>Texto</p></article>"
    with_repo = notebook_header.add_download_box(page, "06-unet.ipynb", "https://example.org/curso")
    assert '<a href="https://example.org/curso">el repositorio del curso</a>' in with_repo
    assert with_repo.index("Descargar el cuaderno (06-unet.ipynb)") > with_repo.index("</h1>")
    without = notebook_header.add_download_box(page, "06-unet.ipynb", None)
    assert "el repositorio del curso" in without and "https://" not in without
    with pytest.raises(ValueError):
        notebook_header.add_download_box("<p>sin título</p>", "x.ipynb", None)


class _EnvLoader(yaml.SafeLoader):
    pass


_EnvLoader.add_constructor("!ENV", lambda loader, node: ("ENV", loader.construct_scalar(node)))
_EnvLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def test_the_repository_comes_from_the_same_place_as_the_site_address():
    """repo_url and site_url both come from the environment, and the Pages workflow sets
    both: a fork's site links its own repository. The header's repository link asks no
    third party for stars (Material's source component would call api.github.com)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_EnvLoader)
    assert config["site_url"] == ("ENV", "SITE_URL")
    assert config["repo_url"] == ("ENV", "REPO_URL")
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    assert "REPO_URL: ${{ github.server_url }}/${{ github.repository }}" in workflow
    source = (ROOT / "sitebuild" / "overrides" / "partials" / "source.html").read_text()
    anchor = re.search(r"<a [^>]*>", source).group(0)
    assert 'class="md-source"' in anchor and "data-md-component" not in anchor


def test_the_pages_workflow_deploys_only_what_passed_the_suite():
    jobs = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text())["jobs"]
    assert any(step.get("run") == ".ci/run" for step in jobs["test"]["steps"])
    assert jobs["build"]["needs"] == "test" and jobs["deploy"]["needs"] == "build"


def test_every_push_runs_the_fast_tier():
    """The fast tier (JavaScript unit tests included) runs on every push and pull request."""
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "fast.yml").read_text())
    assert {"push", "pull_request"} <= set(flow[True] if True in flow else flow["on"])  # YAML reads `on` as True
    assert any(step.get("run") == "make test-fast" for step in flow["jobs"]["fast"]["steps"])
