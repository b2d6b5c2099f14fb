"""The generated files: rendering them, comparing them with the ones on disk, and writing them."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ._format import ruff_format
from ._render_client import render_client_module
from ._render_raw import render_raw_init, render_raw_modules
from ._render_resources import render_resource_module, render_resources_init
from ._sources import CodegenError, SourceModule, read_sources
from ._tables import GENERATED_DIRS, HAND_WRITTEN, HEADER

__all__ = ["Formatter", "WriteReport", "compare", "generate", "write"]

Formatter = Callable[[str, Path], str]
"""Formats generated source text as if it were the file at the given path."""

_GENERATED_MARK = HEADER.splitlines()[0]


def generate(package_dir: Path, *, formatter: Formatter | None = None) -> dict[PurePosixPath, str]:
    """Every generated file's text, by its path in the package, rendered from the sources in `package_dir`.

    The raw twins (`resources/_raw/`) come first: they are then read like the hand-written resources, so
    that the blocking facade (`_sync/`) twins them too. `formatter` defaults to `ruff_format`.
    """
    format_file = formatter or ruff_format
    package = package_dir.name
    sources = read_sources(package_dir)
    files: dict[PurePosixPath, str] = {}

    def add(relative: PurePosixPath, source: str, body: str) -> str:
        text = HEADER.format(source=source) + body
        try:
            compile(text, str(relative), "exec")
        except SyntaxError as error:
            raise CodegenError(
                f"generated invalid code for {relative} (a generator bug): {error}\n{text}"
            ) from None
        files[relative] = format_file(text, package_dir / relative)
        return files[relative]

    raw = PurePosixPath("resources", "_raw")
    raw_modules, problems = render_raw_modules(sources, package)
    for module, body in raw_modules.items():
        relative = raw / f"{module}.py"
        text = add(relative, str(sources.resource_modules[module][0].module.path), body)
        sources.add(SourceModule.parse(package, relative, text), module)
    add(raw / "__init__.py", f"{package}/resources/", render_raw_init())
    sync = PurePosixPath("_sync")
    add(sync / "_client.py", str(sources.client.module.path), render_client_module(sources, package))
    for module, classes in sources.resource_modules.items():
        text = render_resource_module(module, classes, sources, package)
        add(sync / "resources" / f"{module}.py", str(classes[0].module.path), text)
    add(sync / "resources" / "__init__.py", f"{package}/resources/", render_resources_init(sources, package))
    if problems:
        raise CodegenError("\n".join(problems))
    return files


def compare(output: Path, files: Mapping[PurePosixPath, str]) -> list[str]:
    """How the directory `output` differs from `files`, one description per file; stale ones with a diff."""
    problems: list[str] = []
    for relative, text in sorted(files.items()):
        path = output / relative
        if not path.is_file():
            problems.append(f"missing: {path}")
            continue
        current = path.read_text(encoding="utf-8")
        if current != text:
            diff = difflib.unified_diff(
                current.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"{path} (on disk)",
                f"{path} (generated)",
            )
            problems.append(f"stale: {path}\n{''.join(diff)}")
    problems += [
        f"extra: {output / relative} is neither generated nor hand-written"
        for relative in _extra(output, files)
    ]
    return problems


@dataclass
class WriteReport:
    """What `write` did, and the extra files it left alone."""

    written: list[Path] = field(default_factory=list[Path])
    deleted: list[Path] = field(default_factory=list[Path])
    foreign: list[Path] = field(default_factory=list[Path])
    """Files that are neither generated nor hand-written and carry no generated header: not deleted."""


def write(output: Path, files: Mapping[PurePosixPath, str]) -> WriteReport:
    """Write the files that differ, and delete the generated files that no source produces any more."""
    report = WriteReport()
    for relative, text in sorted(files.items()):
        path = output / relative
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        report.written.append(path)
    for relative in _extra(output, files):
        path = output / relative
        if _is_generated(path):
            path.unlink()
            report.deleted.append(path)
        else:
            report.foreign.append(path)
    return report


def _extra(output: Path, files: Mapping[PurePosixPath, str]) -> list[PurePosixPath]:
    """The files in the generated directories of `output` that are neither in `files` nor hand-written."""
    expected = set(files) | {PurePosixPath(name) for name in HAND_WRITTEN}
    on_disk = (
        PurePosixPath(path.relative_to(output).as_posix())
        for directory in GENERATED_DIRS
        for path in (output / directory).rglob("*")
        if path.is_file()
    )
    return sorted(path for path in on_disk if "__pycache__" not in path.parts and path not in expected)


def _is_generated(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as file:
            return file.readline().startswith(_GENERATED_MARK)
    except (OSError, UnicodeDecodeError):
        return False
