"""Charts: each is a PNG with alt text that states what it shows, and the data table it was drawn from."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _seaborn() -> Any:
    """seaborn, imported on first use: loading and validating data draws nothing, and seaborn takes a second to import."""
    import seaborn

    return seaborn


@cache
def palette() -> Any:
    """The colour-blind-safe palette every chart draws with (seaborn's "colorblind")."""
    return _seaborn().color_palette("colorblind")


_PNG_METADATA = {"Software": None}


@dataclass(frozen=True)
class Chart:
    """A rendered chart: title, alt text, PNG bytes and the data behind it."""

    title: str
    alt: str
    png: bytes
    data: pd.DataFrame

    def with_data(self, data: pd.DataFrame) -> Chart:
        """The same chart shown with a different (e.g. tidier) data table."""
        return Chart(self.title, self.alt, self.png, data.reset_index(drop=True))

    def to_html(self, source: str = "") -> str:
        """The chart as a figure; `source` (plain text) is shown under the title as 'Source: …'."""
        encoded = base64.b64encode(self.png).decode("ascii")
        line = f'<br><span class="mapreport-source">Source: {html.escape(source)}</span>' if source else ""
        return (
            f'<figure class="mapreport-chart"><img src="data:image/png;base64,{encoded}" '
            f'alt="{html.escape(self.alt)}"/><figcaption>{html.escape(self.title)}{line}</figcaption></figure>'
        )


def _style() -> None:
    import matplotlib.pyplot as plt  # pyplot and seaborn load on the first chart: validating data draws nothing

    _seaborn().set_theme(style="whitegrid", palette=palette(), font="DejaVu Sans")
    plt.rcParams.update({"svg.hashsalt": "mapreport", "figure.dpi": 100})


def new_figure(figsize: tuple[float, float] = (8, 4.2)) -> tuple[Figure, Axes]:
    """A figure and axes in the reports' style, for chart types drawn elsewhere; pass the figure to `finish`."""
    import matplotlib.pyplot as plt

    _style()
    return plt.subplots(figsize=figsize)


def finish(fig: Figure, title: str, alt: str, data: pd.DataFrame) -> Chart:
    """Render a drawn figure to a Chart with its alt text and data table, and close it."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=100, metadata=_PNG_METADATA)
    plt.close(fig)
    return Chart(title=title, alt=alt, png=buffer.getvalue(), data=data.reset_index(drop=True))


def bar_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    alt: str,
    hue: str | None = None,
    horizontal: bool = False,
    xlabel: str = "",
    ylabel: str = "",
    height: float = 4.2,
) -> Chart:
    """A bar chart of `y` by `x` (optionally split by `hue`); `height` in inches (at 100 pixels an inch)."""
    import matplotlib.pyplot as plt

    _style()
    fig, ax = plt.subplots(figsize=(8, height))
    colour = None if hue else palette()[0]
    sns = _seaborn()
    if horizontal:
        sns.barplot(data=data, y=x, x=y, hue=hue, ax=ax, orient="h", color=colour)
    else:
        sns.barplot(data=data, x=x, y=y, hue=hue, ax=ax, color=colour)
    for container in ax.containers:
        from matplotlib.container import BarContainer

        assert isinstance(container, BarContainer)  # barplot draws bars only
        ax.bar_label(container, fmt="%g", padding=2, fontsize=9)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if hue:
        ax.legend(title=hue, frameon=False)
    return finish(fig, title, alt, data)


def line_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str,
    title: str,
    alt: str,
    ylabel: str = "",
    style: str | None = None,
    height: float = 4.2,
) -> Chart:
    """A line chart of `y` over `x`, one line per `hue` (dashed lines where `style` marks them); `height` in inches."""
    import matplotlib.pyplot as plt

    _style()
    fig, ax = plt.subplots(figsize=(8, height))
    styles = {"style_order": sorted(data[style].unique())} if style else {}
    _seaborn().lineplot(data=data, x=x, y=y, hue=hue, style=style, markers=True, ax=ax, **styles)
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, fontsize=8)
    fig.autofmt_xdate()
    return finish(fig, title, alt, data)


SUPPRESSED_NOTE = "Every value is below the suppression threshold: nothing to draw."


def interval_bar_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    lower: str,
    upper: str,
    hue: str,
    title: str,
    alt: str,
    ylabel: str = "",
) -> Chart:
    """Grouped bars of `y` by `x` and `hue`, each with its 95% interval (`lower` to `upper`) drawn as an error bar.

    Rows missing from `data` (e.g. suppressed) leave a gap; with no rows at all the chart says so instead of bars.
    """
    fig, ax = new_figure()
    categories = list(dict.fromkeys(data[x]))
    levels = list(dict.fromkeys(data[hue]))
    width = 0.8 / max(len(levels), 1)
    for i, level in enumerate(levels):
        rows = data[data[hue] == level]
        positions = [categories.index(v) - 0.4 + width * (i + 0.5) for v in rows[x]]
        values = rows[y].to_numpy(dtype=float)
        errors = [values - rows[lower].to_numpy(dtype=float), rows[upper].to_numpy(dtype=float) - values]
        ax.bar(positions, values, width=width * 0.95, color=palette()[i % len(palette())], label=str(level))
        ax.errorbar(positions, values, yerr=errors, fmt="none", ecolor="0.2", elinewidth=1.2, capsize=3)
    ax.set_xticks(range(len(categories)), [str(c) for c in categories])
    if data.empty:
        ax.text(0.5, 0.5, SUPPRESSED_NOTE, ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    if levels:
        ax.legend(title="Black lines: 95% confidence intervals", frameon=False, fontsize=8, title_fontsize=8)
    return finish(fig, title, alt, data)
