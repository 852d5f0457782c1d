"""The production image installs exact, hashed versions (requirements.lock, `make lock`): a
dependency added to pyproject.toml without refreshing the lock fails here, not in a build."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]


def project_dependencies() -> list[Requirement]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return [Requirement(r) for r in tomllib.load(f)["project"]["dependencies"]]


def locked() -> dict[str, tuple[Version, list[str]]]:
    """name -> (pinned version, its hashes), from requirements.lock."""
    text = (ROOT / "requirements.lock").read_text()
    pins = {}
    for block in re.split(r"\n(?=\S)", text):
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if match:
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
            pins[canonicalize_name(match[1])] = (Version(match[2]), hashes)
    return pins


def extra_requirements(requirement: Requirement) -> list[Requirement]:
    """What the requirement's extras add (celery[redis] -> kombu[redis], ...) on this Python and
    platform, from the installed distribution's metadata (`make install` installs them all)."""
    added: list[Requirement] = []
    if not requirement.extras:
        return added
    for raw in metadata.requires(requirement.name) or []:
        needed = Requirement(raw)
        if needed.marker is None or needed.marker.evaluate({"extra": ""}):
            continue  # not an extra's: the lock's own resolution covers it
        if any(needed.marker.evaluate({"extra": extra}) for extra in requirement.extras):
            added.append(needed)
    return added


def test_every_dependency_is_pinned_in_the_lock_within_its_range():
    pins = locked()
    for requirement in project_dependencies():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock: run `make lock`"
        version, hashes = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements.lock pins {name}=={version}, outside {requirement}: run `make lock`"
        )
        assert hashes, f"{name} has no hash in requirements.lock"


def test_what_the_extras_bring_is_pinned_too():
    pins = locked()
    brought = [
        (requirement, needed)
        for requirement in project_dependencies()
        for needed in extra_requirements(requirement)
    ]
    assert len(brought) >= 4  # celery[redis], qrcode[pil], psycopg[binary], django-storages[s3]
    for requirement, needed in brought:
        assert canonicalize_name(needed.name) in pins, (
            f"{needed.name} (for {requirement}) is not in requirements.lock: run `make lock`"
        )


def test_the_image_installs_the_lock_and_nothing_else():
    runs = [
        line
        for line in (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
        if line.startswith("RUN") and "pip install" in line
    ]
    assert len(runs) == 1, runs
    assert "--require-hashes" in runs[0] and "-r requirements.lock" in runs[0]
    assert "COPY requirements.lock" in (ROOT / "Dockerfile").read_text()
