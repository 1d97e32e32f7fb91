/* ceiling_triad_nt: the machine's ceiling for triad (a[i] = b[i] + s * c[i])
 * with streaming stores, hand-written with vector intrinsics
 * (stream_store.h): one 64-byte line of each array per step, computed in
 * registers (the widest vectors the build targets, one rounding per
 * operation) and written with streaming stores (no write-allocate: 24 bytes
 * really move per element), fenced before the region's barrier. Each thread
 * runs one contiguous block of lines (schedule(static), inlined: the ceiling
 * does not follow the harness's schedule); the n % 8 tail is scalar.
 * Traffic: 16 bytes read + 8 written per element; 2 flops. Check: as triad,
 * every element within 2u of a long double b + s*c. */
#define CEILING_TRIAD_STORE   osw_line_stream
#define CEILING_TRIAD_FENCE() osw_stream_fence()
#include "ceiling_triad.h"

const osw_kernel osw_ceiling_triad_nt = {
    .name = "ceiling_triad_nt",
    .summary = "streaming-store triad ceiling: hand-written vector triad, non-temporal stores",
    .unit = "elements",
    .bytes_per_elem = 24,
    .ops_per_elem = 2,
    .alloc_bytes_per_elem = 24,
    .kind = OSW_MEMORY_BOUND,
    .default_n = 1u << 24,
    .setup = ceiling_triad_setup,
    .run = ceiling_triad_run,
    .verify = ceiling_triad_verify,
    .teardown = osw_streams_teardown,
    .combine = OSW_COMBINE_NONE,
};
