# Manuscript: every numbered thesis table (workflow/report/manuscript.yaml, in thesis order)
# as results/tables/table_NN_<id>.{csv,tex,docx,json}, one job per thesis section that has
# tables, and the SME Playbook (Annex E). The library is nero.manuscript; docs/report.md
# describes the registry.

import yaml as _yaml

import nero.manuscript.registry
import nero.report.dag

with open(Path(workflow.basedir, "workflow", "report", "manuscript.yaml"), encoding="utf-8") as _handle:
    # libyaml's safe loader when present: the same document in a tenth of the time of every start-up
    MANUSCRIPT_SPEC = _yaml.load(_handle, Loader=getattr(_yaml, "CSafeLoader", _yaml.SafeLoader))
try:
    MANUSCRIPT_SECTIONS, _MANUSCRIPT_ALL = nero.manuscript.registry.load_registry(MANUSCRIPT_SPEC)
except nero.manuscript.registry.RegistryError as exc:
    raise WorkflowError(f"workflow/report/manuscript.yaml: {exc}") from None
# An item whose sources no rule of this workflow writes is left out (and takes no number).
_REPORTED = {item["path"] for item in report_items()}
MANUSCRIPT_ITEMS = nero.manuscript.registry.resolve(_MANUSCRIPT_ALL, lambda path: nero.report.dag.is_written(workflow, path), lambda path: path in _REPORTED)
MANUSCRIPT_TABLES = {item.id: item for item in MANUSCRIPT_ITEMS if item.kind == "table"}


# Section -> its tables in thesis order; a section none of whose tables is resolved (the design
# analysis before `make design`, a stage not in this workflow) has no rule and no job.
MANUSCRIPT_TABLE_SECTIONS = {}
for _item in MANUSCRIPT_TABLES.values():
    MANUSCRIPT_TABLE_SECTIONS.setdefault(_item.section, []).append(_item)
MANUSCRIPT_FILES = [path for item in MANUSCRIPT_TABLES.values() for path in item.outputs()]


# One job per section: the tables of a section share their Python start-up (pandas,
# python-docx: almost all of a table's CPU) and their sources, loaded once. Snakemake takes
# input functions but not output functions, so a single rule with a {section} wildcard could
# not name the table files; the loop defines export_section_tables_<section> instead. A
# changed source, note or format reruns that section alone.
for _section, _tables in MANUSCRIPT_TABLE_SECTIONS.items():

    rule:
        name:
            f"export_section_tables_{_section}"
        input:
            sources=sorted({path for item in _tables for path in item.inputs}),
            codebook=CODEBOOK,
        output:
            [path for item in _tables for path in item.outputs()],
        params:
            # a function, so Snakemake does not read the notes' {fact} fields as wildcards
            tables=lambda wildcards, text=json.dumps([item.to_dict() for item in _tables], sort_keys=True, ensure_ascii=False): text,
            coder=config["qual"]["primary_coder"],
            # the label of every numbered item (the checklists say where each item is reported)
            numbers={item.id: item.label for item in MANUSCRIPT_ITEMS},
            # the fieldwork facts the author declares (response table only: other sections do not rerun on them)
            fieldwork=(config.get("fieldwork") or {}).get("waves") or {} if any(t.builder == "responses" for t in _tables) else {},
        log:
            f"{LOGS}/manuscript/export_section_tables_{_section}.log",
        benchmark:
            f"{BENCH}/manuscript/export_section_tables_{_section}.tsv"
        script:
            "../scripts/export_section_tables.py"


# The Playbook links every card to the numbered tables behind it (their anchors in report.html).
PLAYBOOK_EVIDENCE = {f"Table {MANUSCRIPT_TABLES[k].number} ({MANUSCRIPT_TABLES[k].title})": f"report.html#table-{MANUSCRIPT_TABLES[k].number}"
                     for k in ("fsqca_configuration_chart", "fsqca_solutions", "fsqca_robustness", "joint_display") if k in MANUSCRIPT_TABLES}


rule build_playbook:
    input:
        chart="results/fsqca/configuration_chart.csv",
        solutions="results/fsqca/solutions.csv",
        robustness="results/fsqca/robustness_verdicts.csv",
        joint="results/integration/joint_display.csv",
        memberships="results/fsqca/memberships.csv",
        anchors="results/fsqca/anchors.csv",
        quotes="results/study1/exemplar_quotes.csv",
        selections="results/study1/selections.csv",
        claims="results/claims.csv",
        codebook=CODEBOOK,
    output:
        page="results/playbook.html",
        cards="results/manuscript/playbook_cards.json",
        annex="results/manuscript/playbook_annex.html",
    params:
        plain=MANUSCRIPT_SPEC.get("playbook", {}).get("conditions", {}),
        short=MANUSCRIPT_SPEC.get("playbook", {}).get("short", {}),
        evidence=PLAYBOOK_EVIDENCE,
    log:
        f"{LOGS}/manuscript/build_playbook.log",
    script:
        "../scripts/build_playbook.py"


ALL_TARGETS.extend(MANUSCRIPT_FILES + ["results/playbook.html"])
