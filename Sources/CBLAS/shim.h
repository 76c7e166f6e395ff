#ifndef AMLGRAPH_CBLAS_SHIM_H
#define AMLGRAPH_CBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
