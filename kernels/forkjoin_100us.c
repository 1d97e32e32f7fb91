/* forkjoin_100us: the forkjoin kernel (kernels/forkjoin.c) with serial gaps
 * of 100 us between its regions. */
#include "kernel.h"
#include "forkjoin.h"

OSW_FORKJOIN_KERNEL(osw_forkjoin_100us, "forkjoin_100us", 100000, "100 us");
