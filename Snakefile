# The Network Ambidexterity study: one DAG from data/raw/ to results/.
#
#   make study                      # everything, all cores
#   snakemake -c2 results/<file>    # one output and what it needs
#
# Stage rules live in workflow/rules/<stage>.smk; they only name inputs, outputs,
# params, logs and benchmarks and call the library in src/nero/.

from pathlib import Path

from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"


# One rule file per stage; a stage file that is not there yet is simply not part of the DAG.
for _stage in ["audit", "slr", "survey", "qual", "sem", "fsqca", "integration", "claims", "multiverse", "design", "figures", "manuscript", "report"]:
    if Path(workflow.basedir, "workflow", "rules", f"{_stage}.smk").exists():

        include: f"workflow/rules/{_stage}.smk"


rule all:
    default_target: True
    input:
        ALL_TARGETS,
