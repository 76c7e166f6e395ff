#!/usr/bin/env bash
# Regenerates Sources/SparkConnect/Generated/*.pb.swift from the .proto subset in
# Sources/SparkConnect/Protos/. Not part of the build: the generated Swift is committed, because
# building the protoc-gen-swift plugin takes about ten minutes.
#
# Needs `protoc` (Debian: protobuf-compiler) and protoc-gen-swift built from swift-protobuf at
# the version Package.swift pins (1.39.0), e.g. in a scratch directory:
#   git clone https://github.com/apple/swift-protobuf /tmp/swift-protobuf
#   (cd /tmp/swift-protobuf && git checkout 1.39.0 && swift build -c release --product protoc-gen-swift)
#   PROTOC_GEN_SWIFT=/tmp/swift-protobuf/.build/release/protoc-gen-swift scripts/generate_spark_protos.sh
set -euo pipefail
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || true)}"
[ -x "$plugin" ] || { echo "error: set PROTOC_GEN_SWIFT to a protoc-gen-swift 1.39.0 binary" >&2; exit 1; }
command -v protoc >/dev/null || { echo "error: protoc not found (apt-get install protobuf-compiler)" >&2; exit 1; }
out=Sources/SparkConnect/Generated
mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$plugin" \
  --proto_path=Sources/SparkConnect/Protos \
  --swift_opt=Visibility=Public \
  --swift_out="$out" \
  Sources/SparkConnect/Protos/*.proto
echo "generated: $(ls "$out")"
