/* runtime.h: the OpenMP runtime switch (docs/runtimes.md). A gcc-built
 * program runs on LLVM's libomp without a rebuild through a "swap folder":
 * a directory holding libgomp.so.1 -> libomp.so.5, first on
 * LD_LIBRARY_PATH. libomp exports the GOMP_* entry points gcc's code calls,
 * so the dynamic loader binds them to libomp and libgomp is never loaded.
 * Never preload libomp into the program instead: libgomp stays loaded
 * beside it, and the program can silently run one thread (docs/runtimes.md,
 * "The preload trap"; tests/regions checks that no source outside docs/ and
 * tests/ names the loader's preload variable).
 *
 * Nothing here prints or exits; functions return 0 or a negative code
 * (error.h) with err (OSW_ERRLEN bytes) set where they take one. */
#ifndef OSW_RUNTIME_H
#define OSW_RUNTIME_H

#include <stddef.h>

/* The runtimes the suite knows. */
typedef enum { OSW_RUNTIME_UNKNOWN = 0, OSW_RUNTIME_GOMP, OSW_RUNTIME_LLVM } osw_runtime;

/* Keeps LLVM libomp's fork handler out of this process's children. libomp
 * 14, once initialised with an explicit OMP_PLACES list ("{0},{1}",
 * "{0:1}:2"), aborts in the child of every later fork() ("free(): invalid
 * size") before the child can exec, which took down every child process
 * ompsweep starts. This sets KMP_INIT_AT_FORK=0 (unless the environment
 * already sets it), initialises the runtime, and takes the variable out
 * again, so that neither meta.json nor the programs ompsweep runs see it.
 * No child of this process may then use OpenMP before it execs. Call it
 * before any other OpenMP call; libgomp ignores the variable. */
void osw_runtime_fork_safe(void);

/* The name of a runtime: "gomp", "llvm" or "unknown". */
const char *osw_runtime_name(osw_runtime rt);

/* Parses "gomp" or "llvm". Returns the runtime, or OSW_RUNTIME_UNKNOWN. */
osw_runtime osw_runtime_parse(const char *name);

/* The path of LLVM's libomp.so.5: the one CMake found at configure time,
 * else the first of the known Debian paths that exists. Returns 0 with buf
 * set, or -ENOENT (buf "") when none exists. */
int osw_runtime_libomp(char *buf, size_t len);

/* Makes DIR a swap folder: creates it (and its parents) when missing and
 * puts DIR/libgomp.so.1 -> the libomp osw_runtime_libomp finds there,
 * replacing a link that points elsewhere. Returns 0, or a negative code
 * with err set. */
int osw_runtime_swap_dir(const char *dir, char *err);

/* The environment setting a configuration needs to run on rt, in buf: for
 * OSW_RUNTIME_LLVM "LD_LIBRARY_PATH=SWAP" or "LD_LIBRARY_PATH=SWAP:OLD",
 * where OLD is old_path, the LD_LIBRARY_PATH the program would otherwise
 * get (NULL or "": none); for OSW_RUNTIME_GOMP "" (nothing to change).
 * Returns 0, -ENAMETOOLONG when buf is too small, OSW_EUSAGE for an
 * unknown runtime. */
int osw_runtime_env(osw_runtime rt, const char *swap_dir, const char *old_path, char *buf,
                    size_t len);

/* The symbols check. The GOMP_* and omp_* symbols that the ELF file
 * program needs (undefined in its dynamic symbol table) and that the ELF
 * file libomp does not define, as "name name ..." in buf (empty: the
 * program can run on libomp, as far as those entry points go). Symbol
 * versions are not compared (libomp exports GOMP_* under libgomp's version
 * names). Only program's own table is read: a library of the program that
 * needs libgomp is checked by passing it as program. Returns the number of
 * missing symbols (buf truncated with "..." when they do not fit),
 * OSW_EFORMAT for a file that is not a readable ELF with a dynamic symbol
 * table, -ENOENT/-EACCES for a file that cannot be opened, -ENOSYS when
 * the suite was built without libelf; err says why. */
int osw_runtime_missing_symbols(const char *program, const char *libomp, char *buf, size_t len,
                                char *err);

/* The suite's OMPT tool, libosw_ompt.so (tools/ompt): $OSW_OMPT_LIBRARY
 * when set, else the one in the build tree, else PREFIX/lib/ompsweep/ beside
 * the running PREFIX/bin/ompsweep, else the configured install path: the
 * first that exists. Returns 0 with buf set, or -ENOENT (buf "") when the
 * suite was built without it (no omp-tools.h) or it is missing. */
int osw_runtime_ompt_tool(char *buf, size_t len);

/* Which runtime printed the OpenMP display-environment block in text (the
 * output of a program run with OMP_DISPLAY_ENV=TRUE): libomp writes its
 * variables as "  [host] OMP_NAME='value'", libgomp as "  OMP_NAME =
 * 'value'". Returns OSW_RUNTIME_UNKNOWN when text holds no block or a
 * block of neither form. */
osw_runtime osw_runtime_from_display_env(const char *text, size_t len);

/* The runtime axis (`--runtime gomp,llvm`) is an environment axis named
 * OSW_RUNTIME_AXIS: a configuration's env holds "runtime=gomp" or
 * "runtime=llvm". This takes that entry out of vars[0..*nvars) (the
 * configuration's "NAME=value" settings) and, for llvm, adds the
 * LD_LIBRARY_PATH setting (osw_runtime_env, written into buf) that puts the
 * swap folder swap_dir first. Returns the runtime asked, or
 * OSW_RUNTIME_UNKNOWN when vars has no runtime entry (or buf is too small
 * for llvm's setting: then nothing is added). */
#define OSW_RUNTIME_AXIS "runtime"
osw_runtime osw_runtime_take(char **vars, size_t *nvars, const char *swap_dir, char *buf,
                             size_t len);

/* The runtime of the configuration whose env column is env ("runtime=..."
 * among its entries), OSW_RUNTIME_UNKNOWN when it names none. */
osw_runtime osw_runtime_of_env(const char *env);

/* The runtime this process runs on: the library that defines
 * omp_get_num_threads (dladdr, links resolved): libomp or libgomp. */
osw_runtime osw_runtime_self(void);

/* libgomp's most tasks a team of T threads defers: a taskloop whose tasks,
 * with the team's tasks already queued, would exceed 64 T runs them all
 * undeferred, one after the other, on the thread that met the construct
 * (GOMP_taskloop, libgomp/taskloop.c, GCC 12). */
#define OSW_GOMP_TASKS_PER_THREAD 64

/* The tasks libgomp makes of a taskloop over `items` iterations:
 * floor(items / value) (at least 1) for grainsize(value), min(value, items)
 * for num_tasks(value) (by_tasks); 0 for no items or value < 1. */
size_t osw_gomp_taskloop_tasks(int by_tasks, long value, size_t items);

#endif
