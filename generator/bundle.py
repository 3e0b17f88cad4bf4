"""The offline bundle: the site built to work from disk, zipped reproducibly into ``dist/``.

MkDocs builds ``mkdocs.offline.yml`` (Material's offline plugin) into a temporary
folder; the iframe-worker shim from ``node_modules/`` goes where that config's
``extra.polyfills`` points, so no page asks a CDN for it. Files a reader on disk
never uses are left out, and the zip's entries are sorted with fixed timestamps.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load

from generator import ownership
from generator.postcheck import check_site, failed_check
from generator.problems import Problem
from generator.progress import Say
from generator.site_files import configured_scripts

if TYPE_CHECKING:
    from generator.build import Project

OFFLINE_CONFIG = "mkdocs.offline.yml"
SHIM = Path("node_modules") / "iframe-worker" / "shim" / "index.js"
# Directories searched for node_modules/: the project's, then the checkout the generator runs from.
SHIM_ROOTS = (Path(__file__).resolve().parent.parent,)
# Not needed from disk: source maps, the web server's 404 page, sitemaps of the web
# addresses, and the JSON search index (from file:// Material loads search_index.js).
LEFT_OUT = re.compile(r"(^|/)404\.html$|\.map$|^sitemap\.xml(\.gz)?$|^search/search_index\.json$")
# The earliest time a zip entry can carry; used unless SOURCE_DATE_EPOCH says otherwise.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

Builder = Callable[..., Any]


def slug(name: str) -> str:
    """A file-name form of a site name: ``Western Balkans fact sheets`` -> ``western-balkans-fact-sheets``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "site"


ZIP_LAST = 4354819198
"""2107-12-31 23:59:58, the last time a zip entry can carry, in seconds since 1970."""


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    """The time every entry carries: SOURCE_DATE_EPOCH if set, within the times a zip can carry, else 1980-01-01.

    A value that is no whole number of seconds is reported by validate (``lifecycle.resolve_today``)."""
    try:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "").strip())  # as validate reads it: "+1_768_867_200" too
    except ValueError:
        return ZIP_EPOCH
    stamp = time.gmtime(min(max(epoch, 315532800), ZIP_LAST))  # 1980-01-01, the zip format's first day
    return (stamp.tm_year, stamp.tm_mon, stamp.tm_mday, stamp.tm_hour, stamp.tm_min, stamp.tm_sec)


def find_shim(root: Path) -> Path | None:
    """The installed iframe-worker shim, or None when ``npm ci`` has not run."""
    for base in (root, *SHIM_ROOTS):
        if (base / SHIM).is_file():
            return base / SHIM
    return None


def shim_target(config: dict[str, Any]) -> str | None:
    """The site path of the iframe-worker polyfill the offline config names, if any."""
    for entry in (config.get("extra") or {}).get("polyfills") or []:
        path = entry.get("path", "") if isinstance(entry, dict) else str(entry)
        if "iframe-worker" in path and "://" not in path and not path.startswith("/"):
            return path
    return None


def bundled_files(site: Path) -> list[str]:
    """Files of a built site that go into the bundle, as sorted POSIX paths."""
    names = (p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    return sorted(name for name in names if not LEFT_OUT.search(name))


def write_zip(site: Path, files: list[str], folder: str, target: Path) -> None:
    """Zip files under one top folder, byte for byte the same for the same input."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for left in target.parent.glob(f".{target.name}.*.tmp"):  # from a run killed while it zipped
        if left.is_file() and not left.is_symlink():
            left.unlink()
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    stamp = zip_timestamp()
    try:
        with zipfile.ZipFile(temp, "w") as archive:
            for name in files:
                info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3  # Unix, so the permissions above apply everywhere
                archive.writestr(info, (site / name).read_bytes(), compresslevel=9)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _problem(message: str, hint: str = "") -> list[Problem]:
    return [Problem(OFFLINE_CONFIG, 0, 0, message, hint=hint)]


def build_bundle(project: Project, mkdocs_build: Builder, say: Say) -> list[Problem]:
    """Build the offline site with ``mkdocs_build`` and zip it to ``dist/<site-name>-offline.zip``."""
    config_path = project.root / OFFLINE_CONFIG
    if not config_path.is_file():
        say(f"bundle: no {OFFLINE_CONFIG}, so no offline bundle")
        return []
    start = time.perf_counter()
    try:
        with config_path.open("rb") as stream:
            config = yaml_load(stream)
    except (OSError, ConfigurationError) as exc:
        return _problem(f"cannot read the offline configuration: {exc}")
    target_path = shim_target(config)
    if target_path is None:
        return _problem("extra.polyfills names no local iframe-worker shim; the offline plugin would link a CDN")
    shim = find_shim(project.root)
    if shim is None:
        return _problem(f"{SHIM.as_posix()} not found", hint="run `make setup-npm` (or `npm ci`) first")
    name = slug(str(config.get("site_name", "")))
    # Beside site/, named as build's staging folders are, so that one a killed run left is removed by the next.
    temp = ownership.make_staging(project.root, ".site-build-offline-")
    try:
        site = temp / "site"
        result = mkdocs_build(project, site, config=config_path, label="bundle")
        if result.returncode != 0:
            lines = result.stderr.strip().splitlines()
            return _problem("mkdocs build of the offline bundle failed:\n" + "\n".join(lines[-20:]))
        destination = site / PurePosixPath(target_path)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shim, destination)
        scripts = configured_scripts(config)
        unsafe = check_site(site, f"dist/{name}-offline.zip", content=project.content, scripts=scripts)
        if unsafe:  # the bundle must meet the same rules as the web site
            say(failed_check(unsafe, "the offline bundle was left as it was"))
            return unsafe
        files = bundled_files(site)
        target = project.root / "dist" / f"{name}-offline.zip"
        write_zip(site, files, name, target)
    finally:
        ownership.remove_staging_folder(temp, ignore_errors=True)
    elapsed = time.perf_counter() - start
    size = target.stat().st_size
    say(f"bundle: dist/{target.name}, {len(files)} files, {size / 1024:.0f} KiB in {elapsed:.2f}s")
    return []
