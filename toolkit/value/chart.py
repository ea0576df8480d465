"""The value chart: cumulative discounted value by year per option, as PNG and SVG."""

from __future__ import annotations

import io
from pathlib import Path

from toolkit.value.simulate import Comparison

_COLOURS = ("#005EB8", "#DA291C", "#009639", "#ED8B00", "#330072", "#768692", "#00A9CE", "#AE2573")


def render_chart(comparison: Comparison, fmt: str = "png", dpi: int = 150) -> bytes:
    """Return the chart as PNG or SVG bytes; the same comparison gives the same bytes."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt

    with matplotlib.rc_context(
        {"svg.hashsalt": "nhs-value-chart", "svg.fonttype": "path", "font.family": "DejaVu Sans"}
    ):
        figure, axes = plt.subplots(figsize=(8, 4.5), dpi=dpi)
        try:
            years = [comparison.first_year + i for i in range(comparison.horizon)]
            labels = [f"{y}/{(y + 1) % 100:02d}" for y in years]
            for index, option in enumerate(comparison.options):
                values = [v / 1000 for v in option.cumulative_pv_by_year]
                axes.plot(
                    labels,
                    values,
                    marker="o",
                    markersize=3,
                    linewidth=2.4 if option.this_deal and not option.component else 1.4,
                    linestyle="--" if option.component else "-",
                    color=_COLOURS[index % len(_COLOURS)],
                    label=option.label,
                )
            costs = comparison.options[0].costs_pv / 1000
            if costs:
                axes.axhline(costs, color="#425563", linewidth=1, linestyle=":")
                axes.annotate(
                    "NHS cost of providing the data",
                    (0, costs),
                    textcoords="offset points",
                    xytext=(2, 4),
                    fontsize=7,
                    color="#425563",
                )
            rate = comparison.scenario.data["discount_rate_percent"]
            axes.set_title(
                f"{comparison.deal.reference}: expected value to the NHS, "
                f"cumulative, discounted at {rate:g}% real",
                fontsize=10,
            )
            axes.set_ylabel("£ thousand, present value")
            axes.tick_params(axis="x", labelrotation=60, labelsize=7)
            axes.tick_params(axis="y", labelsize=8)
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
    comparison: Comparison, png_path: str | Path, *, force: bool = False, inputs: tuple = ()
) -> list[Path]:
    """Write the chart as PNG and, beside it, SVG; never over ``inputs``, nor without ``force``."""
    from toolkit.output import check_target, write_atomically

    png = Path(png_path)
    svg = png.with_suffix(".svg")
    for path in (png, svg):
        check_target(path, force=force, inputs=inputs)
    write_atomically(png, render_chart(comparison, "png"), force=force)
    write_atomically(svg, render_chart(comparison, "svg"), force=force)
    return [png, svg]
