"""PEP 517 build backend of the policy-check wheel: maturin, or a wheel that is already built.

`pip install .` always runs the build backend, and so does pre-commit's `language: python`
(it pip installs the hook repository). maturin compiles the Rust binary, which needs cargo.
So that a machine without Rust can use the `*-python` pre-commit hooks, this backend first
looks for a wheel of exactly this version, built for this platform (by scripts/package.sh,
or downloaded), in the places pip's find-links names (PIP_FIND_LINKS: directories, file://
URLs or .whl paths). When it finds one, that wheel is the build result and nothing is
compiled. Otherwise every hook is maturin's, and maturin is fetched as a build dependency.

Written by hand because no backend does this: maturin always compiles.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import sys
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import unquote, urlparse

# The maturin that builds from source (the same bounds as scripts/package.sh's pin).
MATURIN = "maturin>=1.9,<2"
DIST_NAME = "policy_check"
ROOT = Path(__file__).resolve().parent.parent


def _version() -> str:
    """The crate's version: the wheel's version too (pyproject.toml says it is dynamic)."""
    text = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    package = re.search(r"^\[package\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    found = package and re.search(r'^version\s*=\s*"([^"]+)"', package.group(1), re.M)
    if not found:
        raise SystemExit("policy-check build backend: no [package] version in Cargo.toml")
    return found.group(1)


def _glibc() -> tuple[int, int] | None:
    """This machine's glibc version, or None (musl, or not Linux)."""
    try:
        name, version = os.confstr("CS_GNU_LIBC_VERSION").split()  # "glibc 2.36"
        major, minor = version.split(".")[:2]
        return (int(major), int(minor)) if name == "glibc" else None
    except (AttributeError, OSError, ValueError):
        return None


def _platform_fits(tag: str) -> bool:
    """Whether one platform tag of a wheel name runs here (PEP 600 / 656 for Linux)."""
    if tag == "any":
        return True
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    if sys.platform.startswith("linux"):
        legacy = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
        m = re.fullmatch(r"(manylinux|musllinux)_(\d+)_(\d+)_(\w+)", tag)
        if m:
            kind, need, arch = m.group(1), (int(m.group(2)), int(m.group(3))), m.group(4)
        else:
            m = re.fullmatch(r"(manylinux1|manylinux2010|manylinux2014|linux)_(\w+)", tag)
            if not m:
                return False
            kind, arch = m.group(1), m.group(2)
            need = legacy.get(kind)
            kind = "manylinux" if need else kind
        if arch != machine:
            return False
        glibc = _glibc()
        if kind == "manylinux":
            return glibc is not None and glibc >= need
        if kind == "musllinux":
            return glibc is None
        return True  # plain linux_<arch>: built on a machine like this one
    # Elsewhere only the exact platform of this interpreter (e.g. macosx_11_0_arm64, win_amd64).
    import sysconfig

    return tag == re.sub(r"[-.]", "_", sysconfig.get_platform())


def _find_links() -> list[Path]:
    places = []
    for entry in os.environ.get("PIP_FIND_LINKS", "").split():
        if "://" in entry:
            url = urlparse(entry)
            if url.scheme != "file":
                continue  # an index page: pip itself may still use it; we do not fetch
            entry = unquote(url.path)
        places.append(Path(entry))
    return places


def prebuilt_wheel() -> Path | None:
    """The newest-named wheel of this version that runs here, from PIP_FIND_LINKS, if any."""
    pattern = re.compile(
        rf"{DIST_NAME}-{re.escape(_version())}-py3-none-(?P<plat>[\w.]+)\.whl", re.I
    )
    found = []
    for place in _find_links():
        candidates = [place] if place.is_file() else sorted(place.glob("*.whl"))
        for wheel in candidates:
            m = pattern.fullmatch(wheel.name)
            if m and any(_platform_fits(t) for t in m.group("plat").split(".")):
                found.append(wheel)
    return found[-1] if found else None


def _maturin():
    try:
        import maturin
    except ImportError as e:  # pip installs it through get_requires_for_build_wheel
        raise SystemExit(f"policy-check build backend: maturin is not installed: {e}") from e
    return maturin


def _source_requires() -> list[str]:
    if not shutil.which("cargo"):
        links = " ".join(str(p) for p in _find_links()) or "(PIP_FIND_LINKS is not set)"
        raise SystemExit(
            f"policy-check {_version()}: no prebuilt wheel for this platform in {links}, and no "
            "cargo on PATH to build one.\nEither point PIP_FIND_LINKS at a directory holding "
            f"{DIST_NAME}-{_version()}-py3-none-<platform>.whl (scripts/package.sh writes it to "
            "dist/), or install Rust 1.95+ (https://rustup.rs) to build from source."
        )
    return [MATURIN]


# --- PEP 517 hooks -----------------------------------------------------------------------


def get_requires_for_build_wheel(config_settings: Mapping[str, Any] | None = None) -> list[str]:
    return [] if prebuilt_wheel() else _source_requires()


def build_wheel(
    wheel_directory: str,
    config_settings: Mapping[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    wheel = prebuilt_wheel()
    if wheel is None:
        return _maturin().build_wheel(wheel_directory, config_settings, metadata_directory)
    print(f"policy-check: using the prebuilt wheel {wheel} (nothing to compile)")
    shutil.copy2(wheel, Path(wheel_directory) / wheel.name)
    return wheel.name


def get_requires_for_build_sdist(config_settings: Mapping[str, Any] | None = None) -> list[str]:
    return [MATURIN]


def build_sdist(sdist_directory: str, config_settings: Mapping[str, Any] | None = None) -> str:
    return _maturin().build_sdist(sdist_directory, config_settings)


def get_requires_for_build_editable(config_settings: Mapping[str, Any] | None = None) -> list[str]:
    return _source_requires()


def build_editable(
    wheel_directory: str,
    config_settings: Mapping[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    return _maturin().build_editable(wheel_directory, config_settings, metadata_directory)
