"""Project files stay in sync: environment.yml mirrors pyproject.toml; README starts right."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps and project["requires-python"].startswith(">=3.11")
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    extras = pip[0].split("[")[1].rstrip("]").split(",")
    assert pip[0].startswith("-e .[")
    assert set(extras) == set(project["optional-dependencies"])


def test_readme_opens_with_the_two_commands():
    lines = [ln for ln in (ROOT / "README.md").read_text().splitlines() if ln.strip()]
    commands = [ln.split("#")[0].strip() for ln in lines[1:5] if ln.startswith("make ")]
    assert commands == ["make demo", "make test"]
