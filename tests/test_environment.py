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
        encoding="utf-8",
    )
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


def test_cluster_lock_pins_the_executor_plugins_apart_from_the_local_lock(repo_root):
    from nero.envfile import package_name

    local = {package_name(p) for p in read_lock(repo_root / "requirements.lock")}
    cluster = read_lock(repo_root / "requirements-cluster.lock")
    bad = [p for p in cluster if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[^=\s]+", p)]
    assert bad == [], f"lines that are not exact pins: {bad}"
    names = {package_name(p) for p in cluster}
    assert {
        "snakemake-executor-plugin-slurm",
        "snakemake-executor-plugin-slurm-jobstep",
        "snakemake-executor-plugin-kubernetes",
        "kubernetes",
    } <= names
    assert names & local == set(), "a package pinned in both locks"
    assert not any(n.startswith("snakemake-executor-plugin") for n in local), "an executor plugin in the local lock"


def test_pyproject_cluster_extra_is_pinned_by_the_cluster_lock(repo_root):
    import tomllib

    from nero.envfile import package_name

    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extra = {
        package_name(re.split(r"[<>=!~ ;\[]", d, maxsplit=1)[0]) for d in project["optional-dependencies"]["cluster"]
    }
    cluster = {package_name(p) for p in read_lock(repo_root / "requirements-cluster.lock")}
    assert extra and extra <= cluster
    assert not any("executor-plugin" in d for d in project["dependencies"])


def test_installed_cluster_packages_match_their_lock(repo_root):
    import importlib.metadata as md

    from nero.envfile import installed

    pins = dict(p.split("==") for p in read_lock(repo_root / "requirements-cluster.lock"))
    for name in installed(list(f"{n}=={v}" for n, v in pins.items())):
        assert md.version(name) == pins[name], f"{name}: installed {md.version(name)}, locked {pins[name]}"


def test_split_lock_by_normalised_name_keeps_order():
    from nero.envfile import split_lock

    pins = ["Alpha_Pkg==1.0", "beta==2", "pyasn1_modules==0.4.2", "zeta.x==3"]
    local, cluster = split_lock(pins, ["pyasn1-modules", "alpha-pkg", "ZETA_X"])
    assert local == ["beta==2"]
    assert cluster == ["Alpha_Pkg==1.0", "pyasn1_modules==0.4.2", "zeta.x==3"]
    assert split_lock(pins, []) == (pins, [])


def test_split_lock_refuses_a_cluster_package_missing_from_the_freeze():
    import pytest

    from nero.envfile import split_lock

    with pytest.raises(ValueError, match=r"not installed here: \['kubernetes'\].*make install-cluster"):
        split_lock(["beta==2", "six==1.17.0"], ["six", "Kubernetes"])


def test_split_command_writes_both_locks(tmp_path):
    from nero.envfile import CLUSTER_HEADER, main

    (tmp_path / "freeze.txt").write_text("a==1\nsix==1.17.0\nb==2\n", encoding="utf-8")
    (tmp_path / "cluster.lock").write_text("# old header\nsix==1.16.0\n", encoding="utf-8")
    assert (
        main(["split", str(tmp_path / "freeze.txt"), str(tmp_path / "local.lock"), str(tmp_path / "cluster.lock")]) == 0
    )
    assert (tmp_path / "local.lock").read_text(encoding="utf-8") == "a==1\nb==2\n"
    assert (tmp_path / "cluster.lock").read_text(encoding="utf-8") == CLUSTER_HEADER + "six==1.17.0\n"
    (tmp_path / "freeze.txt").write_text("a==1\n", encoding="utf-8")
    assert (
        main(["split", str(tmp_path / "freeze.txt"), str(tmp_path / "local.lock"), str(tmp_path / "cluster.lock")]) == 1
    )
    assert (tmp_path / "local.lock").read_text(encoding="utf-8") == "a==1\nb==2\n"  # nothing written


def test_installed_names_only_packages_present_here(capsys, tmp_path):
    from nero.envfile import installed, main

    assert installed(["numpy==0.0", "no-such-package-nero-test==1.0"]) == ["numpy"]
    (tmp_path / "x.lock").write_text("# comment\nno-such-package-nero-test==1.0\npandas==0\n", encoding="utf-8")
    assert main(["installed", str(tmp_path / "x.lock")]) == 0
    assert capsys.readouterr().out == "pandas\n"
