/* forkjoin: parallel regions of about 20 us of work separated by serial
 * gaps of 10 us, the shape where the OpenMP wait policy matters; n counts
 * nanoseconds of region work (ceil(n / 20000) regions). The body, its check and
 * the other gaps (forkjoin_100us, forkjoin_1ms): kernels/support/forkjoin.c. */
#include "forkjoin.h"
#include "kernel.h"

OSW_FORKJOIN_KERNEL(osw_forkjoin, "forkjoin", 10000, "10 us");
