"""The book's figure style and the few figures several chapters share.

:func:`use_style` sets one matplotlib style for every chapter: readable font
sizes, the Okabe–Ito colour-blind-safe palette, light grid lines, and a solid
white background so that figures stay legible in the site's dark mode.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

from ._validate import Check, OneOf, checked

__all__ = ["OKABE_ITO", "MARBLE_COLOURS", "use_style", "label_panels"]

#: The Okabe–Ito palette (Okabe & Ito 2008), safe for the common colour-vision deficiencies.
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: Colours for the marbles of the jar, drawn from the Okabe–Ito palette.
MARBLE_COLOURS: dict[str, str] = {
    "black": "#4D4D4D",
    "red": OKABE_ITO["vermillion"],
    "green": OKABE_ITO["green"],
    "blue": OKABE_ITO["blue"],
    "yellow": OKABE_ITO["orange"],
}

_CYCLE = ["blue", "orange", "green", "vermillion", "purple", "sky", "black", "yellow"]


@checked(context=OneOf("notebook", "paper"))
def use_style(*, context: str = "notebook") -> None:
    """Apply the book's matplotlib style (call once, in a chapter's setup cell).

    ``context="paper"`` gives slightly smaller text than the default ``"notebook"``.
    """
    import matplotlib as mpl
    from cycler import cycler

    base = 11 if context == "notebook" else 9
    _retina()
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 4.2),
            "figure.dpi": 100,
            "savefig.dpi": 200,
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "savefig.transparent": False,
            "figure.constrained_layout.use": True,
            "font.size": base,
            "axes.titlesize": base + 1,
            "axes.labelsize": base,
            "xtick.labelsize": base - 1,
            "ytick.labelsize": base - 1,
            "legend.fontsize": base - 1,
            "legend.frameon": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.color": "#DDDDDD",
            "grid.linewidth": 0.6,
            "axes.axisbelow": True,
            "axes.prop_cycle": cycler(color=[OKABE_ITO[c] for c in _CYCLE]),
            "image.cmap": "viridis",
            "lines.linewidth": 1.8,
            "text.color": "black",
            "axes.labelcolor": "black",
            "xtick.color": "black",
            "ytick.color": "black",
        }
    )


def _retina() -> None:
    """In a notebook, draw inline PNGs at twice the pixel density (sharp on phones and zoomed)."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - plain Python without IPython
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina")


def _axes(name: str, value: Any) -> list[Any]:
    import numpy as np
    from matplotlib.axes import Axes

    flat = list(np.ravel(np.asarray(value, dtype=object)))
    if not flat or not all(isinstance(ax, Axes) for ax in flat):
        raise TypeError(f"{name} must be a matplotlib Axes or an array of them, got {value!r}")
    return flat


def _letters(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"{name} must be a non-empty string of panel letters, got {value!r}")
    return value


@checked(
    axes=Check(_axes, refuse=[("number", 1), ("string", "ab"), ("empty", [])]),
    labels=Check(_letters, refuse=[("list", ["a", "b"]), ("empty", ""), ("number", 1)]),
)
def label_panels(axes: Iterable[Axes], *, labels: str = "abcdefghij") -> None:
    """Write bold panel letters (a, b, …) in the top-left corner of each axis."""
    flat = list(axes)
    if len(flat) > len(labels):
        raise ValueError(f"axes has {len(flat)} panels but only {len(labels)} labels were given")
    for ax, letter in zip(flat, labels):
        ax.text(
            -0.02,
            1.02,
            letter,
            transform=ax.transAxes,
            fontweight="bold",
            fontsize="large",
            va="bottom",
            ha="right",
        )
