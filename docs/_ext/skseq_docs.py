"""Sphinx extension of the skseq site: the API sections, and guide code linked to the API.

The user guide is markdown read on GitHub as well as on the site, so it names objects as
inline code (```LSTMRegressor```), not as Sphinx roles. On the site, inline code that is
exactly the name of a documented public object (``LSTMRegressor``, ``skseq.panel.backtest``,
``persistence.load``, optionally followed by ``()``) becomes a link to its API page.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

# (title, module, names or None for the module's __all__, one line on the section)
API_SECTIONS = [
    (
        "Windows",
        "skseq",
        ["SlidingWindowTransformer", "make_supervised"],
        "The data contract: a frame in, windows ``(n_rows, window, n_features)`` out.",
    ),
    (
        "Neural regressors",
        "skseq",
        [
            "RNNRegressor",
            "LSTMRegressor",
            "GRURegressor",
            "AttentionLSTMRegressor",
            "AttentionGRURegressor",
            "ConvRegressor",
            "TransformerRegressor",
            "Seq2SeqRegressor",
            "NBeatsRegressor",
            "TrainingInterruptedWarning",
        ],
        "scikit-learn regressors on windows, trained with skorch; they share one base and its "
        "training parameters.",
    ),
    (
        "Baselines",
        "skseq",
        ["NaiveRegressor", "SeasonalNaiveRegressor", "ARIMARegressor"],
        "Naive, seasonal naive and ARIMA forecasts on the same windows.",
    ),
    (
        "Many series",
        "skseq",
        ["GlobalForecaster", "PanelWindows", "make_panel_supervised", "last_windows"],
        "Windows of a panel that never cross two series, and one model across all of them.",
    ),
    (
        "Prediction intervals",
        "skseq",
        ["ConformalRegressor", "ConformalGlobalForecaster"],
        "Split-conformal intervals around any regressor's forecasts, one series or a panel; "
        'the neural models\' own quantiles are ``loss="quantile"`` and ``predict_quantiles``.',
    ),
    ("More estimators", "skseq", None, "Public names of the package not listed above."),
    ("Backtesting", "skseq.panel", None, "Rolling-origin evaluation of panel forecasters."),
    (
        "Prediction intervals",
        "skseq.intervals",
        None,
        "Intervals around any skseq regressor's forecasts.",
    ),
    ("Tuning", "skseq.tuning", None, "Hyperparameter search with Optuna (extra ``tune``)."),
    ("Metrics", "skseq.metrics", None, "Forecast errors and scikit-learn scorers (``SCORERS``)."),
    (
        "Seasonality",
        "skseq.seasonality",
        None,
        "The M4 seasonality test and classical seasonal factors.",
    ),
    (
        "Plotting",
        "skseq.plotting",
        None,
        "Forecasts, loss curves and attention weights (extra ``plot``).",
    ),
    ("Saving and loading", "skseq.persistence", None, "Pickle-free saving through skops."),
    (
        "Datasets",
        "skseq.datasets",
        None,
        "Bundled series, synthetic frames and the forecasting competitions.",
    ),
    (
        "Benchmark",
        "skseq.benchmark",
        None,
        "The accuracy benchmark behind ``python -m skseq.benchmark``.",
    ),
]


# The user guide's topic pages: (page, title, sections of docs/user_guide.md by their
# heading without its number, the page's closing line). A section that no page names gets
# a page of its own, so a new section of the guide is never left out of the site.
GUIDE_PAGES = [
    (
        "windows",
        "The window contract and the two CV patterns",
        ["The data contract", "Two ways to cross-validate"],
        "In the gallery: :doc:`/auto_examples/plot_seed_tables` and "
        ":doc:`/auto_examples/plot_airline_cv`.",
    ),
    (
        "models",
        "The model family",
        ["The model family"],
        "In the gallery: :doc:`/auto_examples/plot_weather_comparison`, "
        ":doc:`/auto_examples/plot_recurrent_layers` and :doc:`/auto_examples/plot_attention`.",
    ),
    (
        "training",
        "Training options",
        ["What the estimators do", "Threads"],
        "In the gallery: :doc:`/auto_examples/plot_early_stopping`.",
    ),
    (
        "global_models",
        "Many series: global models",
        ["Many series: one global model"],
        "In the gallery: :doc:`/auto_examples/plot_global_m3`.",
    ),
    (
        "intervals",
        "Prediction intervals",
        ["How sure is the forecast: quantiles and intervals"],
        "In the gallery: :doc:`/auto_examples/plot_intervals`.",
    ),
    ("tuning", "Tuning", ["Tuning"], "In the gallery: :doc:`/auto_examples/plot_optuna_study`."),
    (
        "metrics",
        "Metrics and the benchmark",
        ["Metrics and the benchmark"],
        "The numbers and their commands: :doc:`/benchmarks`.",
    ),
    ("saving", "Saving and loading", ["Saving and loading"], ""),
]

_SECTION = re.compile(r"^## (?:\d+\. )?(?P<title>.+)$", re.MULTILINE)


def guide_sections(text: str) -> dict[str, str]:
    """The ``## N. Title`` sections of the one-file guide: title -> body."""
    heads = list(_SECTION.finditer(text))
    return {
        head["title"].strip(): text[head.end() : nxt.start() if nxt else len(text)].strip("\n")
        for head, nxt in zip(heads, heads[1:] + [None], strict=True)
    }


_CODE_SPAN = re.compile(r"`[^`\n]*`")


def _escape_table_pipes(text: str) -> str:
    """``|`` inside inline code of a table row escaped, as GFM tables need (GitHub too)."""
    return "\n".join(
        _CODE_SPAN.sub(lambda code: re.sub(r"(?<!\\)\|", r"\\|", code[0]), line)
        if line.startswith("|")
        else line
        for line in text.split("\n")
    )


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")


def write_guide_pages(guide: Path, out: Path) -> list[str]:
    """Split the guide into its topic pages and their index under ``out``; return the pages.

    A page whose sections are all absent (a topic still being written) is left out.
    """
    sections = guide_sections(guide.read_text())
    pages = [
        (page, title, [name for name in names if name in sections], closing)
        for page, title, names, closing in GUIDE_PAGES
    ]
    named = {name for _, _, names, _ in pages for name in names}
    pages += [(_slug(name), name, [name], "") for name in sections if name not in named]
    out.mkdir(exist_ok=True)
    written = []
    for page, title, names, closing in pages:
        if not names:
            continue
        parts = [f"# {title}", ""]
        for name in names:
            if len(names) > 1:
                parts += [f"## {name}", ""]
            parts += [_escape_table_pipes(sections[name]), ""]
        if closing:
            parts += ["```{eval-rst}", closing, "```", ""]
        text = "\n".join(parts)
        target = out / f"{page}.md"
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
        written.append(page)
    index = "\n".join(
        [
            "# User guide",
            "",
            "skseq turns a time series into sliding windows and fits neural networks on them as",
            "ordinary scikit-learn regressors. The guide, topic by topic:",
            "",
            "```{toctree}",
            ":maxdepth: 2",
            "",
            *written,
            "```",
            "",
            "The guide is written as one markdown file, `docs/user_guide.md` in the repository,",
            "whose examples run as doctests in `make test`; the site splits it by topic.",
            "",
        ]
    )
    target = out / "index.md"
    if not target.exists() or target.read_text() != index:
        target.write_text(index)
    return written


def _importable(module_name: str, names) -> tuple[object, list[str]] | None:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:  # a section whose module is not in this checkout
            return None
        raise
    names = names if names is not None else module.__all__
    return module, [name for name in names if hasattr(module, name)]


def api_sections():
    """(title, module name, documented names, intro) of every section with public objects.

    A name appears once, in the first section that lists it; modules and data are left
    out (their docstrings and the guide describe them).
    """
    seen, out = set(), []
    for title, module_name, names, intro in API_SECTIONS:
        found = _importable(module_name, names)
        if found is None:
            continue
        module, names = found
        entries = []
        for name in names:
            obj = getattr(module, name)
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and id(obj) not in seen:
                seen.add(id(obj))
                entries.append(name)
        if entries:
            out.append((title, module_name, entries, intro))
    return out


def api_data(module_name: str) -> list[str]:
    """The public constants of a module (``SCORERS``, ``SKSEQ_TYPES``, ...)."""
    module = importlib.import_module(module_name)
    if module_name == "skseq":
        return []
    return [
        name
        for name in module.__all__
        if not (inspect.ismodule(getattr(module, name)) or callable(getattr(module, name)))
    ]


def _link_targets() -> dict[str, str]:
    """Inline-code text -> documented full name, for every public object and module."""
    targets = {}
    for _, module_name, names, _ in api_sections():
        if module_name != "skseq":  # skseq.tuning: its section of the API reference
            targets.setdefault(module_name, module_name)
        for name in names:
            full = f"{module_name}.{name}"
            parts = full.split(".")
            for start in range(len(parts)):  # LSTMRegressor, panel.backtest, skseq.panel.backtest
                targets.setdefault(".".join(parts[start:]), full)
    return targets


_CODE_NAME = re.compile(r"^(?P<name>[A-Za-z_][\w.]*)(\(\))?$")


def link_guide_code(app, doctree):
    """Turn inline code naming a public object into a cross-reference to its page."""
    targets = app.env.skseq_link_targets
    for literal in list(doctree.findall(nodes.literal)):
        if isinstance(literal.parent, (nodes.reference, addnodes.pending_xref)):
            continue
        match = _CODE_NAME.match(literal.astext())
        if match is None or match["name"] not in targets:
            continue
        xref = addnodes.pending_xref(
            "",
            refdomain="py",
            reftype="obj",
            reftarget=targets[match["name"]],
            refexplicit=True,
            refwarn=True,
        )
        literal.replace_self(xref)
        xref += literal


def _remember_targets(app):
    app.env.skseq_link_targets = _link_targets()
    app.env.skseq_documented = _documented_names()


def _documented_names() -> dict[int, str]:
    """id of every public object (and of its methods) -> the name it is documented under."""
    names = {}
    for _, module_name, entries, _ in api_sections():
        module = importlib.import_module(module_name)
        for entry in entries:
            obj = getattr(module, entry)
            names.setdefault(id(obj), f"{module_name}.{entry}")
    return names


def _lookup(path: str):
    """The object a dotted path names (``skseq.panel.make_panel_supervised``), or None."""
    parts = path.split(".")
    if not all(part.isidentifier() for part in parts):
        return None
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for part in parts[split:]:
                obj = getattr(obj, part)
        except AttributeError:
            return None
        return obj
    return None


def resolve_alias(app, env, node, contnode):
    """Resolve a reference to a public object by another of its import paths.

    Docstrings name objects where they are defined or re-exported
    (``skseq.panel.make_panel_supervised``, ``PanelWindows.inverse_transform`` inside
    ``skseq.panel``); the site documents each once (``skseq.make_panel_supervised``).
    """
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip("~.")
    documented = env.skseq_documented
    candidates = [target]
    for context in (node.get("py:module"), "skseq"):
        if context:
            candidates.append(f"{context}.{target}")
    # "CompetitionData.validation_split": a class known by its own name alone
    first, _, rest = target.partition(".")
    candidates += [
        f"{full}.{rest}".rstrip(".")
        for full in documented.values()
        if full.rpartition(".")[2] == first
    ]
    for candidate in candidates:
        head, _, member = candidate.rpartition(".")
        obj, owner = _lookup(candidate), _lookup(head)
        if obj is not None and id(obj) in documented:
            full = documented[id(obj)]
        elif owner is not None and id(owner) in documented:
            # a method or property is on the owner's page; a dataclass field is in the
            # owner's Attributes: the reference goes to the owner
            is_member = callable(obj) or isinstance(
                inspect.getattr_static(owner, member, None), property
            )
            full = f"{documented[id(owner)]}.{member}" if is_member else documented[id(owner)]
        else:
            continue
        domain = env.get_domain("py")
        node = node.deepcopy()
        node["reftarget"] = full
        found = domain.resolve_xref(env, node["refdoc"], app.builder, "obj", full, node, contnode)
        if found is not None:
            return found
    return None


# The gallery in the order of the lessons; a new example not listed here comes last.
GALLERY_ORDER = [
    "plot_seed_tables.py",
    "plot_weather_comparison.py",
    "plot_recurrent_layers.py",
    "plot_attention.py",
    "plot_early_stopping.py",
    "plot_airline_cv.py",
    "plot_global_m3.py",
    "plot_intervals.py",
    "plot_optuna_study.py",
]


class GalleryOrder:
    """sphinx-gallery sort key: the lessons' order of ``GALLERY_ORDER``, then by name."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename: str):
        position = (
            GALLERY_ORDER.index(filename) if filename in GALLERY_ORDER else len(GALLERY_ORDER)
        )
        return (position, filename)

    def __repr__(self) -> str:  # sphinx-gallery caches on the repr
        return f"GalleryOrder({GALLERY_ORDER})"


def reset_torch(gallery_conf, fname):
    """Before each gallery example: one torch thread (small nets on a shared 2-core machine)."""
    import torch

    torch.set_num_threads(1)


def skip_foreign_members(app, what, name, obj, skip, options):
    """Document the methods skseq defines (also inherited from its private bases) only.

    scikit-learn's own (``get_params``, ``set_output``, ...) are documented on its site,
    and the fields of named tuples by their class docstring's Attributes.
    """
    if what != "class":
        return None
    function = getattr(obj, "fget", None) or getattr(obj, "__func__", None) or obj
    module = getattr(function, "__module__", None) or ""
    if not module.startswith("skseq"):
        return True
    return None


def setup(app):
    app.connect("builder-inited", _remember_targets)
    app.connect("autodoc-skip-member", skip_foreign_members)
    app.connect("doctree-read", link_guide_code)
    app.connect("missing-reference", resolve_alias)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
