#!/usr/bin/env python3
"""Render krew-manifest.yaml for a release: put each archive's real sha256 in place of the
committed placeholder.

    scripts/render-krew-manifest.py --tag v0.1.0 --archives dist --out dist/ds.yaml

The committed manifest already carries the release's version and uris (tests/krew.rs checks
them against Cargo.toml and against the archive names .github/workflows/release.yml builds), so
rendering only fills in digests. It works line by line, with the standard library only, so that
the result keeps the committed layout and the release runner needs no YAML package. It refuses
to write anything half-rendered: the tag must equal spec.version, every uri must name an archive
present in --archives, every archive must be named by a uri, and no placeholder may remain.
The output is named after the plugin (`ds.yaml`) because krew's validate-krew-manifest takes the
plugin name from the file name.
"""

import argparse
import hashlib
import pathlib
import re
import sys

URI = re.compile(r"^(\s*-?\s*)uri:\s*(\S+)\s*$")
SHA = re.compile(r'^(\s*-?\s*)sha256:\s*"?([0-9a-fA-F]*)"?\s*$')
VERSION = re.compile(r"^  version:\s*(\S+)\s*$")
PLACEHOLDER = "0" * 64


def sha256(path: pathlib.Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def render(manifest: str, tag: str, archives: pathlib.Path) -> str:
    lines = manifest.splitlines()
    # The committed header explains the placeholders; the rendered file has none.
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    out = [f"# Rendered by scripts/render-krew-manifest.py for {tag} from the release archives."]
    versions = [m.group(1) for m in map(VERSION.match, lines) if m]
    if versions != [tag]:
        sys.exit(f"spec.version {versions} does not match the tag {tag!r}")
    prefix = f"/releases/download/{tag}/"
    pending = None  # digest of the last uri, for the sha256 line of the same platform
    used = set()
    for line in lines:
        if m := URI.match(line):
            uri = m.group(2)
            if prefix not in uri:
                sys.exit(f"uri {uri} is not an asset of release {tag}")
            name = uri.rsplit("/", 1)[1]
            path = archives / name
            if not path.is_file():
                sys.exit(f"uri {uri} names {name}, which is not in {archives}")
            if pending is not None:
                sys.exit(f"uri {uri} follows a uri without a sha256 line")
            pending = sha256(path)
            used.add(name)
        elif m := SHA.match(line):
            if pending is None:
                sys.exit(f"sha256 line without a preceding uri: {line.strip()}")
            line = f'{m.group(1)}sha256: "{pending}"'
            pending = None
        out.append(line)
    if pending is not None:
        sys.exit("the last uri has no sha256 line")
    present = {p.name for p in archives.iterdir() if p.name.endswith((".tar.gz", ".zip"))}
    if present != used:
        sys.exit(f"archives without a manifest entry: {sorted(present - used)}")
    if not used:
        sys.exit("the manifest names no archive")
    text = "\n".join(out) + "\n"
    if PLACEHOLDER in text:
        sys.exit("a placeholder digest remains")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", required=True, help="the release tag, e.g. v0.1.0")
    parser.add_argument("--archives", required=True, type=pathlib.Path, help="directory holding the archives")
    parser.add_argument("--out", required=True, type=pathlib.Path, help="where to write the rendered manifest")
    parser.add_argument("--manifest", type=pathlib.Path, default=pathlib.Path("krew-manifest.yaml"))
    args = parser.parse_args()
    text = render(args.manifest.read_text(encoding="utf-8"), args.tag, args.archives)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
