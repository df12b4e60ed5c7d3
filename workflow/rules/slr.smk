# Stage 0, the systematic literature review: database exports -> de-duplication ->
# two-screener screening -> AJG filter -> PRISMA 2020 flow -> coding tables -> keyword map.
# The library is nero.slr; docs/slr.md describes every input and output.

SLR_CONF = config["slr"]
SLR_RAW = RAW / SLR_CONF["input"]
SLR = "results/slr"
SLR_SEARCH_FILES = sorted(str(p) for p in (SLR_RAW / "searches").rglob("*") if p.is_file())
SLR_SCREENING_FILES = sorted(str(p) for p in (SLR_RAW / "screening").rglob("*") if p.is_file())
SLR_CATEGORY = "Stage 0: literature review"


rule import_literature:
    input:
        files=raw_inputs(SLR_SEARCH_FILES),
        checksums=raw_stamps(SLR_SEARCH_FILES),
        verified=verified("slr"),
    output:
        records=f"{SLR}/records.csv",
        searches=report(f"{SLR}/searches.csv", caption="../report/slr_searches.rst", category=SLR_CATEGORY),
    params:
        searches=input_folder("files", SLR_RAW / "searches"),
    log:
        f"{LOGS}/slr/import_literature.log",
    benchmark:
        f"{BENCH}/slr/import_literature.tsv"
    script:
        "../scripts/slr_import.py"


rule deduplicate_records:
    input:
        records=f"{SLR}/records.csv",
        verified=verified("slr"),
    output:
        unique=f"{SLR}/unique_records.csv",
        log=report(f"{SLR}/dedup_log.csv", caption="../report/slr_dedup_log.rst", category=SLR_CATEGORY),
        groups=f"{SLR}/record_groups.csv",
    params:
        prefer=SLR_CONF["prefer"],
    log:
        f"{LOGS}/slr/deduplicate_records.log",
    script:
        "../scripts/slr_deduplicate.py"


rule screen_records:
    input:
        unique=f"{SLR}/unique_records.csv",
        groups=f"{SLR}/record_groups.csv",
        journals=ancient(SLR_RAW / SLR_CONF["journal_list"]),
        screening=raw_inputs(SLR_SCREENING_FILES),
        checksums=raw_stamps([SLR_RAW / SLR_CONF["journal_list"], *SLR_SCREENING_FILES]),
        verified=verified("slr"),
    output:
        flow=report(f"{SLR}/flow.csv", caption="../report/slr_flow.rst", category=SLR_CATEGORY),
        agreement=report(f"{SLR}/screening_agreement.csv", caption="../report/slr_agreement.rst", category=SLR_CATEGORY),
        prisma_table=report(f"{SLR}/prisma.csv", caption="../report/slr_prisma_table.rst", category=SLR_CATEGORY),
        prisma=f"{SLR}/prisma.json",
        included=report(f"{SLR}/included.csv", caption="../report/slr_included.rst", category=SLR_CATEGORY),
    params:
        screening=input_folder("screening", SLR_RAW / "screening"),
        settings={k: SLR_CONF[k] for k in ("document_types", "languages", "years", "screeners", "min_rating", "rating_column")},
    log:
        f"{LOGS}/slr/screen_records.log",
    script:
        "../scripts/slr_screen.py"


rule draw_prisma:
    input:
        prisma=f"{SLR}/prisma.json",
    output:
        png=report(f"{SLR}/prisma.png", caption="../report/slr_prisma.rst", category=SLR_CATEGORY),
        pdf=f"{SLR}/prisma.pdf",
    log:
        f"{LOGS}/slr/draw_prisma.log",
    script:
        "../scripts/slr_prisma_figure.py"


rule summarise_coding:
    input:
        sheet=ancient(SLR_RAW / SLR_CONF["coding_sheet"]),
        checksums=raw_stamps([SLR_RAW / SLR_CONF["coding_sheet"]]),
        groups=f"{SLR}/record_groups.csv",
        included=f"{SLR}/included.csv",
        verified=verified("slr"),
    output:
        elements=report(f"{SLR}/coding_elements.csv", caption="../report/slr_coding_elements.rst", category=SLR_CATEGORY),
        apmo_by_technology=report(f"{SLR}/apmo_by_technology.csv", caption="../report/slr_apmo_by_technology.rst", category=SLR_CATEGORY),
        pathway_by_outcome=report(f"{SLR}/pathway_by_outcome.csv", caption="../report/slr_pathway_by_outcome.rst", category=SLR_CATEGORY),
        pathways=report(f"{SLR}/pathways.csv", caption="../report/slr_pathways.rst", category=SLR_CATEGORY),
        per_year=report(f"{SLR}/articles_per_year.csv", caption="../report/slr_articles_per_year.rst", category=SLR_CATEGORY),
        per_journal=report(f"{SLR}/articles_per_journal.csv", caption="../report/slr_articles_per_journal.rst", category=SLR_CATEGORY),
    log:
        f"{LOGS}/slr/summarise_coding.log",
    script:
        "../scripts/slr_coding.py"


rule map_keywords:
    input:
        included=f"{SLR}/included.csv",
        thesaurus=ancient(SLR_RAW / SLR_CONF["thesaurus"]),
        checksums=raw_stamps([SLR_RAW / SLR_CONF["thesaurus"]]),
        verified=verified("slr"),
    output:
        keywords=report(f"{SLR}/keywords.csv", caption="../report/slr_keywords.rst", category=SLR_CATEGORY),
        map=f"{SLR}/vosviewer_map.txt",
        network=f"{SLR}/vosviewer_network.txt",
        png=report(f"{SLR}/keyword_map.png", caption="../report/slr_keyword_map.rst", category=SLR_CATEGORY),
        pdf=f"{SLR}/keyword_map.pdf",
    params:
        settings=SLR_CONF["map"],
        seed=SEED,
    log:
        f"{LOGS}/slr/map_keywords.log",
    benchmark:
        f"{BENCH}/slr/map_keywords.tsv"
    script:
        "../scripts/slr_keyword_map.py"


rule trace_thematic_evolution:
    input:
        included=f"{SLR}/included.csv",
        thesaurus=ancient(SLR_RAW / SLR_CONF["thesaurus"]),
        checksums=raw_stamps([SLR_RAW / SLR_CONF["thesaurus"]]),
        verified=verified("slr"),
    output:
        table=report(f"{SLR}/thematic_evolution.csv", caption="../report/slr_thematic_evolution.rst", category=SLR_CATEGORY),
        links=report(f"{SLR}/thematic_links.csv", caption="../report/slr_thematic_links.rst", category=SLR_CATEGORY),
    params:
        periods=SLR_CONF["periods"],
        min_occurrences=SLR_CONF["period_min_occurrences"],
        resolution=SLR_CONF["map"]["resolution"],
        starts=SLR_CONF["map"]["random_starts"],
        seed=SEED,
    log:
        f"{LOGS}/slr/trace_thematic_evolution.log",
    script:
        "../scripts/slr_thematic_evolution.py"


ALL_TARGETS.extend(
    [
        f"{SLR}/searches.csv",
        f"{SLR}/dedup_log.csv",
        f"{SLR}/flow.csv",
        f"{SLR}/prisma.png",
        f"{SLR}/coding_elements.csv",
        f"{SLR}/keyword_map.png",
        f"{SLR}/thematic_evolution.csv",
    ]
)
