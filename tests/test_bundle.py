"""The offline bundle and the web build, checked on disk (the browser tests open them)."""

from __future__ import annotations

import os
import re
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator import bundle
from generator.build import Project, build, mkdocs_build
from tests.conftest import BuiltSite, CliRunner, copy_project

NAME = "western-balkans-fact-sheets"
SITE_URL = "https://western-balkans-facts.github.io/fact-sheets/"


class Resources(HTMLParser):
    """Collects what a page loads (scripts, styles, images, frames...) and its canonical link."""

    LOADING_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src"}

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.canonical: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link":
            rel = values.get("rel", "").split()
            if "canonical" in rel:
                self.canonical.append(values.get("href", ""))
            elif {"stylesheet", "icon", "preload", "modulepreload", "preconnect", "manifest"} & set(rel):
                self.loads.append(values.get("href", ""))
        elif tag in self.LOADING_ATTRS and values.get(self.LOADING_ATTRS[tag]):
            self.loads.append(values[self.LOADING_ATTRS[tag]])
        if values.get("srcset"):
            self.loads.append(values["srcset"])


def parse(page: Path) -> Resources:
    parser = Resources()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_make_site_writes_the_named_zip(built_site: BuiltSite) -> None:
    assert built_site.bundle.name == f"{NAME}-offline.zip"
    assert built_site.offline.name == NAME


def test_bundle_has_pages_shim_and_one_search_index(built_site: BuiltSite) -> None:
    with zipfile.ZipFile(built_site.bundle) as archive:
        names = archive.namelist()
    assert names == sorted(names)
    assert all(name.startswith(f"{NAME}/") for name in names)
    files = {name.removeprefix(f"{NAME}/") for name in names}
    assert {"index.html", "people/albin-kurti.html", "facts.json", "facts.csv", "facts.schema.json"} <= files
    assert "assets/javascripts/iframe-worker/shim.js" in files
    assert [f for f in files if f.startswith("search/")] == ["search/search_index.js"]
    assert not [f for f in files if f.endswith((".map", "404.html")) or f.startswith("sitemap")]
    shim = Path(bundle.__file__).resolve().parent.parent / bundle.SHIM
    assert (built_site.offline / "assets/javascripts/iframe-worker/shim.js").read_bytes() == shim.read_bytes()


def test_bundle_entries_have_fixed_times_and_permissions(built_site: BuiltSite) -> None:
    with zipfile.ZipFile(built_site.bundle) as archive:
        infos = archive.infolist()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    expected = time.gmtime(int(epoch))[:6] if epoch else (1980, 1, 1, 0, 0, 0)
    assert {info.date_time for info in infos} == {tuple(expected)}
    assert {info.external_attr >> 16 for info in infos} == {0o644}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}


def test_offline_pages_load_the_local_shim_and_nothing_remote(built_site: BuiltSite) -> None:
    pages = sorted(built_site.offline.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        loads = parse(page).loads
        shims = [src for src in loads if "iframe-worker" in src]
        assert len(shims) == 1 and shims[0].endswith("assets/javascripts/iframe-worker/shim.js"), page
        assert not [src for src in loads if urlsplit(src).scheme or src.startswith("//")], page


def test_offline_pages_name_no_web_address_of_their_own(built_site: BuiltSite) -> None:
    """A canonical link from the web address and a page.html name would name a page the web site does not have."""
    pages = sorted(built_site.offline.rglob("*.html"))
    assert [page for page in pages if parse(page).canonical] == []
    web_page = re.compile(rf'"{re.escape(SITE_URL)}[^"]*\.html"')
    assert not [page for page in pages if web_page.search(page.read_text(encoding="utf-8"))]


def test_web_build_keeps_directory_urls_sitemap_and_canonical_links(built_site: BuiltSite) -> None:
    site = built_site.site
    assert (site / "people" / "albin-kurti" / "index.html").is_file()
    assert not (site / "people" / "albin-kurti.html").exists()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}people/albin-kurti/</loc>" in sitemap
    assert parse(site / "people" / "albin-kurti" / "index.html").canonical == [f"{SITE_URL}people/albin-kurti/"]
    assert (site / "facts.json").is_file() and (site / "facts.csv").is_file()


def test_no_web_page_loads_anything_from_another_host(built_site: BuiltSite) -> None:
    pages = sorted(built_site.site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        remote = [src for src in parse(page).loads if urlsplit(src).scheme in ("http", "https") or src.startswith("//")]
        assert remote == [], page
        text = page.read_text(encoding="utf-8")
        # Material's repository widget would fetch star counts from the forge's API.
        assert 'data-md-component="source"' not in text, page
        assert "fonts.googleapis" not in text and "unpkg" not in text, page
    for stylesheet in built_site.site.rglob("*.css"):
        remote = re.search(r"""url\(\s*["']?(https?:)?//|@import""", stylesheet.read_text(encoding="utf-8"))
        assert remote is None, stylesheet


def test_bundle_is_byte_for_byte_reproducible(built_site: BuiltSite) -> None:
    first = built_site.bundle.read_bytes()
    assert bundle.build_bundle(built_site.project, mkdocs_build, lambda _: None) == []
    assert built_site.bundle.read_bytes() == first


def test_source_date_epoch_sets_the_entry_times(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768867200")
    assert bundle.zip_timestamp() == (2026, 1, 20, 0, 0, 0)
    for written in (" 1768867200\n", "+1768867200", "1_768_867_200"):  # as validate reads it
        monkeypatch.setenv("SOURCE_DATE_EPOCH", written)
        assert bundle.zip_timestamp() == (2026, 1, 20, 0, 0, 0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "-5")
    assert bundle.zip_timestamp() == (1980, 1, 1, 0, 0, 0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert bundle.zip_timestamp() == (1980, 1, 1, 0, 0, 0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4354819200")  # 2108: validate takes it, and a zip cannot hold it
    assert bundle.zip_timestamp() == (2107, 12, 31, 23, 59, 58)
    with zipfile.ZipFile(tmp_path / "x.zip", "w") as written:  # which the zip format takes
        written.writestr(zipfile.ZipInfo("x", bundle.zip_timestamp()), b"")


def test_slug_of_site_name() -> None:
    assert bundle.slug("Western Balkans fact sheets") == NAME
    assert bundle.slug("Kosovo / Serbia: 2026!") == "kosovo-serbia-2026"
    assert bundle.slug("¿?") == "site"


def test_missing_shim_is_reported_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project")
    monkeypatch.setattr(bundle, "SHIM_ROOTS", ())
    outcome = build(project, bundle=True)
    assert [(p.file, p.message, p.hint) for p in outcome.problems] == [
        (
            "mkdocs.offline.yml",
            "node_modules/iframe-worker/shim/index.js not found",
            "run `make setup-npm` (or `npm ci`) first",
        )
    ]
    assert not (project.root / "dist").exists()


def test_offline_config_must_name_a_local_shim(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = project.root / "mkdocs.offline.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("iframe-worker/shim.js", "shim.js"), encoding="utf-8")
    problems = bundle.build_bundle(project, mkdocs_build, lambda _: None)
    assert [p.message for p in problems] == [
        "extra.polyfills names no local iframe-worker shim; the offline plugin would link a CDN"
    ]


def test_cli_build_writes_the_bundle_unless_told_not_to(tmp_path: Path, run_cli: CliRunner) -> None:
    project = copy_project(tmp_path / "project")
    result = run_cli("build", "--no-bundle", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert not (project.root / "dist").exists()
    result = run_cli("build", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert (project.root / "dist" / f"{NAME}-offline.zip").is_file()
    assert re.search(rf"^bundle: dist/{NAME}-offline\.zip, \d+ files, \d+ KiB in ", result.stderr, re.M)


def test_the_site_and_the_bundle_ship_the_licences_of_the_code_they_carry(built_site: BuiltSite) -> None:
    """Material's theme and iframe-worker are MIT-licensed, which asks that their notices go with every copy: the
    copies kept in content/ are the pinned packages' own, and the About page links them on the web and offline."""
    from importlib import metadata

    material = next(
        f for f in metadata.files("mkdocs-material") or () if str(f).endswith(".dist-info/licenses/LICENSE")
    )
    installed = {
        "mkdocs-material.txt": Path(str(material.locate())).read_bytes(),
        "iframe-worker.txt": (
            Path(bundle.__file__).resolve().parent.parent / "node_modules/iframe-worker/LICENSE"
        ).read_bytes(),
    }
    for name in installed:
        kept = (built_site.project.content / "assets" / "licenses" / name).read_bytes()
        assert kept == installed[name], f"{name}: copy it again from the installed package"
        assert (built_site.site / "assets" / "licenses" / name).read_bytes() == kept
        assert (built_site.offline / "assets" / "licenses" / name).read_bytes() == kept
    for about in (built_site.site / "about" / "index.html", built_site.offline / "about.html"):
        text = about.read_text(encoding="utf-8")
        assert re.search(r'href="(\.\./)?assets/licenses/mkdocs-material\.txt"', text), about
        assert re.search(r'href="(\.\./)?assets/licenses/iframe-worker\.txt"', text), about


def test_the_pager_is_shown_but_left_out_of_the_search_index(built_site: BuiltSite) -> None:
    """A search for a figure ("2 billion") matched every page whose pager links a page 2."""
    import json

    page = (built_site.site / "timeline" / "2026" / "index.html").read_text(encoding="utf-8")
    assert 'Pages: <strong aria-current="page">1</strong>' in page
    index = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [doc for doc in index["docs"] if doc["location"].startswith("timeline/2026/")]
    assert entries and not [doc["location"] for doc in entries if "Pages:" in doc["text"]]
    offline = (built_site.offline / "search" / "search_index.js").read_text(encoding="utf-8")
    assert "Pages:" not in offline


def test_a_finding_in_the_offline_build_names_the_bundle_not_site(tmp_path: Path) -> None:
    """The offline build is checked as the web build is; its findings say which of the two they are in."""
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    (tmp_path / bundle.OFFLINE_CONFIG).write_text(
        "INHERIT: mkdocs.yml\nextra:\n  polyfills:\n    - assets/javascripts/iframe-worker/shim.js\n", encoding="utf-8"
    )
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "about.md").write_text("# About\n", encoding="utf-8")

    def unsafe_build(_project: object, site: Path, **_: object) -> object:
        """What MkDocs would build from a hand-written page with a script in it."""
        site.mkdir(parents=True)
        (site / "about.html").write_text("<p>About</p><script>alert(1)</script>\n", encoding="utf-8")
        return type("Built", (), {"returncode": 0, "stderr": ""})()

    said: list[str] = []
    problems = bundle.build_bundle(Project(tmp_path), unsafe_build, said.append)
    assert [(p.file, p.message, p.hint) for p in problems] == [
        (
            "dist/test-offline.zip/about.html",
            "script element not from the theme: <script>alert(1)",
            "the page is built from content/about.md",
        )
    ]
    assert said[-1].startswith("post-build check: 1 file failed; the offline bundle was left as it was.")
    assert not (tmp_path / "dist").exists()
