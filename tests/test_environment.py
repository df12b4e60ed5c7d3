"""The pins: requirements.lock holds every transitive version; environment.yml repeats them."""

import re

from nero.envfile import environment_yaml, read_lock


def test_lock_pins_exact_versions(repo_root):
    pins = read_lock(repo_root / "requirements.lock")
    assert pins, "requirements.lock is empty"
    bad = [p for p in pins if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[^=\s]+", p)]
    assert bad == [], f"lines that are not exact pins: {bad}"
    names = {p.split("==")[0].lower() for p in pins}
    for needed in ("snakemake", "threadpoolctl", "pandas", "numpy", "scipy", "statsmodels", "pytest"):
        assert needed in names


def test_environment_yml_has_the_same_pins(repo_root):
    pins = read_lock(repo_root / "requirements.lock")
    text = (repo_root / "environment.yml").read_text()
    found = re.findall(r"^\s+- ([A-Za-z0-9_.\-\[\]]+==\S+)$", text, flags=re.M)
    assert found == pins
    assert environment_yaml(pins, python_version="3.11").count("==") == len(pins)


def test_installed_versions_match_the_lock(repo_root):
    import importlib.metadata as md

    for pin in read_lock(repo_root / "requirements.lock"):
        name, version = pin.split("==")
        assert md.version(name) == version, f"{name}: installed {md.version(name)}, locked {version}"
