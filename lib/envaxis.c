/* envaxis.c: environment axes, parsed and checked (envaxis.h). */
#define _GNU_SOURCE
#include "envaxis.h"
#include "engine.h"
#include "error.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

/* ---- value checks ---- */

static int one_of(char *value, const char *const *words)
{
    for (char *p = value; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (; *words; words++)
        if (strcmp(value, *words) == 0)
            return 1;
    return 0;
}

/* A decimal count: digits only, at most 18 of them; *end past them. */
static int count_at(const char **p)
{
    const char *s = *p;
    while (**p >= '0' && **p <= '9')
        (*p)++;
    return *p > s && *p - s <= 18;
}

/* An OpenMP interval's tail ":len[:stride]" (stride may be negative). */
static int interval_tail(const char **p)
{
    if (**p != ':')
        return 1;
    (*p)++;
    if (!count_at(p))
        return 0;
    if (**p != ':')
        return 1;
    (*p)++;
    if (**p == '-')
        (*p)++;
    return count_at(p);
}

/* res-list inside braces: ["!"]num[":"len[":"stride]] {"," ...}. */
static int resource_list(const char **p)
{
    for (;;) {
        if (**p == '!')
            (*p)++;
        if (!count_at(p) || !interval_tail(p))
            return 0;
        if (**p != ',')
            return 1;
        (*p)++;
    }
}

/* An explicit list of places: place {"," place}, place = ["!"]"{"res-list"}"
 * [":"len[":"stride]]. */
static int places_list(const char *s)
{
    const char *p = s;
    for (;;) {
        if (*p == '!')
            p++;
        if (*p++ != '{' || !resource_list(&p) || *p++ != '}' || !interval_tail(&p))
            return 0;
        if (*p == '\0')
            return 1;
        if (*p++ != ',')
            return 0;
    }
}

/* An abstract name with an optional "(N)". */
static int places_abstract(char *value)
{
    static const char *const names[] = {"threads",      "cores",   "ll_caches",
                                        "numa_domains", "sockets", NULL};
    char *paren = strchr(value, '(');
    char saved = 0;
    if (paren) {
        const char *q = paren + 1;
        if (!count_at(&q) || q == paren + 1 || *q != ')' || q[1] != '\0' || paren[1] == '0')
            return 0;
        saved = *paren;
        *paren = '\0';
    }
    int ok = one_of(value, (const char *const *)names);
    if (paren)
        *paren = saved;
    return ok;
}

static int count_or_infinite(char *value, int suffixes)
{
    static const char *const inf[] = {"infinite", "infinity", NULL};
    char copy[OSW_ENV_VALUE_MAX];
    snprintf(copy, sizeof(copy), "%s", value);
    if (one_of(copy, (const char *const *)inf)) {
        memcpy(value, copy, strlen(copy) + 1);
        return 1;
    }
    const char *p = value;
    if (!count_at(&p))
        return 0;
    if (suffixes && *p && strchr("kKmMgGtT", *p))
        p++;
    return *p == '\0';
}

int osw_env_value_check(const char *flag, const char *name, char *value, char *err)
{
    static const char *const wait[] = {"active", "passive", NULL};
    static const char *const bind[] = {"false",   "true",   "close", "spread",
                                       "primary", "master", NULL};
    static const char *const boolean[] = {"true", "false", NULL};
    if (strcmp(value, OSW_ENV_UNSET) == 0)
        return 0;
    if (!*value) {
        snprintf(err, OSW_ERRLEN,
                 "%s: an empty value for %s (write %s to leave the variable unset)", flag, name,
                 OSW_ENV_UNSET);
        return OSW_EUSAGE;
    }
    for (const char *p = value; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == ';') {
            snprintf(err, OSW_ERRLEN, "%s: the value of %s holds a control character or ';'", flag,
                     name);
            return OSW_EUSAGE;
        }
    if (strlen(value) >= OSW_ENV_VALUE_MAX) {
        snprintf(err, OSW_ERRLEN, "%s: '%.40s...' is too long (at most %d characters)", flag, value,
                 OSW_ENV_VALUE_MAX - 1);
        return OSW_EUSAGE;
    }
    const char *want = NULL;
    char shown[48];
    snprintf(shown, sizeof(shown), "%.40s", value);
    if (strcmp(name, "OMP_WAIT_POLICY") == 0) {
        if (!one_of(value, wait))
            want = "active, passive or default";
    } else if (strcmp(name, "OMP_PROC_BIND") == 0) {
        if (!one_of(value, bind))
            want = "false, true, close, spread, primary, master or default";
    } else if (strcmp(name, "OMP_PLACES") == 0) {
        if (!(value[0] == '{' || value[0] == '!' ? places_list(value) : places_abstract(value)))
            want = "threads, cores, ll_caches, numa_domains, sockets (each with an optional "
                   "(N)), a list of places such as {0:2},{2:2}, or default";
    } else if (strcmp(name, "GOMP_SPINCOUNT") == 0) {
        if (!count_or_infinite(value, 1))
            want = "a count (suffix k, M, G or T allowed), infinite or default";
    } else if (strcmp(name, "KMP_BLOCKTIME") == 0) {
        if (!count_or_infinite(value, 0))
            want = "milliseconds, infinite or default";
    } else if (strcmp(name, "OMP_MAX_ACTIVE_LEVELS") == 0 ||
               strcmp(name, "OMP_THREAD_LIMIT") == 0) {
        const char *p = value;
        if (!count_at(&p) || *p)
            want = "a count or default";
    } else if (strcmp(name, "runtime") == 0) {
        static const char *const runtimes[] = {"gomp", "llvm", NULL};
        if (!one_of(value, runtimes))
            want = "gomp (GNU libgomp) or llvm (LLVM libomp)";
    } else if (strcmp(name, "OMP_DYNAMIC") == 0 || strcmp(name, "OMP_NESTED") == 0) {
        if (!one_of(value, boolean))
            want = "true, false or default";
    }
    if (want) {
        snprintf(err, OSW_ERRLEN, "%s: '%s' is not a value of %s: %s", flag, shown, name, want);
        return OSW_EUSAGE;
    }
    return 0;
}

/* ---- lists ---- */

static int name_ok(const char *name)
{
    if (!*name || !(isalpha((unsigned char)*name) || *name == '_'))
        return 0;
    for (const char *p = name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return 0;
    return strlen(name) < OSW_ENV_NAME_MAX;
}

/* Where the value starting at s ends: at ';', or a comma at depth 0 that
 * is not between two places of an explicit list. */
static char *value_end(char *s)
{
    int depth = 0, places = *s == '{' || *s == '!';
    for (char *p = s; *p; p++) {
        if (*p == '{' || *p == '(')
            depth++;
        else if ((*p == '}' || *p == ')') && depth > 0)
            depth--;
        else if (*p == ';')
            return p;
        else if (*p == ',' && depth == 0 && !(places && (p[1] == '{' || p[1] == '!')))
            return p;
    }
    return s + strlen(s);
}

int osw_env_axis_parse(osw_env_axis *ax, const char *flag, const char *name, const char *list,
                       char *err)
{
    memset(ax, 0, sizeof(*ax));
    ax->flag = flag;
    if (!name_ok(name)) {
        snprintf(err, OSW_ERRLEN, "%s: '%.60s' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)",
                 flag, name);
        return OSW_EUSAGE;
    }
    if (strcmp(name, "OMP_NUM_THREADS") == 0 || strcmp(name, "OMP_SCHEDULE") == 0) {
        snprintf(err, OSW_ERRLEN, "%s: %s is the %s axis: use %s", flag, name,
                 name[4] == 'N' ? "threads" : "schedule",
                 name[4] == 'N' ? "--threads" : "--schedules");
        return OSW_EUSAGE;
    }
    snprintf(ax->name, sizeof(ax->name), "%s", name);
    size_t cap = 2;
    for (const char *p = list; *p; p++)
        cap += *p == ',' || *p == ';';
    ax->text = strdup(list);
    ax->values = calloc(cap, sizeof(*ax->values));
    if (!ax->text || !ax->values) {
        osw_env_axis_free(ax);
        return -ENOMEM;
    }
    char *p = ax->text;
    for (;;) {
        char *end = value_end(p);
        int last = *end == '\0';
        *end = '\0';
        int rc = osw_env_value_check(flag, name, p, err);
        if (rc) {
            osw_env_axis_free(ax);
            return rc;
        }
        int dup = 0;
        for (size_t k = 0; k < ax->count; k++)
            dup |= strcmp(ax->values[k], p) == 0;
        if (!dup)
            ax->values[ax->count++] = p;
        if (last)
            break;
        p = end + 1;
    }
    return 0;
}

int osw_env_axis_parse_assign(osw_env_axis *ax, const char *text, char *err)
{
    const char *eq = strchr(text, '=');
    if (!eq) {
        memset(ax, 0, sizeof(*ax));
        snprintf(err, OSW_ERRLEN, "--env '%.60s' must be NAME=VALUE[,VALUE...]", text);
        return OSW_EUSAGE;
    }
    char name[OSW_ENV_NAME_MAX + 1];
    snprintf(name, sizeof(name), "%.*s",
             (int)(eq - text < OSW_ENV_NAME_MAX ? eq - text : OSW_ENV_NAME_MAX), text);
    return osw_env_axis_parse(ax, "--env", name, eq + 1, err);
}

void osw_env_axis_free(osw_env_axis *ax)
{
    free(ax->text);
    free(ax->values);
    ax->text = NULL;
    ax->values = NULL;
    ax->count = 0;
}

/* A copy of environ without the variables we set, plus ours; a variable
 * whose value is OSW_ENV_UNSET is left out (unset). The strings of vars are
 * borrowed; free() the array alone. */
char **osw_env_build(char *const *vars, size_t nvars)
{
    size_t n = 0;
    for (char **e = environ; *e; e++)
        n++;
    char **env = malloc((n + nvars + 1) * sizeof(*env));
    if (!env)
        return NULL;
    size_t k = 0;
    for (char **e = environ; *e; e++) {
        int ours = 0;
        for (size_t v = 0; v < nvars; v++) {
            size_t nl = strcspn(vars[v], "=");
            if (strncmp(*e, vars[v], nl + 1) == 0)
                ours = 1;
        }
        if (!ours)
            env[k++] = *e;
    }
    for (size_t v = 0; v < nvars; v++) {
        const char *value = strchr(vars[v], '=');
        if (!value || strcmp(value + 1, OSW_ENV_UNSET) != 0)
            env[k++] = vars[v];
    }
    env[k] = NULL;
    return env;
}
