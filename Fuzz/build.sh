#!/usr/bin/env bash
# Builds every libFuzzer target in Fuzz/Targets into $FUZZ_SCRATCH/fuzzers/<target> (default
# .build-fuzz/fuzzers). See Fuzz/README.md.
#
#   Fuzz/build.sh            all targets
#   Fuzz/build.sh NAME...    only these targets (file names in Fuzz/Targets without .swift)
#
# Step 1 compiles the project's libraries (the dependency closure of the AppComposition target,
# which includes Routes, OAuth, Privy, Crypto, MCPEndpoint and the MCP SDK) with SwiftPM into a scratch folder
# of its own, instrumented for libFuzzer (-sanitize=fuzzer: coverage and comparison tracing)
# and AddressSanitizer, with -enable-testing so targets may `@testable import`. Nothing is
# linked there: the main package exports only the FCGIApp executable.
# Step 2 links each target's main file with Fuzz/Support and those object files using swiftc
# -sanitize=fuzzer,address; libFuzzer provides main().
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${FUZZ_SCRATCH:-.build-fuzz}
CONFIG=${FUZZ_CONFIG:-release}
JOBS=${FUZZ_JOBS:-2}

echo "fuzz: building the libraries into $SCRATCH ($CONFIG, -sanitize=fuzzer,address)" >&2
swift build --scratch-path "$SCRATCH" -c "$CONFIG" -j "$JOBS" --sanitize=address \
    -Xswiftc -sanitize=fuzzer -Xswiftc -enable-testing --target AppComposition >&2

BUILD="$SCRATCH/$CONFIG"
OUT="$SCRATCH/fuzzers"
mkdir -p "$OUT"

# Clang module maps of the system-library shims and of the SDK's C targets, so the Swift
# modules that import them load.
maps=()
for map in "$PWD"/Sources/C*/module.modulemap "$PWD/$SCRATCH"/checkouts/*/Sources/*/include/module.modulemap; do
    [ -f "$map" ] && maps+=(-Xcc "-fmodule-map-file=$map")
done
# Header folders of the system libraries outside /usr/include (libpq's, for StoragePostgres,
# which AppComposition brings in), as SwiftPM finds them with pkg-config.
for flag in $(pkg-config --cflags-only-I libpq libcurl openssl 2>/dev/null); do
    maps+=(-Xcc "$flag")
done
# Every library object, never those of executables or tests (they would bring a second main).
# Swift targets: the objects SwiftPM's output-file-map names for the sources as they are now
# (an object left behind by a deleted source file would bring stale symbols); C targets: *.o.
mapfile -t objects < <(python3 - "$BUILD" <<'PY'
import glob, json, os, re, sys
skip = re.compile(r"^(FCGIApp|Bench|\w*Tests|MCPConformance\w*|chatgpt_app_fcgi\w*)\.build$")
for folder in sorted(glob.glob(os.path.join(sys.argv[1], "*.build"))):
    if skip.match(os.path.basename(folder)):
        continue
    file_map = os.path.join(folder, "output-file-map.json")
    if os.path.exists(file_map):
        with open(file_map) as handle:
            entries = json.load(handle)
        found = [e["object"] for source, e in entries.items() if source and "object" in e and os.path.exists(e["object"])]
    else:
        found = sorted(glob.glob(os.path.join(folder, "*.o")))
    for path in found:
        print(path)
PY
)
[ "${#objects[@]}" -gt 0 ] || { echo "fuzz: no library objects in $BUILD" >&2; exit 1; }

if [ "$#" -gt 0 ]; then targets=("$@"); else
    targets=()
    for file in Fuzz/Targets/*.swift; do targets+=("$(basename "$file" .swift)"); done
fi

# (No `ls -t | head`: head closing the pipe early would kill the script under pipefail.)
newest_input=Fuzz/Support/Harness.swift
for input in "${objects[@]}" Fuzz/Support/*.swift; do
    [ "$input" -nt "$newest_input" ] && newest_input=$input
done
for target in "${targets[@]}"; do
    source="Fuzz/Targets/$target.swift"
    [ -f "$source" ] || { echo "fuzz: no such target: $target" >&2; exit 1; }
    binary="$OUT/$target"
    if [ -x "$binary" ] && [ "$binary" -nt "$source" ] && [ "$binary" -nt "$newest_input" ]; then
        echo "fuzz: $target is up to date" >&2
        continue
    fi
    echo "fuzz: linking $target" >&2
    # ld.gold warns once per ASan helper symbol ("Cannot export local symbol"): harmless noise.
    swiftc -sanitize=fuzzer,address -parse-as-library -O -I "$BUILD/Modules" -module-cache-path "$BUILD/ModuleCache" \
        "${maps[@]}" Fuzz/Support/*.swift "$source" "${objects[@]}" -o "$binary" 2>&1 \
        | { grep -v -E "Cannot export local symbol" || true; } >&2
    [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: linking $target failed" >&2; exit 1; }
done
echo "fuzz: targets in $OUT" >&2
