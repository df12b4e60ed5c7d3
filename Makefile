# The two commands of the README: `make study` and `make test`.
# Both create .venv with the exact pinned dependencies (requirements.lock) first;
# a second install is a no-op (the stamp file is newer than the lock).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.nero-installed
CLUSTER_STAMP := $(VENV)/.nero-cluster-installed
CORES  ?= all

# One BLAS thread per process: results do not depend on the thread count, and
# Snakemake's parallel jobs do not oversubscribe the cores.
export OMP_NUM_THREADS=1
export OPENBLAS_NUM_THREADS=1
export MKL_NUM_THREADS=1
export MPLBACKEND=Agg

.PHONY: study bench-build test test-study install install-cluster audit status lock dag readme-tables clean-results help design design-reference oracle seed-selection

help:
	@echo "make study   build the whole study into results/ (all cores)"
	@echo "make test    run the test suite (without the whole-study builds)"
	@echo "make test-study  the end-to-end builds of whole studies (CI runs both)"
	@echo "make design  design analysis: Monte Carlo over the whole chain (not part of make study; PROFILE=profiles/slurm for a cluster)"
	@echo "make design-reference  the design that ships (scenarios at N = 218, DESIGN_R=40 replicates) into design-reference/"
	@echo "make audit   verify raw data, rebuild, compare with results-reference/ and with results/"
	@echo "make status  what in results/ is out of date and why; failed rules; the build lock"
	@echo "make bench-build  time make study from clean and with nothing to do (a scratch copy)"
	@echo "make install only create .venv with the pinned dependencies"
	@echo "make install-cluster  add the SLURM and Kubernetes executor plugins (requirements-cluster.lock)"
	@echo "make seed-selection  the stand-in's seed by its declared rule: data/seed_selection.csv (docs/design.md)"
	@echo "make oracle  rerun the lavaan/semTools reference scripts (needs R; tests/sem/oracle/README.md)"

install: $(STAMP)

# A local install has no cluster executor plugin (requirements-cluster.lock): Snakemake imports
# every installed one at each start, and the SLURM plugin's import runs `scontrol show config`
# (10 s where the SLURM client is installed but no controller answers). A .venv made before the
# split loses them here, unless `make install-cluster` has been run in it.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "nero needs Python 3.11 or newer; found " + sys.version.split()[0] + " (run: make PYTHON=python3.11 ...)")'
	@test -x $(BIN)/python || { echo "make install: creating the virtual environment $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "make install: installing the $$(grep -c '^[A-Za-z0-9]' requirements.lock) pinned packages of requirements.lock, each checked against its sha256 (1-3 minutes)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@echo "make install: installing nero itself (editable) into $(VENV)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@test -e $(CLUSTER_STAMP) || $(BIN)/python -m nero.envfile installed requirements-cluster.lock \
	  | xargs -r $(BIN)/python -m pip uninstall --quiet --disable-pip-version-check -y
	@touch $(STAMP)
	@echo "make install: done; $(VENV)/bin/nero and $(VENV)/bin/snakemake are ready"

# The executor plugins of profiles/slurm and profiles/kubernetes, on top of the local install
# (docs/cluster.md); `make design PROFILE=...` runs it first.
install-cluster: $(CLUSTER_STAMP)

$(CLUSTER_STAMP): $(STAMP) requirements-cluster.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-cluster.lock
	@touch $(CLUSTER_STAMP)

# A build killed half-way (kill -9, power cut) leaves Snakemake's lock behind. `nero status
# --clear-stale-lock` removes it only when no Snakemake process works in this folder (a
# running build keeps its lock and this target stops, saying so); --rerun-incomplete then
# redoes the jobs the kill interrupted. On failure the last lines are nero's messages.
#
# --scheduler greedy --prioritize multiverse_gather: Snakemake's default scheduler (ilp) starts
# the CBC solver as a process at each scheduling pass; the greedy one prefers jobs by priority,
# and --prioritize gives the highest to the multiverse and to everything it reads, so the
# multiverse (the longest chain at the end of the build) starts as early as it can while the
# figures, numbered tables and notebooks fill the other core. (The random --scheduler-subsample
# used before ignored priorities.) The order in which jobs start changes, no output does. The
# default job-rate limiter re-ran the scheduling loop ever more often (14,437 passes in one
# build); the workflow's onstart handler drops it on a local run (nero.provenance.scheduler),
# and starts the warm fork server that runs the Python script jobs (nero.provenance.forkserver;
# NERO_FORK_SERVER=0 turns it off; docs/pipeline.md has the figures).
#
# With nothing to do, Snakemake still takes about 3 s to start, read the workflow and build the
# DAG. After a build that succeeded, nero.provenance.buildstamp records the size and time of
# every file of the checkout (and of Snakemake's records), the arguments and the SNAKEMAKE_ and
# NERO_ variables; when none of these changed, the target says so and ends without Snakemake.
STUDY_ARGS := --cores $(CORES) --scheduler greedy --prioritize multiverse_gather --rerun-incomplete
BUILDSTAMP := $(BIN)/python -m nero.provenance.buildstamp

study: $(STAMP)
	@$(BUILDSTAMP) check $(STUDY_ARGS) && exit 0; \
	$(BIN)/nero status --clear-stale-lock || exit 1; \
	$(BIN)/snakemake $(STUDY_ARGS) || { $(BIN)/nero status --errors; exit 1; }; \
	$(BUILDSTAMP) write $(STUDY_ARGS)

# The design analysis (docs/design.md): its own target, not part of `make study`.
# `make design PROFILE=profiles/slurm` submits the batches to SLURM (docs/cluster.md).
# Progress with an estimate of the time left (nero.design.progress); then the summary tables
# are copied into design-reference/ with the commit and hashes that made them (commit them:
# every `make study` shows them and says when code or config changed since).
# `make design DESIGN_CONFIG=my.yaml`: a whole config file (e.g. fewer replicates or scenarios)
# replaces config/config.yaml for the Monte Carlo; the shipped record keeps the design as run.
design: $(STAMP) $(if $(PROFILE),$(CLUSTER_STAMP))
	$(BIN)/python -m nero.design.progress -- $(BIN)/snakemake --cores $(CORES) $(if $(PROFILE),--profile $(PROFILE)) $(if $(DESIGN_CONFIG),--configfile $(DESIGN_CONFIG) --replace-workflow-config) --rerun-incomplete analyse_design
	$(BIN)/python -m nero.design.shipped write
	$(BIN)/snakemake --cores $(CORES) --rerun-incomplete results/report.html

# `make design-reference`: the design that ships in design-reference/ (the configured scenarios at
# the study's N = 218, DESIGN_R replicates each; the other settings as configured), regenerated in
# one command: write its config, run `make design` with it (Monte Carlo, copy into
# design-reference/ with the commit and hashes, report). Commit first: the record names the commit.
DESIGN_R ?= 40
design-reference: $(STAMP)
	$(BIN)/python -m nero.design.shipped config --replications $(DESIGN_R) --out results/design_reference_config.yaml
	$(MAKE) design DESIGN_CONFIG=results/design_reference_config.yaml

# The seed of the synthetic stand-in by the rule declared 2026-12-07 20:44 UTC (docs/design.md,
# nero.design.seed_selection): 100 Monte Carlo studies, then candidates from 20251124 until one is
# typical on all five planted survey effects; rewrites data/seed_selection.csv (about 1.5 CPU
# minutes) and fails when config/config.yaml's seed is not the rule's.
seed-selection: $(STAMP)
	$(BIN)/nero design select-seed --out data/seed_selection.csv

# The build's time: `make study` from clean and with nothing to do, in a scratch copy
# (benchmarks/bench_build.py; prints the figures and the load average, asserts nothing).
bench-build: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py --cores $(CORES)

# `make test`: the suite without the whole-study builds (under 10 minutes on 2 cores).
# `make test-study`: the end-to-end builds of whole studies (the shipped study against
# results-reference/, a one-wave study, a full audit rebuild, a real SLURM cluster).
# CI (.ci/run) runs both.
test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not study"

test-study: $(STAMP)
	$(BIN)/python -m pytest -q -m study

# The lavaan/semTools oracle of nero.sem (tests/sem/oracle/README.md): the example data from
# lavaan, the generated inputs, then one R script per reference; rewrites the fixtures.
ORACLE := tests/sem/oracle
oracle: $(STAMP)
	@command -v Rscript >/dev/null 2>&1 || { echo "make oracle needs R with lavaan, semTools, boot and jsonlite (Debian: r-base-core r-cran-lavaan r-cran-semtools r-cran-boot r-cran-jsonlite)"; exit 2; }
	Rscript $(ORACLE)/datasets.R
	$(BIN)/python $(ORACLE)/generate.py
	for script in examples study generated semtools; do Rscript $(ORACLE)/$$script.R || exit 1; done
	$(BIN)/python tests/sem/bca/export_inputs.py
	Rscript tests/sem/bca/bca_reference.R

audit: $(STAMP)
	$(BIN)/nero audit

status: $(STAMP)
	$(BIN)/nero status

dag: $(STAMP)
	$(BIN)/python -c "from nero.figures.dag import update_rule_graph; update_rule_graph('docs/pipeline.md')"

# The README's list of numbered tables and figures with the rule and script that make each.
readme-tables: $(STAMP)
	$(BIN)/python -c "from nero.manuscript.listing import update_readme_listing; update_readme_listing('README.md')"

# Re-pin every dependency from the current .venv (after a deliberate upgrade). The local lock:
# pip-compile (pip-tools, in its own throwaway .venv-lock) keeps the versions installed in .venv,
# adds the sha256 of every file PyPI holds for each of them (several minutes) and notes which
# requirement pulls each in (the cluster extra is not part of it). The cluster lock: the cluster
# packages' pins from the same freeze (needs `make install-cluster`). Then environment.yml.
lock: $(CLUSTER_STAMP)
	@test -x $(VENV)-lock/bin/pip-compile || { $(PYTHON) -m venv $(VENV)-lock && $(VENV)-lock/bin/python -m pip install --quiet pip-tools==7.7.0; }
	$(BIN)/python -m pip freeze --all --exclude-editable | grep -v -e '^pip==' > $(VENV)/lock-pins.txt
	$(BIN)/python -m nero.envfile split $(VENV)/lock-pins.txt $(VENV)/freeze-local.txt requirements-cluster.lock
	$(VENV)-lock/bin/pip-compile --quiet --extra test --all-build-deps --allow-unsafe --generate-hashes --strip-extras \
	    --no-emit-index-url --no-emit-find-links --index-url https://pypi.org/simple \
	    --constraint $(VENV)/freeze-local.txt --output-file requirements.lock pyproject.toml
	$(BIN)/python -m nero.envfile requirements.lock environment.yml
	@touch $(STAMP) $(CLUSTER_STAMP)

clean-results:
	rm -rf results .snakemake
