"""Project files stay in sync: environment.yml, README, Makefile and notebook kernels."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert f"python{project['requires-python']}" in deps  # the same versions as pyproject
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    extras = pip[0].split("[")[1].rstrip("]").split(",")
    assert pip[0].startswith("-e .[")
    assert set(extras) == set(project["optional-dependencies"])


def test_readme_opens_with_the_two_commands():
    lines = [ln for ln in (ROOT / "README.md").read_text().splitlines() if ln.strip()]
    commands = [ln.split("#")[0].strip() for ln in lines[1:5] if ln.startswith("make ")]
    assert commands == ["make demo", "make test"]


def test_makefile_runs_only_files_that_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    scripts = re.findall(r"\b((?:bench|notebooks|reports)/[\w./-]+\.(?:py|yaml|ipynb))", makefile)
    assert scripts, "the Makefile names its scripts"
    assert [s for s in scripts if not (ROOT / s).exists()] == []


def test_notebooks_open_in_the_project_kernel_that_make_install_registers():
    import nbformat

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "ipykernel install --sys-prefix --name fdsa" in makefile
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert nbformat.read(path, as_version=4).metadata.kernelspec.name == "fdsa", path.name


def test_every_package_and_its_data_is_listed_for_the_wheel():
    """The wheel is built from pyproject's lists: every package and every data file in them."""
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "fdsa").rglob("__init__.py")
    }
    assert set(tool["packages"]) == {*found, "fdsa.notebooks"}
    assert tool["package-dir"] == {"fdsa.notebooks": "notebooks"}
    data = tool["package-data"]
    for package in tool["packages"]:
        folder = ROOT / tool["package-dir"].get(package, package.replace(".", "/"))
        for path in folder.iterdir():
            if path.is_file() and path.suffix not in (".py", ".pyc") and path.name != "py.typed":
                patterns = data.get(package, [])
                assert any(path.match(p) for p in patterns), f"{path} is not package data"


def test_make_test_keeps_a_module_group_on_one_worker(tmp_path):
    """Modules whose fixture runs reports mark themselves ``xdist_group``; ``make test``
    runs ``--dist loadgroup``, and the pytest and xdist installed must honour it (pytest
    9.2 with xdist 3.8 did not: each worker then ran such a fixture again)."""
    import subprocess
    import sys

    assert "--dist loadgroup" in (ROOT / "Makefile").read_text(encoding="utf-8")
    (tmp_path / "test_grouped.py").write_text(
        "import os, pathlib, pytest\n"
        "pytestmark = pytest.mark.xdist_group('g')\n"
        "@pytest.mark.parametrize('i', range(8))\n"
        "def test_worker(i):\n"
        "    seen = pathlib.Path(__file__).with_name(f'worker-{i}')\n"
        "    seen.write_text(os.environ['PYTEST_XDIST_WORKER'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-q",
         "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    workers = [(tmp_path / f"worker-{i}").read_text() for i in range(8)]
    assert len(set(workers)) == 1, workers
