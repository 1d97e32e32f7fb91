/* forkjoin_1ms: the forkjoin kernel (kernels/forkjoin.c) with serial gaps
 * of 1 ms between its regions. */
#include "kernel.h"
#include "forkjoin.h"

OSW_FORKJOIN_KERNEL(osw_forkjoin_1ms, "forkjoin_1ms", 1000000, "1 ms");
