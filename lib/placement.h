/* placement.h: where the threads of a configuration actually ran, and
 * whether that is what was asked (OMP_NUM_THREADS, nested teams,
 * OMP_PROC_BIND, OMP_PLACES), for `ompsweep run` and `ompsweep exec`.
 *
 * What was seen comes from the runtime itself: for exec, the affinity
 * display both libgomp and libomp print (OMP_DISPLAY_AFFINITY with the
 * private format OSW_EXEC_TEAM_FORMAT: level, thread, team size and the
 * thread's CPU set), and for run the OpenMP API in the child process
 * (omp_get_num_places, each thread's affinity mask). The verdict, the row's
 * `placement` column:
 *
 *   ""        nothing was seen (no team lines: not an OpenMP program, or a
 *             runtime without affinity display)
 *   ok        as asked
 *   team      a team (at some nesting level) smaller or larger than asked
 *   unbound   a binding was asked (close, spread, primary, true) but a
 *             thread may run on every CPU of the process (more than one)
 *   shared    close or spread with no more threads than places, yet two
 *             threads share a CPU set (the runtime's places are fewer than
 *             the threads the user thought they had)
 *
 * checked in that order. meta.json's `placement` keeps, per configuration,
 * the teams per level and each thread's CPUs. */
#ifndef OSW_PLACEMENT_H
#define OSW_PLACEMENT_H

#include <stddef.h>
#include <stdint.h>

#define OSW_CPUSET_WORDS      16 /* 1024 CPUs */
#define OSW_PLACEMENT_LEVELS  4
#define OSW_PLACEMENT_THREADS 256

typedef struct osw_cpuset {
    uint64_t w[OSW_CPUSET_WORDS];
} osw_cpuset;

/* Parses a CPU list "0-3,8,10-11" in [s, end) (end NULL: to the NUL).
 * Returns 0, or -1 when it is not one (or names a CPU >= 1024). */
int osw_cpuset_parse(const char *s, const char *end, osw_cpuset *out);
/* The set as a CPU list ("0-3,8"). */
void osw_cpuset_text(const osw_cpuset *c, char *buf, size_t len);
int osw_cpuset_count(const osw_cpuset *c);
int osw_cpuset_equal(const osw_cpuset *a, const osw_cpuset *b);

typedef struct osw_placement {
    int team[OSW_PLACEMENT_LEVELS]; /* the largest team seen per nesting level 1..4; 0: none */
    int nthreads;                   /* level-1 threads whose CPU set is known */
    osw_cpuset cpus[OSW_PLACEMENT_THREADS];
    int known[OSW_PLACEMENT_THREADS]; /* cpus[t] was seen */
    int nplaces;                      /* the runtime's places; 0: unknown */
} osw_placement;

/* Records a team line: level (1..), thread number, team size and the
 * thread's CPUs (NULL: not known). */
void osw_placement_add(osw_placement *p, long level, long thread, long team,
                       const osw_cpuset *cpus);

/* This process's placement for a team of threads (one level), from the
 * OpenMP API: a parallel region of that many threads, each reading its
 * affinity mask; nplaces from omp_get_num_places. */
void osw_placement_probe(int threads, osw_placement *p);

/* The verdict (see above) for a configuration that asked for teams
 * asked[0..nlevels) (one level: {threads}), binding bind ("" or NULL: not
 * asked) and places places (NULL: not asked); process_cpus: the CPUs the
 * process may use. why gets a sentence for a verdict other than ok. */
const char *osw_placement_verdict(const osw_placement *p, const int *asked, int nlevels,
                                  const char *bind, const char *places, int process_cpus,
                                  int process_cores, char *why, size_t len);

/* The asked teams and binding of a configuration's settings: nest ("2,2"
 * or "") and threads, the env column's OMP_PROC_BIND and OMP_PLACES values
 * (env: "NAME=value;..."). Returns the number of levels. */
int osw_placement_asked(const char *nest, int threads, const char *env, int *asked, char *bind,
                        size_t bind_len, char *places, size_t places_len);

/* Counts the places of an explicit OMP_PLACES list as the runtime displays
 * it ("{0:2},{2},{3}:2"; intervals counted), or 0 when s is not one. */
int osw_places_count(const char *s);

#endif
