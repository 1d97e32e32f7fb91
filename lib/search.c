/* search.c: grid, random, racing and successive halving over an oracle,
 * with the structure-aware pruning rules; see search.h. */
#include "search.h"
#include "engine.h"
#include "error.h"
#include "hypothesis.h"
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PENDING, ALIVE, OUT, PRUNED }; /* a configuration's phase */

struct search {
    const osw_search_config *cfg;
    size_t n;
    const osw_oracle *oracle;
    const osw_search_opts *o;
    osw_search_result *res;
    char *err;
    int *phase;
    size_t *cap; /* room in st[i].samples */
    /* pruning: the chunk rule's representative of each configuration's
     * kind (itself for a representative), the rank of its thread count,
     * and how many thread counts are open */
    size_t *rep;
    int *trank;
    int *crank;  /* rank of the chunk within its kind */
    long *kbest; /* by representative: the kind's live configuration with the lowest median */
    int nthreads, open;
    int threads_closed;
    double *scratch; /* 2 * the most samples of a configuration */
    size_t scratch_cap;
    int budget_out;
    /* the budget in force: the whole budget, or racing's race before its
     * confirmation (the budget less the confirmation's share) */
    long limit_n;
    double limit_s;
    int confirmed; /* racing: a confirmation round was run */
};

void osw_search_defaults(osw_search_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->strategy = OSW_SEARCH_RACING;
    o->alpha = 0.05;
    o->max_loss = 0.10;
    o->k0 = 5;
    o->cap = 20;
    o->prune = 1;
    o->confirm = 3;
    o->confirm_share = 0.2;
}

static const char *const strategy_names[] = {"grid", "random", "racing", "halving"};
static const char *const why_names[] = {"measured",          "budget",
                                        "chunk_not_reached", "threads_past_optimum",
                                        "bind_no_choice",    "search_ended"};

int osw_search_max_samples(const osw_search_opts *o)
{
    return o->strategy == OSW_SEARCH_RACING && o->confirm > 0 ? 4 * o->cap : o->cap;
}

const char *osw_search_strategy_name(int s)
{
    return s >= 0 && s < 4 ? strategy_names[s] : "?";
}

int osw_search_strategy_parse(const char *name, int *out)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, strategy_names[i]) == 0) {
            *out = i;
            return 0;
        }
    return -1;
}

const char *osw_search_why_name(int why)
{
    return why >= 0 && why <= OSW_WHY_STOPPED ? why_names[why] : "?";
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double osw_search_median(const double *x, size_t n)
{
    if (n == 0)
        return NAN;
    double *c = malloc(n * sizeof(*c));
    if (!c)
        return NAN;
    memcpy(c, x, n * sizeof(*c));
    qsort(c, n, sizeof(*c), cmp_double);
    double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    free(c);
    return m;
}

/* ---- budget and sampling ---- */

static int budget_left(const struct search *s)
{
    if (s->limit_n > 0 && s->res->spent >= s->limit_n)
        return 0;
    if (s->limit_s > 0 && s->res->spent_s >= s->limit_s)
        return 0;
    return 1;
}

/* Takes up to k more samples of configuration i (fewer when the sample
 * budget ends first). Returns 0 or a negative error with err set. */
static int take(struct search *s, size_t i, size_t k, int round)
{
    osw_search_result *r = s->res;
    if (s->limit_n > 0) {
        long left = s->limit_n - r->spent;
        if (left <= 0)
            k = 0;
        else if ((long)k > left)
            k = (size_t)left;
    }
    if (k == 0 || !budget_left(s)) {
        s->budget_out = 1;
        return 0;
    }
    osw_search_state *st = &r->st[i];
    if (st->count + k > s->cap[i]) {
        size_t want = (st->count + k) * 2;
        double *p = realloc(st->samples, want * sizeof(*p));
        if (!p) {
            snprintf(s->err, OSW_ERRLEN, "out of memory");
            return -ENOMEM;
        }
        st->samples = p;
        s->cap[i] = want;
    }
    if (2 * (st->count + k) > s->scratch_cap) {
        size_t want = 2 * (st->count + k) * 2;
        double *p = realloc(s->scratch, want * sizeof(*p));
        if (!p) {
            snprintf(s->err, OSW_ERRLEN, "out of memory");
            return -ENOMEM;
        }
        s->scratch = p;
        s->scratch_cap = want;
    }
    int rc = s->oracle->sample(s->oracle->self, i, k, round, st->samples + st->count, s->err);
    if (rc)
        return rc;
    for (size_t j = 0; j < k; j++)
        r->spent_s += st->samples[st->count + j];
    if (st->count == 0)
        st->joined_round = round;
    st->count += k;
    r->spent += (long)k;
    st->median = osw_search_median(st->samples, st->count);
    if (!budget_left(s))
        s->budget_out = 1;
    return 0;
}

/* ---- structure: the pruning rules ---- */

static int bind_of(const char *env, char *rest, size_t len)
{
    /* rest: env without its OMP_PROC_BIND=... word; 1 when it had one. */
    const char *p = strstr(env, "OMP_PROC_BIND=");
    if (!p) {
        snprintf(rest, len, "%s", env);
        return 0;
    }
    const char *end = p + strcspn(p, " ");
    snprintf(rest, len, "%.*s%s", (int)(p - env), env, end);
    return 1;
}

static int same_kind(const osw_search_config *a, const osw_search_config *b)
{
    return a->threads == b->threads && strcmp(a->kind, b->kind) == 0 && strcmp(a->env, b->env) == 0;
}

/* Representatives, thread ranks and the bind rule. */
static int structure(struct search *s)
{
    const osw_search_config *c = s->cfg;
    int *counts = malloc(s->n * sizeof(*counts));
    if (!counts)
        return -ENOMEM;
    int nt = 0;
    for (size_t i = 0; i < s->n; i++) {
        int seen = 0;
        for (int t = 0; t < nt && !seen; t++)
            seen = counts[t] == c[i].threads;
        if (!seen)
            counts[nt++] = c[i].threads;
    }
    for (int a = 1; a < nt; a++) /* insertion sort, ascending */
        for (int b = a; b > 0 && counts[b - 1] > counts[b]; b--) {
            int x = counts[b];
            counts[b] = counts[b - 1];
            counts[b - 1] = x;
        }
    for (size_t i = 0; i < s->n; i++)
        for (int t = 0; t < nt; t++)
            if (counts[t] == c[i].threads)
                s->trank[i] = t;
    free(counts);
    s->nthreads = nt;
    s->open = nt < 2 ? nt : 2;
    /* the chunk rule: a kind's members in chunk order (ties: index order)
     * give each its rank; the representative is chunk 0 of the kind, else
     * its middle chunk (rank m / 2). O(n^2) comparisons at most. */
    size_t *members = malloc(s->n * sizeof(*members));
    if (!members)
        return -ENOMEM;
    for (size_t i = 0; i < s->n; i++)
        s->rep[i] = SIZE_MAX;
    for (size_t i = 0; i < s->n; i++) {
        if (s->rep[i] != SIZE_MAX)
            continue; /* its kind is done */
        size_t m = 0;
        for (size_t j = i; j < s->n; j++)
            if (same_kind(&c[i], &c[j])) {
                /* insertion by (chunk, index): j ascends, so ties keep order */
                size_t at = m++;
                while (at > 0 && c[members[at - 1]].chunk > c[j].chunk) {
                    members[at] = members[at - 1];
                    at--;
                }
                members[at] = j;
            }
        size_t rep = c[members[0]].chunk == 0 ? members[0] : members[m / 2];
        for (size_t k = 0; k < m; k++) {
            s->rep[members[k]] = rep;
            s->crank[members[k]] = (int)k;
        }
    }
    free(members);
    /* the bind rule: at threads >= cores only the first binding is run */
    if (s->o->cores > 0)
        for (size_t i = 0; i < s->n; i++) {
            char ri[256], rj[256];
            if (c[i].threads < s->o->cores || !bind_of(c[i].env, ri, sizeof(ri)))
                continue;
            for (size_t j = 0; j < i; j++)
                if (s->phase[j] != PRUNED && c[j].threads == c[i].threads &&
                    c[j].chunk == c[i].chunk && strcmp(c[j].kind, c[i].kind) == 0 &&
                    bind_of(c[j].env, rj, sizeof(rj)) && strcmp(ri, rj) == 0) {
                    s->phase[i] = PRUNED;
                    s->res->st[i].why = OSW_WHY_BIND;
                    break;
                }
        }
    return 0;
}

/* May configuration i start now under the pruning rules? */
static int eligible(const struct search *s, size_t i)
{
    if (s->phase[i] != PENDING)
        return 0;
    if (!s->o->prune)
        return 1;
    if (s->trank[i] >= s->open)
        return 0;
    size_t r = s->rep[i];
    if (r == i)
        return 1;
    /* a chunk joins next to its kind's best live chunk */
    long b = s->kbest[r];
    return b >= 0 && (s->crank[i] == s->crank[b] + 1 || s->crank[i] + 1 == s->crank[b]);
}

/* The best live configuration of each kind (kbest, by representative). */
static void kind_best(struct search *s)
{
    for (size_t i = 0; i < s->n; i++)
        s->kbest[i] = -1;
    for (size_t i = 0; i < s->n; i++) {
        long *b = &s->kbest[s->rep[i]];
        if (s->phase[i] == ALIVE && s->res->st[i].count &&
            (*b < 0 || s->res->st[i].median < s->res->st[*b].median))
            *b = (long)i;
    }
}

/* After a round: open the next thread count unless the highest open one
 * is established as slower than the one below it (its best configuration
 * significantly slower than the lower count's best, Mann-Whitney at
 * alpha); then the higher counts are past the measured optimum and never
 * run. */
static int slower_p(struct search *s, size_t i, size_t best, double loss, double *p);

static int threads_rule(struct search *s)
{
    if (!s->o->prune || s->threads_closed || s->open >= s->nthreads)
        return 0;
    long best[2] = {-1, -1};
    for (size_t i = 0; i < s->n; i++) {
        int t = s->trank[i];
        const osw_search_state *st = &s->res->st[i];
        if (st->count && (t == s->open - 1 || t == s->open - 2)) {
            int slot = t == s->open - 1;
            if (best[slot] < 0 || st->median < s->res->st[best[slot]].median)
                best[slot] = (long)i;
        }
    }
    if (best[0] < 0 || best[1] < 0)
        return 0; /* not measured yet */
    double p;
    int rc = slower_p(s, (size_t)best[1], (size_t)best[0], 0, &p);
    if (rc)
        return rc;
    if (!(p <= s->o->alpha)) {
        s->open++;
        return 0;
    }
    s->threads_closed = 1;
    for (size_t i = 0; i < s->n; i++)
        if (s->trank[i] >= s->open && s->phase[i] == PENDING) {
            s->phase[i] = PRUNED;
            s->res->st[i].why = OSW_WHY_THREADS;
        }
    return 0;
}

/* ---- comparisons ---- */

/* p of "configuration i is slower than the best by more than max_loss":
 * two-sided Mann-Whitney of i's samples against the best's times
 * (1 + max_loss), 1 when i's median is not the higher. */
static int slower_p(struct search *s, size_t i, size_t best, double loss, double *p)
{
    const osw_search_state *a = &s->res->st[i], *b = &s->res->st[best];
    double *scaled = s->scratch;
    for (size_t j = 0; j < b->count; j++)
        scaled[j] = b->samples[j] * (1 + loss);
    double ms = b->median * (1 + loss);
    *p = 1;
    if (!(a->median > ms) || a->count < 2 || b->count < 2)
        return 0;
    osw_mwu m;
    int rc = osw_mwu_test(a->samples, a->count, scaled, b->count, &m);
    if (rc) {
        snprintf(s->err, OSW_ERRLEN, "Mann-Whitney test: %s", strerror(-rc));
        return rc;
    }
    *p = m.p;
    return 0;
}

/* The configuration with the lowest median among those with samples whose
 * phase is `phase` (-1: any), or -1. */
static long best_of(const struct search *s, int phase)
{
    long best = -1;
    for (size_t i = 0; i < s->n; i++) {
        const osw_search_state *st = &s->res->st[i];
        if (st->count == 0 || (phase >= 0 && s->phase[i] != phase))
            continue;
        if (best < 0 || st->median < s->res->st[best].median)
            best = (long)i;
    }
    return best;
}

/* Holm's step-down over the configurations of phase `phase` against best:
 * marks[i] = 1 for those significantly slower by more than loss. Returns 0
 * or a negative error. */
static int holm(struct search *s, long best, int phase, double loss, int *marks)
{
    double *pv = calloc(s->n + 1, sizeof(*pv));    /* p-values, then Holm's */
    size_t *at = malloc((s->n + 1) * sizeof(*at)); /* their configurations */
    int rc = pv && at ? 0 : -ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < s->n && !rc; i++) {
        marks[i] = 0;
        if ((long)i == best || s->res->st[i].count == 0 || (phase >= 0 && s->phase[i] != phase))
            continue;
        rc = slower_p(s, i, (size_t)best, loss, &pv[m]);
        at[m++] = i;
    }
    if (!rc)
        rc = osw_holm_adjust(pv, m, pv);
    for (size_t j = 0; j < m && !rc; j++)
        marks[at[j]] = pv[j] <= s->o->alpha;
    if (rc == -ENOMEM)
        snprintf(s->err, OSW_ERRLEN, "out of memory");
    free(pv);
    free(at);
    return rc;
}

/* ---- strategies ---- */

static size_t count_phase(const struct search *s, int phase)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        k += s->phase[i] == phase;
    return k;
}

static int grid(struct search *s, size_t *order)
{
    int round = 0;
    for (; !s->budget_out; round++) {
        int any = 0;
        for (size_t p = 0; p < s->n && !s->budget_out; p++) {
            size_t i = order[p];
            if (s->res->st[i].count >= (size_t)s->o->cap)
                continue;
            int rc = take(s, i, 1, round);
            if (rc)
                return rc;
            any = 1;
        }
        if (!any)
            break;
    }
    s->res->rounds = round;
    s->res->stop = s->budget_out ? "budget" : "grid done";
    return 0;
}

static int random_search(struct search *s, size_t *order)
{
    for (size_t p = 0; p < s->n && !s->budget_out; p++) {
        int rc = take(s, order[p], (size_t)s->o->k0, 0);
        if (rc)
            return rc;
    }
    s->res->rounds = 1;
    s->res->stop = s->budget_out ? "budget" : "grid done";
    return 0;
}

/* Brings every eligible configuration in and samples the live ones up to
 * target (a configuration gets at most cap unless halving). */
static int sample_round(struct search *s, size_t target, int round)
{
    kind_best(s);
    for (size_t i = 0; i < s->n; i++)
        if (eligible(s, i))
            s->phase[i] = ALIVE;
    for (size_t i = 0; i < s->n && !s->budget_out; i++) {
        osw_search_state *st = &s->res->st[i];
        if (s->phase[i] == ALIVE && st->count < target) {
            int rc = take(s, i, target - st->count, round);
            if (rc)
                return rc;
        }
    }
    /* cut off by the budget before its first sample: back to waiting */
    for (size_t i = 0; i < s->n; i++)
        if (s->phase[i] == ALIVE && s->res->st[i].count == 0)
            s->phase[i] = PENDING;
    return 0;
}

/* The race from round `round` on (0, or a round the budget cut short). */
static int race(struct search *s, int *marks, int round)
{
    s->res->stop = "budget";
    for (;; round++) {
        size_t before = (size_t)s->res->spent;
        size_t target = (size_t)s->o->k0 * (size_t)(round + 1);
        if (target > (size_t)s->o->cap)
            target = (size_t)s->o->cap;
        int rc = sample_round(s, target, round);
        if (rc)
            return rc;
        long best = best_of(s, ALIVE);
        if (best >= 0 && (rc = holm(s, best, ALIVE, s->o->max_loss, marks)))
            return rc;
        for (size_t i = 0; i < s->n; i++)
            if (marks[i] && s->phase[i] == ALIVE) {
                s->phase[i] = OUT;
                s->res->st[i].eliminated_round = round;
            }
        if (s->budget_out)
            break;
        if ((rc = threads_rule(s)))
            return rc;
        kind_best(s);
        int joining = 0;
        for (size_t i = 0; i < s->n; i++)
            joining |= eligible(s, i);
        if (!joining && count_phase(s, ALIVE) <= 1) {
            s->res->stop = "one left";
            break;
        }
        if (!joining && (size_t)s->res->spent == before) {
            s->res->stop = "tied";
            break;
        }
    }
    s->res->rounds = round + 1;
    return 0;
}

struct by_median {
    size_t i;
    double m;
};

static int cmp_by_median(const void *a, const void *b)
{
    const struct by_median *x = a, *y = b;
    if (x->m != y->m)
        return (x->m > y->m) - (x->m < y->m);
    return (x->i > y->i) - (x->i < y->i);
}

/* Racing's confirmation, after the race: the `confirm` survivors with the
 * lowest medians get k0 more samples each per round (one behind the others
 * first catches up), up to 4 * cap, until the budget is spent; a survivor
 * whose median falls below theirs joins the top in the next round. Against
 * the winner's curse: among many tied survivors, the lowest median of cap
 * samples is often a lucky draw of a noisy configuration. */
static int confirmation(struct search *s)
{
    size_t top = (size_t)s->o->confirm, most = (size_t)osw_search_max_samples(s->o);
    if (top == 0 || count_phase(s, ALIVE) < 2)
        return 0;
    struct by_median *v = malloc((s->n + 1) * sizeof(*v));
    if (!v) {
        snprintf(s->err, OSW_ERRLEN, "out of memory");
        return -ENOMEM;
    }
    int round = s->res->rounds, rc = 0;
    while (!s->budget_out) {
        size_t m = 0;
        for (size_t i = 0; i < s->n; i++)
            if (s->phase[i] == ALIVE && s->res->st[i].count)
                v[m++] = (struct by_median){i, s->res->st[i].median};
        qsort(v, m, sizeof(*v), cmp_by_median);
        if (m > top)
            m = top;
        size_t lo = SIZE_MAX, hi = 0;
        for (size_t j = 0; j < m; j++) {
            size_t c = s->res->st[v[j].i].count;
            lo = c < lo ? c : lo;
            hi = c > hi ? c : hi;
        }
        size_t target = lo == hi ? hi + (size_t)s->o->k0 : hi;
        if (target > most)
            target = most;
        int any = 0;
        for (size_t j = 0; j < m && !s->budget_out; j++) {
            size_t c = s->res->st[v[j].i].count;
            if (c < target) {
                any = 1;
                if ((rc = take(s, v[j].i, target - c, round)))
                    break;
            }
        }
        if (rc || !any)
            break;
        s->confirmed = 1;
        round++;
    }
    s->res->rounds = round;
    free(v);
    return rc;
}

/* Racing: the race with the budget less the confirmation's share, then the
 * confirmation with the rest (and whatever the race left). A race cut short
 * by its share with fewer than two survivors has nothing to confirm: it
 * goes on with the whole budget. */
static int racing(struct search *s, int *marks)
{
    const osw_search_opts *o = s->o;
    double keep = o->confirm > 0 ? o->confirm_share : 0;
    if (o->budget_samples > 0)
        s->limit_n = o->budget_samples - (long)(keep * (double)o->budget_samples);
    if (o->budget_s > 0)
        s->limit_s = o->budget_s * (1 - keep);
    if (s->limit_n < 1 && o->budget_samples > 0)
        s->limit_n = 1;
    int rc = race(s, marks, 0);
    s->limit_n = o->budget_samples;
    s->limit_s = o->budget_s;
    if (rc)
        return rc;
    s->budget_out = !budget_left(s);
    if (!s->budget_out && strcmp(s->res->stop, "budget") == 0 && count_phase(s, ALIVE) < 2 &&
        (rc = race(s, marks, s->res->rounds - 1)))
        return rc;
    return confirmation(s);
}

static int halving(struct search *s)
{
    struct by_median *v = malloc((s->n + 1) * sizeof(*v));
    if (!v) {
        snprintf(s->err, OSW_ERRLEN, "out of memory");
        return -ENOMEM;
    }
    int round = 0, rc = 0;
    s->res->stop = "budget";
    for (;; round++) {
        size_t target = (size_t)s->o->k0 << (round < 20 ? round : 20);
        if ((rc = sample_round(s, target, round)))
            break;
        if (s->budget_out)
            break;
        /* keep the better half (rounded up) of the live ones by median */
        size_t m = 0;
        for (size_t i = 0; i < s->n; i++)
            if (s->phase[i] == ALIVE)
                v[m++] = (struct by_median){i, s->res->st[i].median};
        qsort(v, m, sizeof(*v), cmp_by_median);
        for (size_t j = (m + 1) / 2; j < m; j++) {
            s->phase[v[j].i] = OUT;
            s->res->st[v[j].i].eliminated_round = round;
        }
        if ((rc = threads_rule(s)))
            break;
        kind_best(s);
        int joining = 0;
        for (size_t i = 0; i < s->n; i++)
            joining |= eligible(s, i);
        if (!joining && count_phase(s, ALIVE) <= 1) {
            s->res->stop = "one left";
            break;
        }
    }
    s->res->rounds = round + 1;
    free(v);
    return rc;
}

/* ---- the search ---- */

/* After the strategy: the winner, the tied set and why each configuration
 * never measured was not. Returns 0 or a negative error. */
static int answer(struct search *s, int *marks)
{
    osw_search_result *res = s->res;
    const osw_search_opts *o = s->o;
    size_t n = s->n;
    /* the answer: the lowest median among the survivors (racing, halving)
     * or among the measured (grid, random); the tied set: racing's
     * survivors, else those not significantly slower than the winner
     * (Holm over the measured, no loss allowance) */
    int survivors = o->strategy == OSW_SEARCH_RACING || o->strategy == OSW_SEARCH_HALVING;
    res->winner = best_of(s, survivors ? ALIVE : -1);
    if (s->confirmed) {
        /* racing after a confirmation: the lowest median among the
         * survivors with the most samples (the confirmed ones) */
        size_t most = 0;
        for (size_t i = 0; i < n; i++)
            if (s->phase[i] == ALIVE && res->st[i].count > most)
                most = res->st[i].count;
        res->winner = -1;
        for (size_t i = 0; i < n; i++)
            if (s->phase[i] == ALIVE && res->st[i].count == most &&
                (res->winner < 0 || res->st[i].median < res->st[res->winner].median))
                res->winner = (long)i;
    }
    if (res->winner >= 0) {
        if (o->strategy == OSW_SEARCH_RACING) {
            for (size_t i = 0; i < n; i++)
                res->st[i].tied = s->phase[i] == ALIVE && res->st[i].count > 0;
        } else {
            int rc = holm(s, res->winner, survivors ? ALIVE : -1, 0, marks);
            if (rc)
                return rc;
            for (size_t i = 0; i < n; i++)
                res->st[i].tied =
                    res->st[i].count > 0 && !marks[i] && (!survivors || s->phase[i] == ALIVE);
        }
    }
    for (size_t i = 0; i < n; i++) {
        osw_search_state *st = &res->st[i];
        st->alive = s->phase[i] == ALIVE || (!survivors && st->count > 0);
        res->ntied += (size_t)st->tied;
        if (st->count) {
            st->why = OSW_WHY_MEASURED;
            continue;
        }
        res->never++;
        if (s->phase[i] == PRUNED)
            continue; /* why set by the rule */
        if (o->prune && survivors && s->rep[i] != i &&
            !(s->threads_closed && s->trank[i] >= s->open))
            st->why = OSW_WHY_CHUNK;
        else if (o->prune && survivors && s->threads_closed && s->trank[i] >= s->open)
            st->why = OSW_WHY_THREADS;
        else
            st->why = s->budget_out ? OSW_WHY_BUDGET : OSW_WHY_STOPPED;
    }
    return 0;
}

int osw_search_run(const osw_search_config *configs, size_t n, const osw_oracle *oracle,
                   const osw_search_opts *o, osw_search_result *res, char *err)
{
    memset(res, 0, sizeof(*res));
    res->winner = -1;
    if (n == 0 || !(o->budget_samples > 0 || o->budget_s > 0) || o->k0 < 1 || o->cap < 1 ||
        !(o->alpha > 0 && o->alpha < 1) || !(o->max_loss >= 0) || o->confirm < 0 ||
        !(o->confirm_share >= 0 && o->confirm_share < 1) || o->strategy < 0 ||
        o->strategy > OSW_SEARCH_HALVING) {
        snprintf(err, OSW_ERRLEN, "search: %s",
                 n == 0 ? "no configuration to search" : "needs a budget and valid options");
        return OSW_EUSAGE;
    }
    struct search s = {.cfg = configs,
                       .n = n,
                       .oracle = oracle,
                       .o = o,
                       .res = res,
                       .err = err,
                       .limit_n = o->budget_samples,
                       .limit_s = o->budget_s};
    res->st = calloc(n, sizeof(*res->st));
    res->nconfigs = n;
    s.phase = calloc(n, sizeof(*s.phase));
    s.cap = calloc(n, sizeof(*s.cap));
    s.rep = calloc(n, sizeof(*s.rep));
    s.trank = calloc(n, sizeof(*s.trank));
    s.crank = calloc(n, sizeof(*s.crank));
    s.kbest = calloc(n, sizeof(*s.kbest));
    size_t *order = malloc(n * sizeof(*order));
    int *marks = calloc(n, sizeof(*marks));
    int rc = 0;
    if (!res->st || !s.phase || !s.cap || !s.rep || !s.trank || !s.crank || !s.kbest || !order ||
        !marks) {
        snprintf(err, OSW_ERRLEN, "out of memory");
        rc = -ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        res->st[i].median = NAN;
        res->st[i].eliminated_round = res->st[i].joined_round = -1;
        order[i] = i;
    }
    osw_shuffle(order, n, o->seed);
    if ((rc = structure(&s))) {
        snprintf(err, OSW_ERRLEN, "out of memory");
        goto out;
    }
    if (o->strategy == OSW_SEARCH_GRID)
        rc = grid(&s, order);
    else if (o->strategy == OSW_SEARCH_RANDOM)
        rc = random_search(&s, order);
    else if (o->strategy == OSW_SEARCH_RACING)
        rc = racing(&s, marks);
    else
        rc = halving(&s);
    if (rc)
        goto out;
    rc = answer(&s, marks);
out:
    free(s.phase);
    free(s.cap);
    free(s.rep);
    free(s.trank);
    free(s.crank);
    free(s.kbest);
    free(s.scratch);
    free(order);
    free(marks);
    if (rc)
        osw_search_result_free(res);
    return rc;
}

void osw_search_result_free(osw_search_result *r)
{
    for (size_t i = 0; r->st && i < r->nconfigs; i++)
        free(r->st[i].samples);
    free(r->st);
    memset(r, 0, sizeof(*r));
    r->winner = -1;
}
