/* placement.c: the placement seen against the placement asked (placement.h). */
#define _GNU_SOURCE
#include "placement.h"

#include <omp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long number(const char **p, const char *end)
{
    if (*p >= end || **p < '0' || **p > '9')
        return -1;
    long v = 0;
    while (*p < end && **p >= '0' && **p <= '9') {
        v = v * 10 + (**p - '0');
        if (v > 1000000)
            return -1;
        (*p)++;
    }
    return v;
}

int osw_cpuset_parse(const char *s, const char *end, osw_cpuset *out)
{
    memset(out, 0, sizeof(*out));
    if (!end)
        end = s + strlen(s);
    const char *p = s;
    while (p < end) {
        long a = number(&p, end), b = a;
        if (a < 0)
            return -1;
        if (p < end && *p == '-') {
            p++;
            b = number(&p, end);
            if (b < a)
                return -1;
        }
        if (b >= 64 * OSW_CPUSET_WORDS)
            return -1;
        for (long c = a; c <= b; c++)
            out->w[c / 64] |= 1ull << (c % 64);
        if (p < end && *p++ != ',')
            return -1;
    }
    return p == s ? -1 : 0;
}

void osw_cpuset_text(const osw_cpuset *c, char *buf, size_t len)
{
    size_t w = 0;
    buf[0] = '\0';
    for (int i = 0; i < 64 * OSW_CPUSET_WORDS && w < len; i++) {
        if (!(c->w[i / 64] >> (i % 64) & 1))
            continue;
        int j = i;
        while (j + 1 < 64 * OSW_CPUSET_WORDS && (c->w[(j + 1) / 64] >> ((j + 1) % 64) & 1))
            j++;
        w += (size_t)snprintf(buf + w, len - w, j > i ? "%s%d-%d" : "%s%d", w ? "," : "", i, j);
        i = j;
    }
}

int osw_cpuset_count(const osw_cpuset *c)
{
    int n = 0;
    for (int i = 0; i < OSW_CPUSET_WORDS; i++)
        n += __builtin_popcountll(c->w[i]);
    return n;
}

int osw_cpuset_equal(const osw_cpuset *a, const osw_cpuset *b)
{
    return memcmp(a, b, sizeof(*a)) == 0;
}

void osw_placement_add(osw_placement *p, long level, long thread, long team, const osw_cpuset *cpus)
{
    if (level < 1 || level > OSW_PLACEMENT_LEVELS)
        return;
    if (team > p->team[level - 1])
        p->team[level - 1] = team > 1000000 ? 1000000 : (int)team;
    if (level != 1 || thread < 0 || thread >= OSW_PLACEMENT_THREADS || !cpus)
        return;
    p->cpus[thread] = *cpus;
    p->known[thread] = 1;
    if (thread + 1 > p->nthreads)
        p->nthreads = (int)thread + 1;
}

/* One place of an explicit list at *p: ["!"]"{"res{,res}"}"[":"len[":"stride]];
 * *count grows by the places it stands for. Returns 0 or -1. */
static int one_place(const char **p, int *count)
{
    if (**p == '!')
        (*p)++;
    if (**p != '{')
        return -1;
    const char *close = strchr(*p, '}');
    if (!close)
        return -1;
    *p = close + 1;
    long len = 1;
    if (**p == ':') {
        (*p)++;
        const char *e = *p + strlen(*p);
        len = number(p, e);
        if (len < 1)
            return -1;
        if (**p == ':') {
            (*p)++;
            if (**p == '-')
                (*p)++;
            if (number(p, e) < 0)
                return -1;
        }
    }
    *count += (int)len;
    return 0;
}

int osw_places_count(const char *s)
{
    int count = 0;
    const char *p = s;
    while (*p) {
        if (one_place(&p, &count) != 0)
            return 0;
        if (*p == ',')
            p++;
        else if (*p)
            return 0;
    }
    return count;
}

int osw_placement_asked(const char *nest, int threads, const char *env, int *asked, char *bind,
                        size_t bind_len, char *places, size_t places_len)
{
    int n = 0;
    if (nest && *nest) {
        for (const char *p = nest; *p && n < OSW_PLACEMENT_LEVELS;) {
            asked[n++] = atoi(p);
            p += strcspn(p, ",");
            p += *p == ',';
        }
    } else {
        asked[n++] = threads;
    }
    bind[0] = places[0] = '\0';
    for (const char *p = env; p && *p;) {
        size_t l = strcspn(p, ";");
        if (l > 14 && strncmp(p, "OMP_PROC_BIND=", 14) == 0)
            snprintf(bind, bind_len, "%.*s", (int)(l - 14), p + 14);
        else if (l > 11 && strncmp(p, "OMP_PLACES=", 11) == 0)
            snprintf(places, places_len, "%.*s", (int)(l - 11), p + 11);
        p += l + (p[l] == ';');
    }
    if (strcmp(bind, "default") == 0)
        bind[0] = '\0';
    if (strcmp(places, "default") == 0)
        places[0] = '\0';
    return n;
}

const char *osw_placement_verdict(const osw_placement *p, const int *asked, int nlevels,
                                  const char *bind, const char *places, int process_cpus,
                                  int process_cores, char *why, size_t len)
{
    why[0] = '\0';
    if (p->team[0] == 0)
        return "";
    for (int l = 0; l < nlevels; l++)
        if (p->team[l] == 0 && l > 0) {
            snprintf(why, len,
                     "no team at nesting level %d was seen (%d threads asked): no nested parallel "
                     "region ran, or its teams had 1 thread",
                     l + 1, asked[l]);
            return "team";
        } else if (p->team[l] != asked[l]) {
            snprintf(why, len, "nesting level %d ran a team of %d thread(s), %d asked", l + 1,
                     p->team[l], asked[l]);
            return "team";
        }
    int binds = bind && *bind && strcmp(bind, "false") != 0;
    if (!binds || p->nthreads == 0)
        return "ok";
    for (int t = 0; t < p->nthreads && process_cpus > 1; t++)
        if (p->known[t] && osw_cpuset_count(&p->cpus[t]) >= process_cpus) {
            snprintf(why, len,
                     "OMP_PROC_BIND=%s asked, but thread %d may run on all %d CPUs (not bound)",
                     bind, t, process_cpus);
            return "unbound";
        }
    if (strcmp(bind, "close") != 0 && strcmp(bind, "spread") != 0)
        return "ok";
    int nplaces = p->nplaces;
    if (!nplaces && places && *places) {
        if (strncmp(places, "threads", 7) == 0)
            nplaces = process_cpus;
        else if (strncmp(places, "cores", 5) == 0)
            nplaces = process_cores;
        else
            nplaces = osw_places_count(places);
        const char *paren = strchr(places, '(');
        if (paren && atoi(paren + 1) > 0 && atoi(paren + 1) < nplaces)
            nplaces = atoi(paren + 1);
    }
    if (nplaces <= 0 || p->team[0] > nplaces)
        return "ok";
    for (int a = 0; a < p->nthreads; a++)
        for (int b = a + 1; b < p->nthreads; b++)
            if (p->known[a] && p->known[b] && osw_cpuset_equal(&p->cpus[a], &p->cpus[b])) {
                char cpus[64];
                osw_cpuset_text(&p->cpus[a], cpus, sizeof(cpus));
                snprintf(why, len,
                         "OMP_PROC_BIND=%s with %d threads on %d places, yet threads %d and %d "
                         "share CPUs %s",
                         bind, p->team[0], nplaces, a, b, cpus);
                return "shared";
            }
    return "ok";
}

void osw_placement_probe(int threads, osw_placement *p)
{
    memset(p, 0, sizeof(*p));
    p->nplaces = omp_get_num_places();
#pragma omp parallel num_threads(threads)
    {
        cpu_set_t m;
        osw_cpuset c;
        memset(&c, 0, sizeof(c));
        int ok = pthread_getaffinity_np(pthread_self(), sizeof(m), &m) == 0;
        for (int i = 0; ok && i < 64 * OSW_CPUSET_WORDS && i < CPU_SETSIZE; i++)
            if (CPU_ISSET(i, &m))
                c.w[i / 64] |= 1ull << (i % 64);
#pragma omp critical(osw_placement)
        osw_placement_add(p, 1, omp_get_thread_num(), omp_get_num_threads(), ok ? &c : NULL);
    }
}
