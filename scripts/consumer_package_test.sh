#!/usr/bin/env bash
# Builds a tiny package that depends on amlgraph by version, in release mode, as any other
# project would: no unsafe build flags may stand in the way (SwiftPM refuses them in
# versioned dependencies). The dependency is a snapshot of this work tree's tracked files,
# committed and tagged in a scratch repository.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
WORK="$(mktemp -d /tmp/amlgraph-consumer.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/amlgraph"
git ls-files -z | xargs -0 cp --parents -t "$WORK/amlgraph"
(
  cd "$WORK/amlgraph"
  git init -q
  git add -A
  git -c user.name=ci -c user.email=ci@localhost commit -qm snapshot
  git tag 0.1.0
)

mkdir -p "$WORK/consumer/Sources/consumer"
cat > "$WORK/consumer/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "consumer",
    dependencies: [.package(url: "file://$WORK/amlgraph", from: "0.1.0")],
    targets: [.executableTarget(name: "consumer", dependencies: [
        .product(name: "GraphAlgorithms", package: "amlgraph"),
        .product(name: "Matrix", package: "amlgraph"),
    ])]
)
SWIFT
cat > "$WORK/consumer/Sources/consumer/main.swift" <<'SWIFT'
import GraphAlgorithms
import Matrix

// Two components, {0, 1, 2} and {3, 4}, each labelled by its smallest member.
let labels = WeaklyConnectedComponents.labels(vertexCount: 5, src: [0, 1, 3], dst: [1, 2, 4])
let solved = try LAPACK.solve(Matrix<Double>([[2, 1], [1, 3]]), [3, 5])
print("labels \(labels.map(String.init).joined(separator: " ")) solve \(solved.map { ($0 * 10).rounded() / 10 })")
SWIFT

cd "$WORK/consumer"
swift build -c release > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; echo "consumer-package: FAILED to build amlgraph as a versioned dependency"; exit 1; }
got="$(.build/release/consumer)"
want="labels 0 0 0 3 3 solve [0.8, 1.4]"
if [ "$got" != "$want" ]; then echo "consumer-package: expected '$want', got '$got'"; exit 1; fi
echo "consumer-package: built amlgraph 0.1.0 as a dependency in release mode; output ok"
