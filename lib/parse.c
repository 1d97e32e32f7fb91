/* parse.c: list parsers for the command line and the OMP_* environment. */
#define _GNU_SOURCE
#include "parse.h"
#include "error.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, OSW_ERRLEN, fmt, ap);
    va_end(ap);
    /* The message quotes the input: keep it one printable line. */
    for (char *c = err; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    return OSW_EUSAGE;
}

/* Splits text at commas into a fresh array of fresh strings; empty items are
 * an error (`1,,2`, a leading or trailing comma). */
static int split(const char *text, const char *what, char ***items, size_t *count, char *err)
{
    *items = NULL;
    *count = 0;
    if (!text || !*text)
        return fail(err, "%s: empty list", what);
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    char **list = calloc(cap, sizeof(*list));
    if (!list)
        return -ENOMEM;
    const char *start = text;
    for (size_t i = 0; i < cap; i++) {
        const char *end = strchr(start, ',');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        if (len == 0) {
            for (size_t j = 0; j < i; j++)
                free(list[j]);
            free(list);
            return fail(err, "%s: empty item in '%s'", what, text);
        }
        list[i] = strndup(start, len);
        if (!list[i]) {
            for (size_t j = 0; j < i; j++)
                free(list[j]);
            free(list);
            return -ENOMEM;
        }
        start = end ? end + 1 : start + len;
    }
    *items = list;
    *count = cap;
    return 0;
}

static void free_items(char **items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(items[i]);
    free(items);
}

/* Strict decimal integer: digits only, no sign, no space, fits in long. */
static int parse_count(const char *s, long *out)
{
    if (!*s)
        return -1;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return -1;
    errno = 0;
    long v = strtol(s, NULL, 10);
    if (errno)
        return -1;
    *out = v;
    return 0;
}

static int push_int(int **list, size_t *count, size_t *cap, int value)
{
    for (size_t i = 0; i < *count; i++)
        if ((*list)[i] == value)
            return 0;
    if (*count == *cap) {
        size_t ncap = *cap ? 2 * *cap : 8;
        int *grown = realloc(*list, ncap * sizeof(**list));
        if (!grown)
            return -ENOMEM;
        *list = grown;
        *cap = ncap;
    }
    (*list)[(*count)++] = value;
    return 0;
}

#define THREADS_ACCEPTED "N, A-B, A-B:STEP, pow2 or all, each 1..4096"

int osw_parse_threads(const char *text, int ncores, int **out, size_t *count, char *err)
{
    char **items;
    size_t nitems;
    int rc = split(text, "--threads", &items, &nitems, err);
    if (rc)
        return rc;
    int *list = NULL;
    size_t n = 0, cap = 0;
    if (ncores < 1)
        ncores = 1;
    for (size_t i = 0; i < nitems && rc == 0; i++) {
        const char *item = items[i];
        long lo, hi, step = 1;
        if (strcmp(item, "pow2") == 0 || strcmp(item, "all") == 0) {
            int pow2 = item[0] == 'p';
            for (int t = 1; t <= ncores && rc == 0; t = pow2 ? 2 * t : t + 1)
                rc = push_int(&list, &n, &cap, t);
            if (rc == 0)
                rc = push_int(&list, &n, &cap, ncores);
            continue;
        }
        char *copy = strdup(item);
        if (!copy) {
            rc = -ENOMEM;
            break;
        }
        char *colon = strchr(copy, ':');
        char *dash = strchr(copy, '-');
        if (colon) {
            *colon = '\0';
            if (!dash || parse_count(colon + 1, &step) || step < 1) {
                free(copy);
                rc = fail(err,
                          "--threads: '%s' is not valid (a STEP needs a range A-B:STEP, "
                          "STEP >= 1); accepted: " THREADS_ACCEPTED,
                          item);
                break;
            }
        }
        if (dash) {
            *dash = '\0';
            if (parse_count(copy, &lo) || parse_count(dash + 1, &hi)) {
                free(copy);
                rc = fail(err, "--threads: '%s' is not a valid range; accepted: " THREADS_ACCEPTED,
                          item);
                break;
            }
            if (lo > hi) {
                free(copy);
                rc = fail(err, "--threads: '%s': range start exceeds its end", item);
                break;
            }
        } else if (parse_count(copy, &lo)) {
            free(copy);
            rc = fail(err, "--threads: '%s' is not a thread count; accepted: " THREADS_ACCEPTED,
                      item);
            break;
        } else {
            hi = lo;
        }
        free(copy);
        if (lo < 1 || hi > OSW_MAX_THREADS) {
            rc = fail(err, "--threads: '%s' is out of range; each count must be 1..%d", item,
                      OSW_MAX_THREADS);
            break;
        }
        if (step > OSW_MAX_THREADS)
            step = OSW_MAX_THREADS; /* same list, and t += step cannot overflow */
        for (long t = lo; t <= hi && rc == 0; t += step)
            rc = push_int(&list, &n, &cap, (int)t);
    }
    free_items(items, nitems);
    if (rc) {
        free(list);
        return rc;
    }
    *out = list;
    *count = n;
    return 0;
}

#define SIZE_ACCEPTED "an integer, 1e6, 2^24, or 100M / 16Mi (K M G T, Ki Mi Gi Ti)"

int osw_parse_size(const char *text, size_t *out, char *err)
{
    const char *s = text;
    if (!*s || !(isdigit((unsigned char)*s) || *s == '.'))
        return fail(err, "size '%s' is not a size; accepted: " SIZE_ACCEPTED, text);
    double value;
    char *end;
    const char *caret = strchr(s, '^');
    if (caret) {
        long base, expo;
        char *b = strndup(s, (size_t)(caret - s));
        if (!b)
            return -ENOMEM;
        int bad = parse_count(b, &base) || parse_count(caret + 1, &expo);
        free(b);
        if (bad || base < 2)
            return fail(err, "size '%s' is not a valid power B^E (B >= 2)", text);
        value = pow((double)base, expo > 4096 ? 4096.0 : (double)expo);
        end = (char *)caret + strlen(caret);
    } else {
        /* Plain decimal only: strtod alone would also take hex, inf and nan. */
        size_t digits = strspn(s, "0123456789.");
        if (s[digits] == 'e' || s[digits] == 'E') {
            size_t sign = s[digits + 1] == '+';
            size_t expo = strspn(s + digits + 1 + sign, "0123456789");
            if (expo == 0)
                return fail(err, "size '%s' has a malformed exponent", text);
            digits += 1 + sign + expo;
        }
        char *number = strndup(s, digits);
        if (!number)
            return -ENOMEM;
        errno = 0;
        value = strtod(number, &end);
        int partial = *end != '\0';
        free(number);
        if (partial)
            return fail(err, "size '%s' is not a size; accepted: " SIZE_ACCEPTED, text);
        end = (char *)s + digits;
        if (errno == ERANGE)
            value = INFINITY;
        double mult = 1;
        if (*end) {
            static const struct {
                const char *suffix;
                double mult;
            } suffixes[] = {
                {"K", 1e3},        {"M", 1e6},           {"G", 1e9},
                {"T", 1e12},       {"k", 1e3},           {"Ki", 1024.0},
                {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
            };
            mult = 0;
            for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
                if (strcmp(end, suffixes[i].suffix) == 0)
                    mult = suffixes[i].mult;
            if (mult == 0)
                return fail(err, "size '%s' has an unknown suffix '%s'; accepted: " SIZE_ACCEPTED,
                            text, end);
            end += strlen(end);
        }
        value *= mult;
    }
    if (!(value <= (double)OSW_MAX_SIZE))
        return fail(err, "size '%s' is too large (at most 2^48)", text);
    if (value != floor(value))
        return fail(err, "size '%s' is not a whole number", text);
    *out = (size_t)value;
    return 0;
}

int osw_parse_sizes(const char *text, size_t **out, size_t *count, char *err)
{
    char **items;
    size_t nitems;
    int rc = split(text, "--sizes", &items, &nitems, err);
    if (rc)
        return rc;
    size_t *list = calloc(nitems, sizeof(*list));
    if (!list) {
        free_items(items, nitems);
        return -ENOMEM;
    }
    for (size_t i = 0; i < nitems && rc == 0; i++) {
        if (items[i][0] == '-')
            rc = fail(err, "--sizes: '%s' is negative; sizes are >= 1", items[i]);
        else
            rc = osw_parse_size(items[i], &list[i], err);
        if (rc == 0 && list[i] == 0)
            rc = fail(err, "--sizes: '%s': a sweep needs n >= 1", items[i]);
    }
    free_items(items, nitems);
    if (rc) {
        free(list);
        return rc;
    }
    *out = list;
    *count = nitems;
    return 0;
}

static const struct {
    const char *name;
    omp_sched_t kind;
} kinds[] = {
    {"static", omp_sched_static},
    {"dynamic", omp_sched_dynamic},
    {"guided", omp_sched_guided},
    {"auto", omp_sched_auto},
};

/* Parses "[modifier:]kind" (no chunk) into s. */
static int parse_kind(const char *text, const char *what, osw_schedule *s, char *err)
{
    const char *kind = text;
    s->modifier = 0;
    s->chunk = 0;
    if (strncmp(text, "monotonic:", 10) == 0) {
        s->modifier = 1;
        kind = text + 10;
    } else if (strncmp(text, "nonmonotonic:", 13) == 0) {
        s->modifier = -1;
        kind = text + 13;
    }
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(kind, kinds[i].name) == 0) {
            s->kind = kinds[i].kind;
            if (s->modifier && s->kind == omp_sched_auto)
                return fail(err, "%s: '%s': auto takes no modifier", what, text);
            if (s->modifier < 0 && s->kind == omp_sched_static)
                return fail(err, "%s: '%s': nonmonotonic goes with dynamic or guided only", what,
                            text);
            return 0;
        }
    }
    return fail(err,
                "%s: unknown schedule '%s'; accepted: [monotonic:|nonmonotonic:]KIND[:CHUNK] "
                "or KIND,CHUNK, KIND one of static, dynamic, guided, auto (dynamic:16 = "
                "dynamic,16)%s",
                what, text,
                strcmp(what, "OMP_SCHEDULE") ? ", or taskloop:grainsize:G, taskloop:num_tasks:N"
                                             : "");
}

static const struct {
    const char *name;
    int mode;
} taskloop_kinds[] = {
    {"taskloop:grainsize", OSW_TASKLOOP_GRAINSIZE},
    {"taskloop:num_tasks", OSW_TASKLOOP_NUM_TASKS},
};

/* A taskloop schedule name ("taskloop:grainsize"): 1 with s set (chunk 0),
 * else 0. Not an OMP_SCHEDULE value: only the sweep's lists take it. */
static int parse_taskloop(const char *text, osw_schedule *s)
{
    for (size_t i = 0; i < sizeof(taskloop_kinds) / sizeof(taskloop_kinds[0]); i++) {
        if (strcmp(text, taskloop_kinds[i].name) == 0) {
            *s = (osw_schedule){.kind = omp_sched_static, .taskloop = taskloop_kinds[i].mode};
            return 1;
        }
    }
    return 0;
}

/* parse_kind, or a taskloop name. */
static int parse_kind_or_taskloop(const char *text, const char *what, osw_schedule *s, char *err)
{
    if (parse_taskloop(text, s))
        return 0;
    if (strcmp(text, "taskloop") == 0)
        return fail(err,
                    "%s: 'taskloop' needs its clause: taskloop:grainsize:G or "
                    "taskloop:num_tasks:N",
                    what);
    s->taskloop = OSW_TASKLOOP_NONE;
    return parse_kind(text, what, s, err);
}

static int parse_chunk(const char *text, const char *item, int *chunk, char *err)
{
    long v;
    if (text[0] == '-' || parse_count(text, &v) || v < 1 || v > INT_MAX)
        return fail(err, "--schedules: '%s': chunk '%s' must be a whole number in 1..2147483647",
                    item, text);
    *chunk = (int)v;
    return 0;
}

static int push_schedule(osw_schedule **list, size_t *count, size_t *cap, osw_schedule s)
{
    if (*count == *cap) {
        size_t ncap = *cap ? 2 * *cap : 8;
        osw_schedule *grown = realloc(*list, ncap * sizeof(**list));
        if (!grown)
            return -ENOMEM;
        *list = grown;
        *cap = ncap;
    }
    (*list)[(*count)++] = s;
    return 0;
}

int osw_parse_schedules(const char *text, osw_schedule **out, size_t *count, char *err)
{
    char **items;
    size_t nitems;
    int rc = split(text, "--schedules", &items, &nitems, err);
    if (rc)
        return rc;
    osw_schedule *list = NULL, last = {0};
    size_t n = 0, cap = 0;
    int have_last = 0;
    for (size_t i = 0; i < nitems && rc == 0; i++) {
        char *item = items[i];
        char original[OSW_ERRLEN / 2];
        snprintf(original, sizeof(original), "%s", item);
        osw_schedule s;
        if (isdigit((unsigned char)item[0]) || item[0] == '-') {
            /* A bare chunk after KIND (OMP_SCHEDULE's spelling, dynamic,16)
             * is that item's chunk; after KIND:CHUNK it adds another chunk
             * of the same kind (dynamic:1,4,16). */
            if (have_last && last.kind == omp_sched_auto) {
                rc = fail(err, "--schedules: chunk '%s' follows auto, which takes no chunk", item);
                break;
            }
            if (!have_last) {
                rc = fail(err,
                          "--schedules: chunk '%s' follows no schedule kind (write KIND:CHUNK "
                          "or KIND,CHUNK, e.g. dynamic:16)",
                          item);
                break;
            }
            s = last;
            rc = parse_chunk(item, item, &s.chunk, err);
            if (rc == 0 && last.chunk == 0)
                list[n - 1] = s; /* dynamic,16: the item had no chunk yet */
            else if (rc == 0)
                rc = push_schedule(&list, &n, &cap, s);
            last = s;
            continue;
        }
        char *chunk_text = strrchr(item, ':');
        if (chunk_text && (isdigit((unsigned char)chunk_text[1]) || chunk_text[1] == '-' ||
                           strcmp(chunk_text + 1, "pow2") == 0 || chunk_text[1] == '\0')) {
            *chunk_text++ = '\0';
        } else {
            chunk_text = NULL;
        }
        rc = parse_kind_or_taskloop(item, "--schedules", &s, err);
        if (rc)
            break;
        if (s.taskloop && !chunk_text) {
            rc =
                fail(err, "--schedules: '%s' needs its value: %s:G (a list or pow2 as for a chunk)",
                     original, item);
            break;
        }
        if (chunk_text && s.kind == omp_sched_auto) {
            rc = fail(err, "--schedules: '%s': auto takes no chunk", original);
            break;
        }
        if (chunk_text && strcmp(chunk_text, "pow2") == 0) {
            for (int c = 1; c <= 1024 && rc == 0; c *= 2) {
                s.chunk = c;
                rc = push_schedule(&list, &n, &cap, s);
            }
        } else {
            if (chunk_text)
                rc = parse_chunk(chunk_text, original, &s.chunk, err);
            if (rc == 0)
                rc = push_schedule(&list, &n, &cap, s);
        }
        last = s;
        have_last = 1;
    }
    free_items(items, nitems);
    if (rc) {
        free(list);
        return rc;
    }
    *out = list;
    *count = n;
    return 0;
}

int osw_parse_schedule_name(const char *text, osw_schedule *out, char *err)
{
    return parse_kind_or_taskloop(text, "schedule", out, err);
}

int osw_parse_omp_schedule(const char *text, osw_schedule *out, char *err)
{
    char *copy = strdup(text);
    if (!copy)
        return -ENOMEM;
    /* OMP_SCHEDULE is case-insensitive and allows spaces around its parts. */
    size_t w = 0;
    for (size_t r = 0; copy[r]; r++)
        if (!isspace((unsigned char)copy[r]))
            copy[w++] = (char)tolower((unsigned char)copy[r]);
    copy[w] = '\0';
    char *comma = strchr(copy, ',');
    if (comma)
        *comma = '\0';
    out->taskloop = OSW_TASKLOOP_NONE;
    int rc = parse_kind(copy, "OMP_SCHEDULE", out, err);
    if (rc == 0 && comma && out->kind == omp_sched_auto)
        rc = fail(err, "OMP_SCHEDULE: '%s': auto takes no chunk", text);
    if (rc == 0 && comma) {
        long v;
        if (parse_count(comma + 1, &v) || v < 1 || v > INT_MAX)
            rc = fail(err, "OMP_SCHEDULE: chunk '%s' must be a whole number in 1..2147483647",
                      comma + 1);
        else
            out->chunk = (int)v;
    }
    free(copy);
    return rc;
}

int osw_parse_kernels(const char *text, const osw_kernel ***out, size_t *count, char *err)
{
    char **items;
    size_t nitems;
    int rc = split(text, "--kernels", &items, &nitems, err);
    if (rc)
        return rc;
    const osw_kernel **list = calloc(osw_kernel_count + nitems, sizeof(*list));
    size_t n = 0;
    if (!list) {
        free_items(items, nitems);
        return -ENOMEM;
    }
    for (size_t i = 0; i < nitems && rc == 0; i++) {
        /* `all`: every loop kernel; a family name (syncbench, ...) or
         * `constructs`: construct kernels, whose n counts executions of a
         * construct and would make a sweep's sizes mean something else. */
        int group = 0;
        for (size_t k = 0; k < osw_kernel_count; k++) {
            const char *fam = osw_kernels[k]->family;
            int in = strcmp(items[i], "all") == 0          ? !fam
                     : strcmp(items[i], "constructs") == 0 ? fam != NULL
                                                           : fam && strcmp(items[i], fam) == 0;
            if (!in)
                continue;
            group = 1;
            int dup = 0;
            for (size_t j = 0; j < n; j++)
                dup |= list[j] == osw_kernels[k];
            if (!dup)
                list[n++] = osw_kernels[k];
        }
        if (group)
            continue;
        const osw_kernel *k = osw_kernel_find(items[i]);
        if (!k) {
            /* Loop kernels by name; construct kernels (dozens) by family. */
            char names[OSW_ERRLEN - 160] = "";
            const char *families[8];
            size_t nfam = 0;
            for (size_t j = 0; j < osw_kernel_count; j++) {
                const char *fam = osw_kernels[j]->family;
                size_t used = strlen(names);
                if (!fam) {
                    snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "",
                             osw_kernels[j]->name);
                    continue;
                }
                int seen = 0;
                for (size_t f = 0; f < nfam; f++)
                    seen |= strcmp(families[f], fam) == 0;
                if (!seen && nfam < sizeof(families) / sizeof(families[0]))
                    families[nfam++] = fam;
            }
            for (size_t f = 0; f < nfam; f++) {
                size_t used = strlen(names);
                snprintf(names + used, sizeof(names) - used, "%s%s",
                         f == 0 ? ", the construct kernels of " : ", ", families[f]);
            }
            if (nfam) {
                size_t used = strlen(names);
                snprintf(names + used, sizeof(names) - used,
                         " (each a word here, `constructs` for all three; ompsweep list names "
                         "them)");
            }
            rc = fail(err, "--kernels: unknown kernel '%s'; accepted: all (the loop kernels), %s",
                      items[i], names);
            break;
        }
        int dup = 0;
        for (size_t j = 0; j < n; j++)
            dup |= list[j] == k;
        if (!dup)
            list[n++] = k;
    }
    free_items(items, nitems);
    if (rc) {
        free(list);
        return rc;
    }
    *out = list;
    *count = n;
    return 0;
}

const char *osw_schedule_name(const osw_schedule *s, char *buf, size_t len)
{
    for (size_t i = 0; i < sizeof(taskloop_kinds) / sizeof(taskloop_kinds[0]); i++) {
        if (s->taskloop == taskloop_kinds[i].mode) {
            snprintf(buf, len, "%s", taskloop_kinds[i].name);
            return buf;
        }
    }
    const char *kind = "static";
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (kinds[i].kind == s->kind)
            kind = kinds[i].name;
    snprintf(buf, len, "%s%s",
             s->modifier > 0   ? "monotonic:"
             : s->modifier < 0 ? "nonmonotonic:"
                               : "",
             kind);
    return buf;
}

void osw_schedule_apply(const osw_schedule *s)
{
    omp_sched_t kind = s->kind;
    /* OpenMP 5.x: without the monotonic flag, dynamic and guided may run
     * nonmonotonic, so `nonmonotonic:` and no modifier set the same thing. */
    if (s->modifier > 0)
        kind = (omp_sched_t)((unsigned)kind | (unsigned)omp_sched_monotonic);
    if (s->taskloop) {
        osw_taskloop = (osw_taskloop_spec){s->taskloop, s->chunk > 0 ? s->chunk : 1};
        omp_set_schedule(omp_sched_static, 0);
        return;
    }
    osw_taskloop = (osw_taskloop_spec){OSW_TASKLOOP_NONE, 0};
    omp_set_schedule(kind, s->chunk);
}

int osw_check_taskloop(const osw_kernel *const *kernels, size_t nkernels,
                       const osw_schedule *schedules, size_t nschedules, char *err)
{
    const osw_schedule *tl = NULL;
    for (size_t i = 0; i < nschedules && !tl; i++)
        if (schedules[i].taskloop)
            tl = &schedules[i];
    if (!tl)
        return 0;
    char name[32];
    osw_schedule_name(tl, name, sizeof(name));
    if (nkernels == 0)
        return fail(err,
                    "--schedules: %s is a kernel loop schedule, not an OMP_SCHEDULE value: "
                    "exec cannot pass it to a program",
                    name);
    char names[320] = "";
    for (size_t j = 0; j < osw_kernel_count; j++) {
        if (!osw_kernels[j]->taskloop)
            continue;
        size_t used = strlen(names);
        snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "",
                 osw_kernels[j]->name);
    }
    for (size_t i = 0; i < nkernels; i++)
        if (!kernels[i]->taskloop)
            return fail(err,
                        "--schedules: %s: kernel '%s' has no taskloop driver; kernels that "
                        "support taskloop: %s",
                        name, kernels[i]->name, names);
    return 0;
}

int osw_pick_threads(const char *flag, const char *env, int flag_cores, int default_cores,
                     int **out, size_t *count, const char **source, char *warn, char *err)
{
    warn[0] = '\0';
    if (flag) {
        *source = "--threads";
        return osw_parse_threads(flag, flag_cores, out, count, err);
    }
    if (env && *env) {
        char first[32];
        snprintf(first, sizeof(first), "%.*s", (int)strcspn(env, ","), env);
        char *end;
        long v = strtol(first, &end, 10);
        if (*first && !*end && v >= 1 && v <= OSW_MAX_THREADS) {
            *out = malloc(sizeof(**out));
            if (!*out)
                return -ENOMEM;
            (*out)[0] = (int)v;
            *count = 1;
            *source = "OMP_NUM_THREADS";
            return 0;
        }
        snprintf(warn, OSW_WARNLEN,
                 "ignoring OMP_NUM_THREADS='%.60s' (not a thread count 1..%d); using the "
                 "default thread list",
                 env, OSW_MAX_THREADS);
    }
    *source = "default";
    return osw_parse_threads("pow2", default_cores, out, count, err);
}

int osw_pick_schedules(const char *flag, const char *env, osw_schedule **out, size_t *count,
                       const char **source, char *warn, char *err)
{
    warn[0] = '\0';
    if (flag) {
        *source = "--schedules";
        return osw_parse_schedules(flag, out, count, err);
    }
    if (env && *env) {
        osw_schedule s;
        char why[OSW_ERRLEN];
        if (osw_parse_omp_schedule(env, &s, why) == 0) {
            *out = malloc(sizeof(**out));
            if (!*out)
                return -ENOMEM;
            (*out)[0] = s;
            *count = 1;
            *source = "OMP_SCHEDULE";
            return 0;
        }
        snprintf(warn, OSW_WARNLEN,
                 "ignoring OMP_SCHEDULE='%.60s' (%.200s); using the default schedules", env, why);
    }
    *source = "default";
    return osw_parse_schedules("static,dynamic:1024,guided", out, count, err);
}

const char *osw_env_num_threads(void)
{
    const char *value = getenv("OMP_NUM_THREADS");
    return value ? value : getenv(OSW_SAVED_NUM_THREADS);
}

int osw_parse_u64(const char *text, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (!isdigit((unsigned char)*text) || *end || errno || v > max)
        return 0;
    *out = v;
    return 1;
}

int osw_parse_huge_pages(const char *text, int *on, char *err)
{
    if (strcmp(text, "on") != 0 && strcmp(text, "off") != 0)
        return fail(err, "--huge-pages '%s' must be on or off", text);
    *on = strcmp(text, "on") == 0;
    return 0;
}

int osw_parse_array_offset(const char *text, size_t *out, char *err)
{
    unsigned long long v;
    if (!osw_parse_u64(text, 1ull << 30, &v) || v % 64)
        return fail(err, "--array-offset '%s' must be bytes, a multiple of 64 in 0..1073741824",
                    text);
    *out = (size_t)v;
    return 0;
}
