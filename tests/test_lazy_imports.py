"""Package names load on first use, so the workflow's start-up and light jobs import little."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

LAZY = ["nero.survey", "nero.simulate", "nero.manuscript", "nero.report"]
HEAVY = ["pandas", "pandera", "scipy", "matplotlib", "statsmodels", "docx"]


def _imported_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_importing_the_packages_and_the_workflow_helpers_imports_nothing_heavy():
    assert (
        _imported_after(
            "import " + ", ".join(LAZY) + ", nero.outputs, nero.provenance.checksums, "
            "nero.survey.codebook, nero.report.dag, nero.provenance.buildstamp"
        )
        == set()
    )


def test_a_name_loads_its_module_and_only_what_that_needs():
    assert _imported_after("from nero.report import Lineage") <= {"pandas"}
    assert "pandas" in _imported_after("from nero.survey import clean_survey")


@pytest.mark.parametrize("package", LAZY)
def test_every_exported_name_resolves_and_is_listed(package):
    module = importlib.import_module(package)
    assert module.__all__, package
    for name in module.__all__:
        value = getattr(module, name)
        assert value is not None, f"{package}.{name}"
        assert name in dir(module)
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018
