"""The pins: requirements.lock holds every transitive version; environment.yml repeats them."""

import re

from nero.envfile import environment_yaml, read_lock, read_lock_hashes


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


def test_every_pin_carries_sha256_hashes(repo_root):
    # `make install` runs pip with --require-hashes: a pin without a hash would stop it
    hashes = read_lock_hashes(repo_root / "requirements.lock")
    assert len(hashes) == len(read_lock(repo_root / "requirements.lock")) > 100
    missing = [pin for pin, found in hashes.items() if not found]
    assert missing == []
    bad = [h for found in hashes.values() for h in found if not re.fullmatch(r"[0-9a-f]{64}", h)]
    assert bad == []


def test_read_lock_hashes_joins_continuations(tmp_path):
    lock = tmp_path / "req.lock"
    lock.write_text(
        "# header\n"
        "six==1.17.0 \\\n    --hash=sha256:" + "a" * 64 + " \\\n    --hash=sha256:" + "b" * 64 + "\n"
        "    # via pandas\n"
        "\n"
        "bare==1.0  # no hash\n"
        "last==2.0 \\\n    --hash=sha256:" + "c" * 64 + "\n",
        encoding="utf-8")
    assert read_lock_hashes(lock) == {"six==1.17.0": ["a" * 64, "b" * 64], "bare==1.0": [], "last==2.0": ["c" * 64]}
    assert read_lock(lock) == ["six==1.17.0", "bare==1.0", "last==2.0"]


def _pyproject(repo_root):
    import tomllib

    return tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement):
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower()


def test_runtime_and_test_dependencies_are_split(repo_root):
    project = _pyproject(repo_root)["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    test = {_name(r) for r in project["optional-dependencies"]["test"]}
    assert {"pytest", "pytest-benchmark", "hypothesis", "xmlschema", "ruff"} <= test
    assert runtime.isdisjoint(test)
    assert "highspy" not in runtime  # imported nowhere (scipy bundles HiGHS)
    assert "threadpoolctl" in runtime  # nero.sem._common imports it
    locked = {p.split("==")[0].lower() for p in read_lock(repo_root / "requirements.lock")}
    assert runtime | test <= locked
    assert "highspy" not in locked


def test_build_floor_supports_the_license_expression(repo_root):
    # `license = "MIT"` (a PEP 639 SPDX expression) needs setuptools >= 77
    data = _pyproject(repo_root)
    assert data["project"]["license"] == "MIT"
    floor = [r for r in data["build-system"]["requires"] if _name(r) == "setuptools"]
    assert floor == ["setuptools>=77"]
