/* uniform_twin.h: the state, setup, check and teardown of the uniform
 * kernel's compile-time-schedule twins (uniform_static, uniform_static1,
 * uniform_dynamic1, uniform_guided): uniform's work (item i costs
 * osw_spin(i, 64)) and uniform's exact check, with the schedule written in
 * the pragma instead of schedule(runtime). Each twin's file holds only its
 * timed loop; the functions here are static, one copy per twin. */
#ifndef OSW_UNIFORM_TWIN_H
#define OSW_UNIFORM_TWIN_H

#include "kernel.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>

#define OSW_UNIFORM_STEPS 64

typedef struct osw_uniform_twin {
    size_t n;
    uint64_t checksum;
} osw_uniform_twin;

static int osw_uniform_twin_setup(void **ctx, size_t n)
{
    osw_uniform_twin *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->n = n;
    k->checksum = 0x5eed;
    *ctx = k;
    return 0;
}

/* Exact: the sum mod 2^64 of a serial loop, in reverse order. */
static int osw_uniform_twin_verify(const void *ctx, double *rel_err)
{
    const osw_uniform_twin *k = ctx;
    uint64_t ref = 0;
    for (size_t i = k->n; i > 0; i--)
        ref += osw_spin(i - 1, OSW_UNIFORM_STEPS);
    *rel_err = k->checksum == ref ? 0.0 : 1.0;
    return k->checksum == ref;
}

static void osw_uniform_twin_teardown(void *ctx)
{
    free(ctx);
}

/* The descriptor of twin NAME (uniform's cost model). */
#define OSW_UNIFORM_TWIN(NAME, SUMMARY)                                                            \
    const osw_kernel osw_##NAME = {                                                                \
        .name = #NAME,                                                                             \
        .summary = SUMMARY,                                                                        \
        .unit = "items",                                                                           \
        .bytes_per_elem = 0,                                                                       \
        .ops_per_elem = 3 * OSW_UNIFORM_STEPS,                                                     \
        .alloc_bytes_per_elem = 0,                                                                 \
        .kind = OSW_CPU_BOUND,                                                                     \
        .default_n = 1u << 18,                                                                     \
        .setup = osw_uniform_twin_setup,                                                           \
        .run = run,                                                                                \
        .verify = osw_uniform_twin_verify,                                                         \
        .teardown = osw_uniform_twin_teardown,                                                     \
        .combine = OSW_COMBINE_NONE,                                                               \
    }

#endif
