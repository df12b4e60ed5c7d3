"""Snakemake script: write results/report.html in thesis order (nero.report)."""

import json

import pandas as pd
import yaml

from nero.manuscript.registry import item_from_dict
from nero.outputs import atomic_write_text, log_to
from nero.report import ReportItem, build_report
from nero.report.governance import governance_html

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    items = [item_from_dict(d) for d in json.loads(snakemake.params.numbered)]
    notes = {
        i.id: json.loads(open(f"{i.stem}.json", encoding="utf-8").read())["note"] if i.kind == "table" else i.note
        for i in items
    }
    with open(snakemake.input.registry, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    text = build_report(
        items=items,
        notes=notes,
        sections=spec["sections"],
        research_questions=spec.get("research_questions", []),
        appendix=[ReportItem(**item) for item in json.loads(snakemake.params.catalog)],
        provenance=json.loads(open(snakemake.input.provenance, encoding="utf-8").read()),
        claims=pd.read_csv(snakemake.input.claims[0]) if snakemake.input.claims else None,
        planted=pd.read_csv(snakemake.input.planted[0]) if snakemake.input.planted else None,
        claims_governance=governance_html(
            next(
                (
                    json.loads(open(p, encoding="utf-8").read())
                    for p in snakemake.input.governance
                    if p.endswith("claims.json")
                ),
                None,
            ),
            next((p for p in snakemake.input.governance if p.endswith(".png")), None),
            next((pd.read_csv(p) for p in snakemake.input.governance if p.endswith("sensitivity.csv")), None),
        ),
        playbook_html=open(
            snakemake.input.playbook, encoding="utf-8"
        ).read(),  # self-diagnosis, recipes, policymakers, caveats
        rule_files=json.loads(snakemake.params.rule_files),
        raw_dir=snakemake.params.raw_dir,
        workdir=".",
    )
    atomic_write_text(snakemake.output[0], text)
