# Helpers shared by every stage: config validation, raw-input discovery, target registry.

import json
import os
import sys
from pathlib import Path

from snakemake.utils import validate

from nero.config import ConfigError, check_config

try:
    check_config(config, Path(workflow.basedir) / "config" / "schema.yaml")
except ConfigError as exc:
    raise WorkflowError(str(exc)) from None
validate(config, schema="../../config/schema.yaml")

RAW = Path(config["raw_dir"])
CODEBOOK = config["codebook"]
SEED = config["seed"]
LOGS = "results/logs"
BENCH = "results/benchmarks"

# Every analysis rule takes this file as input, so nothing runs on raw data that do not
# match data/raw/MANIFEST.sha256.
VERIFIED = "results/provenance/raw_verified.json"

# The raw data come in parts (sub-folders of raw_dir: survey, interviews). Each analysis
# rule takes the verification of the part it reads, so that adding a survey wave reruns
# only what depends on the survey. The manifest is an ancient() input of the part
# checks (it changes whenever any part changes); the files themselves are plain inputs.
RAW_PARTS = ["interviews", "slr", "survey"]


def verified(part):
    """The verification record of one raw-data part (an input of every rule that reads it)."""
    return f"results/provenance/raw_verified_{part}.json"


# Stage files append the outputs that `rule all` builds.
ALL_TARGETS = []

# No mix of old and new results: when a run starts, the existing outputs of every job it
# will rerun are removed (Snakemake would delete them before each job anyway), so a run
# that fails half-way leaves those outputs missing, not stale beside fresh ones; `nero
# status` lists what is out of date. On failure the console's last lines are nero's
# message from each failed rule's log (the traceback stays in the log).
_NERO_RUN_START = __import__("time").time()


# On a local run the Python script jobs run in children of a warm fork server, which imports
# what the scripts import once (nero.provenance.forkserver; NERO_FORK_SERVER=0 turns it off).
_NERO_FORK_SERVER = []


onstart:
    from nero.outputs import remove_outdated_outputs
    import nero
    from nero.provenance.forkserver import serve_script_jobs
    from nero.provenance.scheduler import drop_default_rate_limiter

    if not workflow.touch:
        remove_outdated_outputs(workflow.dag.needrun_jobs(), f"{LOGS}/outdated_removed.txt")
    # a local run needs no job-rate limiter, whose timers re-run the scheduling loop ever more often
    drop_default_rate_limiter(workflow)
    _NERO_FORK_SERVER.append(
        serve_script_jobs(workflow, Path(workflow.basedir, "workflow", "scripts"), Path(nero.__file__).parent)
    )


onsuccess:
    from nero.provenance.forkserver import stop_serving

    for _server in _NERO_FORK_SERVER:
        stop_serving(_server)


onerror:
    from nero.outputs import failed_rule_errors, format_failures
    from nero.provenance.forkserver import stop_serving

    for _server in _NERO_FORK_SERVER:
        stop_serving(_server)
    print(format_failures(failed_rule_errors(LOGS, since=_NERO_RUN_START)), file=sys.stderr)


# The command that started this run, for the provenance record. It travels in the
# environment (not in params:), so a different command line does not rerun anything.
# The program is named, not its installed path (no machine path in results/).
os.environ["NERO_SNAKEMAKE_COMMAND"] = json.dumps(["snakemake", *sys.argv[1:]])


# Declared, so that Snakemake passes it on to jobs on other machines (cluster, Kubernetes).
envvars:
    "NERO_SNAKEMAKE_COMMAND",


# Content, not modification times, decides what reruns (nero.provenance.checksums): each raw
# file has a checksum stamp under CHECKSUMS, rewritten here, when the workflow is read, only
# if the file's content changed. Rules that read raw files take them as ancient() inputs
# (their times are ignored) and their stamps as plain inputs (raw_inputs / raw_stamps), so a
# file replaced by a copy with an older time reruns what depends on it, and a `touch` with
# the same content reruns nothing.
CHECKSUMS = "results/provenance/checksums"

if not RAW.is_dir():
    raise WorkflowError(f"raw_dir {str(RAW)!r} (config key 'raw_dir') is not a folder")
from nero.provenance.checksums import refresh_stamps as _refresh_stamps, stamp_path as _stamp_path
from nero.provenance.record import library_inputs as _library_inputs

_refresh_stamps(RAW, CHECKSUMS)


def raw_inputs(paths):
    """Raw files as inputs whose modification times do not count (their stamps do)."""
    return [ancient(p) for p in paths]


def raw_stamps(paths):
    """The checksum stamps of raw files (inputs that change only when the content does)."""
    return [str(_stamp_path(p, RAW, CHECKSUMS)) for p in paths]


def input_folder(key, folder):
    """A params function: the folder ``folder`` that holds the rule's input ``key``, read off the input.

    Derived from the input path (not typed as a path prefix), so it follows the path Snakemake
    gives the input (e.g. under a storage prefix on a cluster without a shared file system);
    locally it is ``folder`` itself. Without an input file it is ``folder``.
    """
    folder = str(folder)

    def from_input(wildcards, input):
        files = input[key]
        first = str(files) if isinstance(files, str) else (str(files[0]) if len(files) else "")
        at = first.rfind(folder)
        return first[: at + len(folder)] if at >= 0 else folder

    return from_input


def raw_files():
    """Every raw input file except the manifest, sorted (paths as the DAG sees them)."""
    return sorted(
        str(p) for p in RAW.rglob("*") if p.is_file() and p.name != "MANIFEST.sha256"
    )


def raw_part_files(wildcards):
    """Every raw file under one part (sorted), as ancient() inputs."""
    root = RAW / wildcards.part
    return raw_inputs(sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.is_dir() else [])


def raw_part_stamps(wildcards):
    """The checksum stamps of every raw file under one part."""
    root = RAW / wildcards.part
    return raw_stamps(sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.is_dir() else [])


def survey_waves():
    """Every folder under <raw_dir>/survey/ is a survey wave (sorted by name)."""
    root = RAW / "survey"
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def wave_files(wave):
    """The export files of one wave."""
    root = RAW / "survey" / wave
    return sorted(str(p) for p in root.iterdir() if p.is_file())


def code_files():
    """Library and workflow sources (their fingerprint goes into the provenance record).

    The library's modules are named by nero.provenance.record.library_inputs (relative in a
    checkout, absolute when the library lies outside this folder, as in an audit's rebuild).
    """
    base = Path(workflow.basedir)
    files = sorted((base / "workflow").rglob("*.smk")) + sorted((base / "workflow").rglob("*.py"))
    files.append(base / "Snakefile")
    return _library_inputs(base) + [str(p.relative_to(base)) for p in files]


# --- helpers of the stage files (each uses only names defined above, so this file reads alone;
# the stage files pass their own lists in)


def survey_wave_exports(wildcards):
    """The export files of one wave folder (ancient(): their checksum stamps decide)."""
    return raw_inputs(wave_files(wildcards.wave))


def survey_wave_stamps(wildcards):
    """The checksum stamps of one wave's export files."""
    return raw_stamps(wave_files(wildcards.wave))


def reported(path, caption, category):
    """``path`` flagged with report() when its caption file ``workflow/report/<caption>`` exists.

    A table is in the report exactly when it has a caption: the caption files are the one list.
    """
    if Path(workflow.basedir, "workflow", "report", caption).is_file():
        return report(path, caption=f"../report/{caption}", category=category)
    return path


def sem_output(name):
    """``results/sem/<name>.csv``, report()-flagged where the examiner reads it."""
    return reported(f"results/sem/{name}.csv", f"sem_{name}.rst", "Measurement and SEM")


# Family -> its output files: the library's table, not a copy of it.
from nero.sem.study import FAMILY_OUTPUTS as SEM_FAMILIES


def sem_files(family):
    """Declared outputs of one SEM family (report()-wrapped where the examiner reads them)."""
    out = []
    for name in SEM_FAMILIES[family]:
        stem = name.rsplit(".", 1)[0]
        out.append(sem_output(stem) if name.endswith(".csv") else f"results/sem/{name}")
    return out


def fsqca_output(name):
    """``results/fsqca/<name>.csv``, report()-flagged where the examiner reads it."""
    return reported(f"results/fsqca/{name}.csv", f"fsqca_{name}.rst", "fsQCA")


def registry_tables(registry, rule_name):
    """The result tables ``registry`` names that exist or that a rule other than ``rule_name`` makes.

    A table that none of the rules makes (a stage not in this workflow yet) is left out; the
    claims that need it are inconclusive, and the claims stage still runs.
    """
    tables = []
    producers = [r for r in workflow.rules if r.name != rule_name]
    for rel in registry.tables():
        path = f"results/{rel}"
        if Path(path).exists() or any(r.is_producer(path) for r in producers):
            tables.append(path)
    return tables


def design_run_matches(design_dir, design_config):
    """Whether the design on disk (``<design_dir>/summary.json``) was run with ``design_config``
    (design.smk: a design made with another design section stays out of the report)."""
    try:
        run = json.loads(Path(design_dir, "summary.json").read_text(encoding="utf-8")).get("design_config")
    except (OSError, ValueError):
        return False
    return run == json.loads(json.dumps(dict(design_config)))


# --- helpers of report.smk


def report_items():
    """Every output flagged with report(), with its rule, caption and category (sorted)."""
    items = []
    base = Path(workflow.basedir)
    for rule_ in workflow.rules:
        for out in rule_.output:
            flag_ = out.flags.get("report") if hasattr(out, "flags") else None
            if not flag_ or "{" in str(out):
                continue
            caption = None
            if flag_.caption is not None:
                caption = os.path.relpath(flag_.caption.get_path_or_uri(True), base)
            items.append(
                {"path": str(out), "rule": rule_.name, "category": flag_.category or "Other", "caption": caption}
            )
    return sorted(items, key=lambda item: (item["category"], item["path"]))


def truth_is_synthetic(path):
    """Whether the truth map at ``path`` declares the data synthetic (real data have none)."""
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("synthetic") is True
    except (OSError, ValueError, AttributeError):
        return False


# The multiverse jobs' inputs and params (workflow/rules/multiverse.smk; names defined there are
# read when Snakemake calls these, after every rule file is included).
_MULTIVERSE_TABLES = []


def multiverse_tables(wildcards):
    """The claims' tables (registry_tables), computed once for the multiverse jobs (it asks every rule about every table)."""
    if not _MULTIVERSE_TABLES:
        _MULTIVERSE_TABLES.append(registry_tables(CLAIMS_REGISTRY, "evaluate_claims"))
    return _MULTIVERSE_TABLES[0]


def multiverse_inputs(wildcards):
    """The shipped tables the claims read, and what the batch's stages start from."""
    stages = {MULTIVERSE_FAMILIES[f]["stage"] for f in MULTIVERSE_BATCHES[wildcards.batch]}
    inputs = {"tables": multiverse_tables(wildcards)}
    if stages & {"fsqca", "fsqca_necessity", "sem_effects", "sem_measurement", "sem_nonresponse"}:
        inputs["clean"] = "results/survey/clean.csv"
    if stages & {"fsqca", "fsqca_necessity"}:
        inputs["fsqca"] = ["results/fsqca/memberships.csv", "results/fsqca/solutions.csv",
                           "results/fsqca/robustness_verdicts.csv"]
    if stages & {"sem_effects", "sem_measurement", "sem_nonresponse"}:
        inputs["codebook"] = config["codebook"]
    if "study1_typology" in stages:
        inputs["study1"] = list(QUAL_IMPORTED.values())
    if "review" in stages:
        raw = [*SLR_SEARCH_FILES, *SLR_SCREENING_FILES, str(SLR_RAW / SLR_CONF["journal_list"]),
               str(SLR_RAW / SLR_CONF["coding_sheet"]), str(SLR_RAW / SLR_CONF["thesaurus"])]
        inputs["raw"] = ancient(raw)
        inputs["checksums"] = raw_stamps(raw)  # content, not modification times, reruns it
        inputs["verified"] = verified("slr")
    if "review_map" in stages:
        inputs["included"] = "results/slr/included.csv"
        inputs["thesaurus"] = ancient(str(SLR_RAW / SLR_CONF["thesaurus"]))
    return inputs


def multiverse_params(wildcards):
    """The batch's family declarations and the config sections their stages read, as JSON (rerun on change)."""
    names = MULTIVERSE_BATCHES[wildcards.batch]
    part = {"families": {n: MULTIVERSE_FAMILIES[n] for n in names}, "seed": config["seed"],
            "statistics": MULTIVERSE.get("statistics") or {}}
    for n in names:
        part.update({s: config.get(s) for s in _MULTIVERSE_SECTIONS[MULTIVERSE_FAMILIES[n]["stage"]]})
    return _multiverse_json.dumps(part, sort_keys=True, default=str)
