#ifndef AMLGRAPH_CSUPPORT_H
#define AMLGRAPH_CSUPPORT_H
#include <stdint.h>
#include <stdbool.h>

// Relaxed and sequentially-consistent atomics on plain uint32_t arrays, for lock-free
// union-find in the graph kernels. Swift's own atomics cannot live inside a flat [UInt32].
static inline uint32_t aml_atomic_load_u32(const uint32_t *p) {
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}
static inline void aml_atomic_store_u32(uint32_t *p, uint32_t v) {
    __atomic_store_n(p, v, __ATOMIC_RELAXED);
}
static inline bool aml_atomic_cas_u32(uint32_t *p, uint32_t expected, uint32_t desired) {
    return __atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}
static inline uint64_t aml_atomic_fetch_add_u64(uint64_t *p, uint64_t v) {
    return __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}
#endif
