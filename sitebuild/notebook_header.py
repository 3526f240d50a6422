"""The box under a notebook page's title: how to get the notebook and run it.

Why: the notebooks say «ejecútalo desde la raíz del repositorio», and a reader of the
site has neither the `.ipynb` nor the repository at hand. mkdocs-jupyter copies each
notebook next to its page (`include_source`); this links it for download, and links
the repository when the build knows it (`repo_url` in mkdocs.yml, from the REPO_URL
environment variable, which the Pages workflow sets like SITE_URL, so a fork links
its own repository).
"""

from __future__ import annotations

import html as html_lib
import re

_FIRST_H1_END = re.compile(r"</h1>")


def add_download_box(page_html: str, ipynb_name: str, repo_url: str | None) -> str:
    """Insert the download box right after the page's first <h1>."""
    name = html_lib.escape(ipynb_name, quote=True)
    repo = (f'<a href="{html_lib.escape(repo_url, quote=True)}">el repositorio del curso</a>'
            if repo_url else "el repositorio del curso")
    box = (
        '<div class="admonition notebook-download">'
        f'<p><a class="md-button md-button--primary" href="{name}" download="{name}">'
        f"Descargar el cuaderno ({name})</a></p>"
        f"<p>Se ejecuta en tu equipo, no en el navegador: clona {repo}, prepara el entorno y "
        "los datos con <code>make data</code> (necesita Python y <code>npm</code>) y abre el "
        "cuaderno con Jupyter desde la raíz del repositorio.</p></div>"
    )
    new, n = _FIRST_H1_END.subn("</h1>" + box, page_html, count=1)
    if n != 1:
        raise ValueError("the notebook page has no <h1> to put its download box under")
    return new
