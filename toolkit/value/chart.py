"""The value chart: cumulative discounted value by year per option, as PNG and SVG."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from toolkit.value.simulate import Comparison, money

_COLOURS = ("#005EB8", "#DA291C", "#009639", "#ED8B00", "#330072", "#768692", "#00A9CE", "#AE2573")


def render_chart(comparison: Comparison, fmt: str = "png", dpi: int = 150) -> bytes:
    """Return the chart as PNG or SVG bytes; the same comparison gives the same bytes."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    with matplotlib.rc_context(
        {"svg.hashsalt": "nhs-value-chart", "svg.fonttype": "path", "font.family": "DejaVu Sans"}
    ):
        figure, axes = plt.subplots(figsize=(8, 4.5), dpi=dpi)
        try:
            years = list(range(1, comparison.horizon + 1))
            for index, option in enumerate(comparison.options):
                axes.plot(
                    years,
                    option.cumulative_pv_by_year,
                    marker="o",
                    markersize=3,
                    linewidth=2.4 if option.this_deal and not option.component else 1.4,
                    linestyle="--" if option.component else "-",
                    color=_COLOURS[index % len(_COLOURS)],
                    label=option.label[:1].upper() + option.label[1:],
                )
            costs = comparison.options[0].costs_pv
            if costs:
                axes.axhline(costs, color="#425563", linewidth=1, linestyle=":")
                axes.annotate(
                    f"NHS cost of providing the data: {money(costs)} present value",
                    # At the right, where cumulative values have usually risen clear of it.
                    (comparison.horizon + 0.5, costs),
                    textcoords="offset points",
                    xytext=(-3, 4),
                    horizontalalignment="right",
                    fontsize=7,
                    color="#425563",
                )
            rate = comparison.scenario.data["discount_rate_percent"]
            start = comparison.deal.effective_date
            axes.set_title(
                f"{comparison.deal.reference}: expected value to the NHS, cumulative "
                f"present value at {rate:g}% a year real",
                fontsize=10,
            )
            axes.set_xlabel(
                f"Year of the deal (year 1 begins {start.day} {start:%B %Y})", fontsize=8
            )
            axes.set_ylabel("Cumulative present value to the NHS", fontsize=8)
            axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=16))
            axes.set_xlim(0.5, comparison.horizon + 0.5)
            axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: money(value)))
            axes.tick_params(axis="both", labelsize=8)
            axes.grid(True, color="#E8EDEE", linewidth=0.8)
            axes.legend(fontsize=7, frameon=False, loc="upper left")
            figure.tight_layout()
            buffer = io.BytesIO()
            metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
            figure.savefig(buffer, format=fmt, metadata=metadata)
        finally:
            plt.close(figure)
    return buffer.getvalue()


def write_chart(
    comparison: Comparison,
    png_path: str | Path,
    *,
    force: bool = False,
    inputs: Iterable[str | Path] = (),
) -> list[Path]:
    """Write the chart as PNG and, beside it, SVG; refuse to overwrite without ``force``.

    Neither file may be one of ``inputs`` (the deal spec, the scenarios file), even with
    ``force``.
    """
    from toolkit.output import check_target, write_atomically

    png = Path(png_path)
    svg = png.with_suffix(".svg")
    for path in (png, svg):
        check_target(path, force=force, inputs=inputs)
    write_atomically(png, render_chart(comparison, "png"), force=force)
    write_atomically(svg, render_chart(comparison, "svg"), force=force)
    return [png, svg]
