/* search.h: tuning by search instead of a full grid. One problem (one
 * kernel and n: a list of configurations that differ in threads, schedule,
 * chunk and environment) is searched for its fastest configuration within a
 * budget of samples or seconds, through an oracle that returns samples of a
 * configuration on request: a recorded grid (replay, deterministic) or a
 * live executor. Pure logic: no I/O, no printing, no global state.
 *
 * Strategies (docs/tuning-search.md):
 *   grid     every configuration, evenly: one sample each per round, in a
 *            seeded order, until the budget or `cap` samples each.
 *   random   configurations in a seeded random order, `k0` samples each,
 *            until the budget is spent.
 *   racing   rounds: every live configuration gets k0 more samples (up to
 *            `cap`); then each is tested against the current best (lowest
 *            median): Mann-Whitney U (hypothesis.h) of the configuration's
 *            samples against the best's samples times (1 + max_loss), and it
 *            is dropped when that is significant with the configuration the
 *            slower, at alpha with Holm's step-down correction for the
 *            round's comparisons (Holm 1979). The race stops when the budget
 *            less `confirm_share` of it is spent, one configuration is left,
 *            or every live one has `cap` samples (the survivors are then a
 *            statistically tied set). Then the confirmation: the `confirm`
 *            survivors with the lowest medians get k0 more samples each per
 *            round (up to 4 * cap; a survivor whose median falls below
 *            theirs joins them) until the budget is spent; the winner is the
 *            lowest median among the survivors with the most samples.
 *   halving  successive halving (Jamieson & Talwalkar 2016): the budget is
 *            split over ceil(log2 live) rounds; each round shares its part
 *            evenly over the live configurations, then keeps the better half
 *            by median.
 *
 * Structure-aware pruning (racing and halving; grid and random measure the
 * space as given), each pruned configuration keeps its reason:
 *   chunk    the configurations of one (threads, schedule kind, env) differ
 *            only in chunk; only the kind's representative (chunk 0, the
 *            runtime's default, else the middle chunk) starts, and the other
 *            chunks join (catching up to the live sample count) once the
 *            representative has survived a round. A kind eliminated first
 *            leaves its chunks unmeasured ("kind eliminated").
 *   threads  thread counts start with the two lowest; the next count is
 *            opened only while the best median still falls from one count to
 *            the next; once it does not, the higher counts are never run
 *            ("past the measured optimum", the point where bandwidth
 *            saturates or Amdahl's serial part stops the gain).
 *   bind     with `cores` known, a configuration whose env differs from an
 *            already kept one only in OMP_PROC_BIND, at a thread count that
 *            uses every core (threads >= cores), is never run: the machine
 *            has no choice of placement there ("bind has no choice").
 *
 * Determinism: the same configurations, oracle samples, options and seed
 * give the same answer. */
#ifndef OSW_SEARCH_H
#define OSW_SEARCH_H

#include <stddef.h>
#include <stdint.h>

enum osw_search_strategy {
    OSW_SEARCH_GRID,
    OSW_SEARCH_RANDOM,
    OSW_SEARCH_RACING,
    OSW_SEARCH_HALVING,
};

/* Why a configuration has no samples at the end (or none yet). */
enum osw_search_why {
    OSW_WHY_MEASURED, /* it has samples */
    OSW_WHY_BUDGET,   /* the budget ran out before its turn */
    OSW_WHY_CHUNK,    /* its kind's representative was eliminated first */
    OSW_WHY_THREADS,  /* its thread count is past the measured optimum */
    OSW_WHY_BIND,     /* the binding has no choice at its thread count */
    OSW_WHY_STOPPED,  /* the search ended (one left, or tied) before its turn */
};

/* One configuration's identity: what the pruning rules look at. */
typedef struct osw_search_config {
    int threads;
    const char *kind; /* the schedule's kind as written: "static", "dynamic", ... */
    int chunk;        /* 0: the runtime's default */
    const char *env;  /* other environment, e.g. "OMP_PROC_BIND=close" ("" none) */
} osw_search_config;

/* The oracle. sample() appends k samples (seconds, > 0) of configuration i
 * to out; round is the search's round (for the oracle's log). Returns 0 or
 * a negative error with err set (OSW_ERRLEN bytes). */
typedef struct osw_oracle {
    void *self;
    int (*sample)(void *self, size_t i, size_t k, int round, double *out, char *err);
} osw_oracle;

typedef struct osw_search_opts {
    int strategy;        /* enum osw_search_strategy */
    long budget_samples; /* > 0: at most this many samples in all */
    double budget_s;     /* > 0: stop once the samples' sum reaches this */
    uint64_t seed;
    double max_loss;      /* fraction: drop only what is slower by more than this */
    double alpha;         /* significance level (default 0.05) */
    int k0;               /* samples per round (racing), per configuration (random) */
    int cap;              /* most samples one configuration gets (racing confirms to 4 * cap) */
    int cores;            /* the machine's cores for the bind rule (0: unknown) */
    int prune;            /* 1: the structure-aware rules (racing, halving) */
    int confirm;          /* racing: survivors confirmed after the race (0: none) */
    double confirm_share; /* racing: the budget's share kept for the confirmation */
} osw_search_opts;

/* Fills o with the defaults: racing, alpha 0.05, max_loss 0.10, k0 5,
 * cap 20, prune 1, confirm 3, confirm_share 0.2, no budget (give one). */
void osw_search_defaults(osw_search_opts *o);

/* Per configuration, after the search. */
typedef struct osw_search_state {
    double *samples; /* its samples (owned) */
    size_t count;
    double median;        /* NAN without samples */
    int why;              /* enum osw_search_why */
    int alive;            /* 1: a survivor (racing, halving) or measured */
    int tied;             /* in the answer's tied set */
    int eliminated_round; /* -1 never */
    int joined_round;     /* round it first got samples, -1 never */
} osw_search_state;

typedef struct osw_search_result {
    osw_search_state *st; /* one per configuration (owned) */
    size_t nconfigs;
    long winner;    /* index, -1 when nothing was measured */
    size_t ntied;   /* configurations in the tied set (the winner included) */
    long spent;     /* samples taken */
    double spent_s; /* their sum */
    int rounds;
    size_t never;     /* configurations never measured */
    const char *stop; /* why it stopped: "budget", "one left", "tied", "grid done" */
} osw_search_result;

/* Searches configs[0..n) through oracle. With an initial search state
 * (resume: res->st[i].samples already holding samples from an earlier run,
 * res->spent counting them) pass resume 1; else res is filled fresh.
 * Returns 0, OSW_EUSAGE (no budget, bad options, n 0) or a negative error
 * (the oracle's, or -ENOMEM) with err set. */
int osw_search_run(const osw_search_config *configs, size_t n, const osw_oracle *oracle,
                   const osw_search_opts *o, osw_search_result *res, char *err);

/* The most samples the search may take of one configuration under o
 * (racing's confirmation: 4 * cap; otherwise cap). */
int osw_search_max_samples(const osw_search_opts *o);

void osw_search_result_free(osw_search_result *r);

/* "grid", "random", "racing", "halving"; parse: 0 or -1. */
const char *osw_search_strategy_name(int s);
int osw_search_strategy_parse(const char *name, int *out);
/* A short text for enum osw_search_why ("measured", "budget", ...). */
const char *osw_search_why_name(int why);

/* Median of x[0..n) (copied; NAN for n 0). */
double osw_search_median(const double *x, size_t n);

#endif
