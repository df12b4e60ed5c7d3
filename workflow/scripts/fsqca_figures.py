"""Snakemake script: configuration chart (Fiss notation), XY plots and the robustness overview."""

import pandas as pd

from nero.figures.fsqca import plot_configuration_chart, plot_robustness_overview, plot_xy_grid
from nero.outputs import log_to

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    out, outcome = snakemake.output, snakemake.params.outcome
    chart = pd.read_csv(snakemake.input.chart).set_index("condition")
    fit_rows = [r for r in ["inclS", "PRI", "covS", "covU", "solution inclS", "solution covS"] if r in chart.index]
    plot_configuration_chart(
        chart,
        list(snakemake.params.conditions),
        [out.chart_png, out.chart_pdf],
        f"Configurations for high {outcome} (intermediate solution)",
        fit_rows,
    )
    xy = pd.read_csv(snakemake.input.xy).set_index("firm_code")
    fit = pd.read_csv(snakemake.input.xy_fit).set_index("term")
    plot_xy_grid(xy.drop(columns=[outcome]), xy[outcome], fit, [out.xy_png, out.xy_pdf], outcome_label=outcome)
    survival = pd.read_csv(snakemake.input.survival)
    plot_robustness_overview(survival[survival["family"] != "all"], [out.robustness_png, out.robustness_pdf])
