# Audit stage: the raw data are checked against their manifest before anything reads
# them, and every run leaves a provenance record. Raw files are ancient() inputs: their
# checksum stamps (common.smk, CHECKSUMS) decide what reruns, not their times.


rule verify_raw:
    input:
        manifest=ancient(RAW / "MANIFEST.sha256"),
        files=raw_inputs(raw_files()),
        checksums=raw_stamps([RAW / "MANIFEST.sha256", *raw_files()]),
    output:
        VERIFIED,
    log:
        f"{LOGS}/verify_raw.log",
    script:
        "../scripts/verify_raw.py"


rule verify_raw_part:
    input:
        manifest=ancient(RAW / "MANIFEST.sha256"),
        files=raw_part_files,
        checksums=raw_part_stamps,
    output:
        "results/provenance/raw_verified_{part}.json",
    wildcard_constraints:
        part="|".join(RAW_PARTS),
    log:
        f"{LOGS}/verify_raw_{{part}}.log",
    script:
        "../scripts/verify_raw.py"


rule write_provenance:
    input:
        verified=VERIFIED,
        raw=raw_inputs(raw_files()),
        checksums=raw_stamps(raw_files()),
        config=["config/config.yaml", "config/schema.yaml", CODEBOOK],
        code=code_files(),
    output:
        "results/provenance.json",
    log:
        f"{LOGS}/write_provenance.log",
    script:
        "../scripts/write_provenance.py"


ALL_TARGETS.extend([VERIFIED, "results/provenance.json"])
ALL_TARGETS.extend(verified(part) for part in RAW_PARTS)
