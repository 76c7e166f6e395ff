// swift-tools-version:6.0
import PackageDescription

// Layers (each imports only those below it):
//   amlgraph (CLI) -> AMLPipeline -> GraphAlgorithms -> PropertyGraph -> Columnar -> CSupport
//   AMLPipeline -> AMLWorkbench (table I/O, graph loading, timed jobs) -> DeltaLake -> Parquet (+ CCodecs) -> Columnar
//   SyntheticData -> Columnar
//   amlgraph (CLI) -> SparkEngine (the operations as Spark plans) -> SparkConnect (gRPC client, Arrow IPC) -> Columnar


let package = Package(
    name: "amlgraph",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "amlgraph", targets: ["amlgraph"]),
        .library(name: "Columnar", targets: ["Columnar"]),
        .library(name: "PropertyGraph", targets: ["PropertyGraph"]),
        .library(name: "GraphAlgorithms", targets: ["GraphAlgorithms"]),
        .library(name: "SyntheticData", targets: ["SyntheticData"]),
        .library(name: "AMLPipeline", targets: ["AMLPipeline"]),
        .library(name: "Parquet", targets: ["Parquet"]),
        .library(name: "DeltaLake", targets: ["DeltaLake"]),
        .library(name: "Matrix", targets: ["Matrix"]),
        .library(name: "EntityResolution", targets: ["EntityResolution"]),
        .library(name: "AMLWorkbench", targets: ["AMLWorkbench"]),
        .library(name: "SparkConnect", targets: ["SparkConnect"]),
        .library(name: "SparkEngine", targets: ["SparkEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", "5.0.1"..<"7.0.0"),
        // Spark Connect client (SparkConnect module): gRPC over HTTP/2 and protobuf.
        .package(url: "https://github.com/grpc/grpc-swift-2.git", exact: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", exact: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
    ],
    targets: [
        .target(name: "CSupport"),
        .systemLibrary(name: "CBLAS"),
        .target(name: "Matrix", dependencies: ["CBLAS"]),
        .target(name: "Columnar", dependencies: ["CSupport"]),
        .systemLibrary(name: "CCodecs", path: "Sources/CCodecs"),
        .target(name: "Parquet", dependencies: ["Columnar", "CCodecs"]),
        .target(name: "PropertyGraph", dependencies: ["Columnar", "CSupport"]),
        .target(name: "GraphAlgorithms", dependencies: ["PropertyGraph", "Columnar", "CSupport"]),
        .target(name: "SyntheticData", dependencies: ["Columnar"]),
        .target(name: "DeltaLake", dependencies: ["Parquet", "Columnar"]),
        .target(name: "EntityResolution", dependencies: ["GraphAlgorithms", "PropertyGraph", "Columnar"]),
        .target(name: "AMLWorkbench", dependencies: ["Columnar", "Parquet", "DeltaLake", "PropertyGraph", "GraphAlgorithms"]),
        .target(name: "AMLPipeline", dependencies: ["AMLWorkbench", "GraphAlgorithms", "PropertyGraph", "Columnar", "DeltaLake", "Parquet", "Matrix", "EntityResolution",
                                                    .product(name: "Yams", package: "Yams")]),
        // The .proto subset is the source of the committed generated Swift (scripts/generate_spark_protos.sh).
        .target(name: "SparkConnect", dependencies: [
            "Columnar",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ], exclude: ["Protos"]),
        .target(name: "SparkEngine", dependencies: ["SparkConnect", "AMLWorkbench", "AMLPipeline", "Columnar", "Parquet", "DeltaLake", "GraphAlgorithms",
                                                  "EntityResolution"]),
        .executableTarget(name: "amlgraph", dependencies: [
            "AMLPipeline", "AMLWorkbench", "EntityResolution", "GraphAlgorithms", "PropertyGraph", "Columnar", "SyntheticData", "Parquet", "DeltaLake", "Matrix",
            "SparkEngine", "SparkConnect",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "ColumnarTests", dependencies: ["Columnar"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "Columnar"]),
        .testTarget(name: "PropertyGraphTests", dependencies: ["PropertyGraph"]),
        .testTarget(name: "GraphAlgorithmsTests", dependencies: ["GraphAlgorithms"]),
        .testTarget(name: "AMLPipelineTests", dependencies: ["AMLPipeline", "AMLWorkbench"]),
        .testTarget(name: "MatrixTests", dependencies: ["Matrix"]),
        .testTarget(name: "EntityResolutionTests", dependencies: ["EntityResolution", "Columnar"]),
        .testTarget(name: "SyntheticDataTests", dependencies: ["SyntheticData", "Columnar"]),
        .testTarget(name: "DeltaLakeTests", dependencies: ["DeltaLake", "Parquet", "Columnar"]),
        .testTarget(name: "SparkConnectTests", dependencies: ["SparkConnect", "Columnar"]),
    ],
    swiftLanguageModes: [.v5]
)
