# Report stage: one self-contained results/report.html with every flagged table and figure.
# Included last, so every stage's report() outputs are known here.


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


REPORT_ITEMS = report_items()


rule build_report:
    input:
        results=[item["path"] for item in REPORT_ITEMS],
        captions=sorted({item["caption"] for item in REPORT_ITEMS if item["caption"]}),
        provenance="results/provenance.json",
    output:
        "results/report.html",
    params:
        catalog=json.dumps(REPORT_ITEMS, sort_keys=True),
    log:
        f"{LOGS}/build_report.log",
    script:
        "../scripts/build_report.py"


ALL_TARGETS.append("results/report.html")
