# The Network Ambidexterity study: one DAG from data/raw/ to results/.
#
#   make study                      # everything, all cores
#   snakemake -c2 results/<file>    # one output and what it needs
#
# Stage rules live in workflow/rules/<stage>.smk; they only name inputs, outputs,
# params, logs and benchmarks and call the library in src/nero/.

from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"


# One rule file per stage, in this order (a stage's rules may use the names of the files above it).
include: "workflow/rules/audit.smk"
include: "workflow/rules/slr.smk"
include: "workflow/rules/survey.smk"
include: "workflow/rules/qual.smk"
include: "workflow/rules/sem.smk"
include: "workflow/rules/fsqca.smk"
include: "workflow/rules/integration.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/multiverse.smk"
include: "workflow/rules/design.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/manuscript.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        ALL_TARGETS,
