/* child.h: the child-process executor of the kernels (`ompsweep run` with
 * environment axes).
 *
 * The OpenMP runtime reads OMP_PLACES, OMP_PROC_BIND, OMP_WAIT_POLICY,
 * GOMP_SPINCOUNT, KMP_BLOCKTIME, its library path ... once, when it starts:
 * a configuration that sets one of them needs a fresh process. This
 * executor measures each configuration in a child `ompsweep` started from
 * /proc/self/exe with the parent's own command line plus `--child INDEX`
 * (the configuration's position in the plan, which the child rebuilds from
 * the same options) and the configuration's environment (osw_env_build:
 * NAME=value set, NAME=default unset). Every configuration of such a sweep
 * runs in a child, those whose values equal the parent's too, so that all
 * rows are measured alike.
 *
 * The child measures with the in-process executor (osw_measure_config) and
 * writes to its stdout, a pipe to the parent:
 *
 *   OSW-CHILD 1
 *   <summary.csv header and the row>
 *   OSW-CHILD-SAMPLES
 *   <samples.csv header and the rows>
 *   OSW-CHILD-OBSERVED <one line of JSON: warnings, cpus, migrations, placement>
 *   OSW-CHILD-END <0, or the negative code measure returned>
 *
 * which the parent reads with the same validated readers as the files
 * (osw_csv_parse, osw_row_from_table, osw_sample_from_table). The child
 * ignores SIGINT, SIGTERM and SIGHUP (the parent decides: it stops after
 * the configuration, as without children) and dies with the parent
 * (PR_SET_PDEATHSIG). A child that ends without its END line is an error
 * naming its exit status and the configuration. */
#ifndef OSW_CHILD_H
#define OSW_CHILD_H

#include "engine.h"

typedef struct osw_child {
    /* The command line a child gets before "--child INDEX": the parent's
     * argv[0..argc) (argv[0] is replaced by the executable's path). */
    char *const *argv;
    int argc;
    size_t max_samples; /* the in-process executor's */
    int swap;           /* some configuration runs on llvm: make OUT/runtime (runtime.h) */
    /* private */
    char swap_dir[4200];
} osw_child;

/* Fills ex with the child-process executor (env_axes 1). */
void osw_child_executor(osw_child *x, osw_executor *ex);

/* The child's side: writes the protocol above for configuration index of
 * plan measured by the in-process executor inproc to fd. Returns 0 or a
 * negative error (the END line says it too). */
int osw_child_serve(const osw_plan *plan, size_t index, const osw_executor *inproc, int fd,
                    char *err);

#endif
