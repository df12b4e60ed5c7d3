# Manuscript: every numbered thesis table (workflow/report/manuscript.yaml, in thesis order)
# as results/tables/table_NN_<id>.{csv,tex,docx,json}, one job per table, and the SME
# Playbook (Annex E). The library is nero.manuscript; docs/report.md describes the registry.

import yaml as _yaml

from nero.manuscript.registry import RegistryError, load_registry, resolve
from nero.report.dag import is_written

with open(Path(workflow.basedir, "workflow", "report", "manuscript.yaml"), encoding="utf-8") as _handle:
    # libyaml's safe loader when present: the same document in a tenth of the time of every start-up
    MANUSCRIPT_SPEC = _yaml.load(_handle, Loader=getattr(_yaml, "CSafeLoader", _yaml.SafeLoader))
try:
    MANUSCRIPT_SECTIONS, _MANUSCRIPT_ALL = load_registry(MANUSCRIPT_SPEC)
except RegistryError as exc:
    raise WorkflowError(f"workflow/report/manuscript.yaml: {exc}") from None
# An item whose sources no rule of this workflow writes is left out (and takes no number).
_REPORTED = {item["path"] for item in report_items()}
MANUSCRIPT_ITEMS = resolve(_MANUSCRIPT_ALL, lambda path: is_written(workflow, path), lambda path: path in _REPORTED)
MANUSCRIPT_TABLES = {item.id: item for item in MANUSCRIPT_ITEMS if item.kind == "table"}
MANUSCRIPT_FILES = [path for item in MANUSCRIPT_TABLES.values() for path in item.outputs()]


rule export_table:
    input:
        sources=lambda wc: list(MANUSCRIPT_TABLES[wc.slug].source),
        codebook=CODEBOOK,
    output:
        csv="results/tables/table_{number}_{slug}.csv",
        tex="results/tables/table_{number}_{slug}.tex",
        docx="results/tables/table_{number}_{slug}.docx",
        json="results/tables/table_{number}_{slug}.json",
    wildcard_constraints:
        number=r"\d\d",
        slug="|".join(MANUSCRIPT_TABLES) or "no-table",
    params:
        item=lambda wc: json.dumps(MANUSCRIPT_TABLES[wc.slug].to_dict(), sort_keys=True, ensure_ascii=False),
        coder=config["qual"]["primary_coder"],
    log:
        f"{LOGS}/manuscript/export_table_{{number}}_{{slug}}.log",
    script:
        "../scripts/export_table.py"


rule build_playbook:
    input:
        chart="results/fsqca/configuration_chart.csv",
        solutions="results/fsqca/solutions.csv",
        robustness="results/fsqca/robustness_verdicts.csv",
        joint="results/integration/joint_display.csv",
        codebook=CODEBOOK,
    output:
        page="results/playbook.html",
        cards="results/manuscript/playbook_cards.json",
    log:
        f"{LOGS}/manuscript/build_playbook.log",
    script:
        "../scripts/build_playbook.py"


ALL_TARGETS.extend(MANUSCRIPT_FILES + ["results/playbook.html"])
