// The C APIs of the system compression libraries Parquet needs (Debian: libzstd-dev,
// libsnappy-dev, zlib1g-dev, liblz4-dev, libbrotli-dev). Wrapped in Swift by Sources/Parquet/Codecs.
#ifndef AMLGRAPH_CCODECS_SHIM_H
#define AMLGRAPH_CCODECS_SHIM_H
#include <zstd.h>
#include <snappy-c.h>
#include <zlib.h>
#include <lz4.h>
#include <brotli/decode.h>
#include <brotli/encode.h>
#endif
