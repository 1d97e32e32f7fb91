/* meta.c: meta.json, built and printed with cJSON. */
#define _GNU_SOURCE
#include "meta.h"
#include "energy.h"
#include "csv.h"
#include "kernel.h"

#include <cjson/cJSON.h>

#include <dlfcn.h>
#include <errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef OSW_VERSION
#define OSW_VERSION "unknown"
#endif
#ifndef OSW_GIT_COMMIT
#define OSW_GIT_COMMIT "unknown"
#endif
#ifndef OSW_C_FLAGS
#define OSW_C_FLAGS "unknown"
#endif
#ifndef OSW_COMPILER
#define OSW_COMPILER "unknown"
#endif

extern char **environ;

const char *osw_now_iso(char *buf, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

const char *osw_proc_bind_name(omp_proc_bind_t b)
{
    switch (b) {
    case omp_proc_bind_false:
        return "false";
    case omp_proc_bind_true:
        return "true";
    case omp_proc_bind_master:
        return "primary";
    case omp_proc_bind_close:
        return "close";
    case omp_proc_bind_spread:
        return "spread";
    default:
        return "unknown";
    }
}

/* The shared object that provides the OpenMP runtime (libgomp, libomp). */
static const char *openmp_runtime(void)
{
    Dl_info info;
    if (dladdr((void *)(size_t)&omp_get_wtime, &info) && info.dli_fname)
        return info.dli_fname;
    return "unknown";
}

/* The OpenMP places as [[cpus], ...]. */
static cJSON *places_json(void)
{
    cJSON *places = cJSON_CreateArray();
    int nplaces = omp_get_num_places();
    for (int p = 0; places && p < nplaces && p < 4096; p++) {
        int nprocs = omp_get_place_num_procs(p);
        int *ids = calloc((size_t)(nprocs > 0 ? nprocs : 1), sizeof(*ids));
        if (!ids)
            break;
        omp_get_place_proc_ids(p, ids);
        cJSON_AddItemToArray(places, cJSON_CreateIntArray(ids, nprocs));
        free(ids);
    }
    return places;
}

/* OMP_*, GOMP_* and KMP_* variables of the environment. */
static cJSON *omp_env_json(void)
{
    cJSON *env = cJSON_CreateObject();
    for (char **e = environ; env && *e; e++) {
        if (strncmp(*e, "OMP_", 4) != 0 && strncmp(*e, "GOMP_", 5) != 0 &&
            strncmp(*e, "KMP_", 4) != 0)
            continue;
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        char name[256];
        snprintf(name, sizeof(name), "%.*s", (int)(eq - *e), *e);
        cJSON_AddStringToObject(env, name, eq + 1);
    }
    return env;
}

static void add_string_or_null(cJSON *o, const char *name, const char *value)
{
    if (value)
        cJSON_AddStringToObject(o, name, value);
    else
        cJSON_AddNullToObject(o, name);
}

/* The machine, the build and the OpenMP runtime. */
/* kernel_build: the vector ISA the kernels were compiled for and, per
 * kernel, the vector width it was told to prefer (null: the compiler's own
 * choice for that ISA) with the flag that said so (docs/kernels.md, "Vector
 * width"). */
static cJSON *kernel_build_json(void)
{
    cJSON *b = cJSON_CreateObject();
    int bits;
    cJSON_AddStringToObject(b, "vector_isa", osw_kernel_isa(&bits));
    cJSON_AddNumberToObject(b, "vector_isa_bits", bits);
    cJSON *per = cJSON_AddObjectToObject(b, "kernels");
    for (size_t i = 0; per && i < osw_kernel_count; i++) {
        const char *name = osw_kernels[i]->name;
        int w = osw_kernel_prefer_width(name);
        cJSON *k = cJSON_AddObjectToObject(per, name);
        if (!k)
            continue;
        char flag[48] = "";
        if (w) {
            cJSON_AddNumberToObject(k, "prefer_vector_width", w);
            snprintf(flag, sizeof(flag), "-mprefer-vector-width=%d", w);
        } else {
            cJSON_AddNullToObject(k, "prefer_vector_width");
        }
        cJSON_AddStringToObject(k, "extra_flags", flag);
    }
    return b;
}

static void add_provenance(cJSON *o, const osw_sysinfo *s)
{
    cJSON_AddStringToObject(o, "host", s->host);
    cJSON_AddStringToObject(o, "cpu_model", s->cpu_model);
    cJSON_AddNumberToObject(o, "cores", s->cores);
    cJSON_AddNumberToObject(o, "hw_threads", s->hw_threads);
    cJSON_AddNumberToObject(o, "numa_nodes", s->numa_nodes);
    cJSON_AddNumberToObject(o, "procs_available", s->procs);
    cJSON_AddStringToObject(o, "topology_source", s->topology_source);
    cJSON_AddNumberToObject(o, "mem_total_bytes", s->mem_total);
    if (s->llc_bytes > 0)
        cJSON_AddNumberToObject(o, "llc_bytes", s->llc_bytes);
    else
        cJSON_AddNullToObject(o, "llc_bytes");
    cJSON_AddStringToObject(o, "transparent_hugepages", s->thp);
    cJSON_AddStringToObject(o, "compiler", OSW_COMPILER);
    cJSON_AddStringToObject(o, "c_flags", OSW_C_FLAGS);
    cJSON_AddItemToObject(o, "kernel_build", kernel_build_json());
    cJSON_AddNumberToObject(o, "openmp_version", _OPENMP);
    cJSON_AddStringToObject(o, "openmp_runtime", openmp_runtime());
    cJSON_AddStringToObject(o, "omp_proc_bind", osw_proc_bind_name(omp_get_proc_bind()));
    cJSON_AddNumberToObject(o, "num_places", omp_get_num_places());
    cJSON_AddItemToObject(o, "places", places_json());
    cJSON_AddStringToObject(o, "timer", "omp_get_wtime");
    cJSON_AddNumberToObject(o, "timer_tick_s", omp_get_wtick());
    cJSON_AddItemToObject(o, "omp_env", omp_env_json());
    /* energy_j's source: the powercap counters, or why the column is empty. */
    const osw_energy *e = osw_energy_system();
    cJSON *energy = cJSON_AddObjectToObject(o, "energy");
    cJSON_AddBoolToObject(energy, "available", e->ndomains > 0);
    if (e->ndomains > 0)
        cJSON_AddNumberToObject(energy, "package_domains", e->ndomains);
    else
        cJSON_AddStringToObject(energy, "note", e->why);
}

/* The run's settings and progress. */
static void add_settings(cJSON *o, const osw_meta *m)
{
    cJSON_AddItemToObject(o, "command_line",
                          cJSON_CreateStringArray((const char *const *)m->argv, m->argc));
    if (m->reps_auto) {
        cJSON_AddStringToObject(o, "reps", "auto");
        cJSON_AddNumberToObject(o, "ci_target_pct", m->ci_target_pct);
        cJSON_AddNumberToObject(o, "min_reps", m->min_reps);
        cJSON_AddNumberToObject(o, "max_reps", m->max_reps);
        cJSON_AddNumberToObject(o, "max_time_s", m->max_time_s);
    } else {
        cJSON_AddNumberToObject(o, "reps", m->reps);
    }
    cJSON_AddNumberToObject(o, "warmup", m->warmup);
    cJSON_AddNumberToObject(o, "min_sample_s", m->min_sample_s);
    cJSON_AddNumberToObject(o, "ranks", m->ranks > 0 ? m->ranks : 1);
    add_string_or_null(o, "threads_source", m->threads_source);
    add_string_or_null(o, "schedules_source", m->schedules_source);
    cJSON_AddNumberToObject(o, "configs_done", (double)m->configs_done);
    cJSON_AddNumberToObject(o, "configs_total", (double)m->configs_total);
    if (m->order) {
        cJSON_AddStringToObject(o, "order", m->order);
        if (m->block > 0)
            cJSON_AddNumberToObject(o, "block", m->block);
        if (m->has_seed) {
            /* An integer below 2^53, written digit for digit (cJSON would
             * print large doubles in exponent form). */
            char seed[32];
            snprintf(seed, sizeof(seed), "%llu", m->seed);
            cJSON_AddRawToObject(o, "seed", seed);
        } else
            cJSON_AddNullToObject(o, "seed");
        add_string_or_null(o, "config_key", m->config_key);
        cJSON_AddNumberToObject(o, "configs_resumed", (double)m->configs_resumed);
    }
    if (m->huge_pages) {
        cJSON_AddStringToObject(o, "huge_pages", m->huge_pages);
        cJSON_AddStringToObject(o, "probe", osw_probe_mode == OSW_PROBE_OFF ? "off" : "on");
        cJSON_AddNumberToObject(o, "array_offset", (double)m->array_offset);
    }
    if (m->env_axes)
        cJSON_AddItemToObject(o, "env_axes", cJSON_Duplicate(m->env_axes, 1));
    if (m->placement)
        cJSON_AddItemToObject(o, "placement", cJSON_Duplicate(m->placement, 1));
    cJSON_AddItemToObject(o, "cpus_used",
                          m->cpus_used ? cJSON_Duplicate(m->cpus_used, 1) : cJSON_CreateObject());
    if (m->order)
        cJSON_AddItemToObject(o, "thread_migrations",
                              m->thread_migrations ? cJSON_Duplicate(m->thread_migrations, 1)
                                                   : cJSON_CreateObject());
    cJSON_AddItemToObject(o, "warnings", cJSON_CreateStringArray(m->warnings, m->nwarnings));
}

static char *tidy(const char *text)
{
    size_t w = 0;
    int line_start = 1;
    size_t tabs = 0;
    for (const char *p = text; *p; p++)
        tabs += *p == '\t';
    char *out = malloc(strlen(text) + tabs + 1);
    if (!out)
        return NULL;
    for (const char *p = text; *p; p++) {
        if (*p == '\t' && line_start) {
            out[w++] = ' ';
            out[w++] = ' ';
        } else if (*p == '\t') {
            out[w++] = ' ';
        } else {
            out[w++] = *p;
        }
        line_start = *p == '\n' || (line_start && *p == '\t');
    }
    out[w] = '\0';
    return out;
}

char *osw_json_print(const cJSON *doc)
{
    char *raw = cJSON_Print(doc);
    char *text = raw ? tidy(raw) : NULL;
    cJSON_free(raw);
    return text;
}

int osw_meta_write(const char *dir, const osw_meta *m)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return -ENOMEM;
    cJSON_AddNumberToObject(o, "schema_version", OSW_SCHEMA_VERSION);
    cJSON_AddStringToObject(o, "tool", "ompsweep");
    cJSON_AddStringToObject(o, "version", OSW_VERSION);
    cJSON_AddStringToObject(o, "git_commit", OSW_GIT_COMMIT);
    add_string_or_null(o, "status", m->status);
    if (m->failure)
        cJSON_AddStringToObject(o, "failure", m->failure);
    add_string_or_null(o, "started", m->started);
    add_string_or_null(o, "finished", m->finished);
    add_provenance(o, m->sys);
    add_settings(o, m);
    for (const cJSON *x = m->extra ? m->extra->child : NULL; x; x = x->next)
        cJSON_AddItemToObject(o, x->string, cJSON_Duplicate(x, 1));
    int rc = osw_json_write(dir, "meta.json", o);
    cJSON_Delete(o);
    return rc;
}

int osw_json_write(const char *dir, const char *name, const cJSON *doc)
{
    char *text = osw_json_print(doc);
    if (!text)
        return -ENOMEM;
    char path[4200], tmp[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    snprintf(tmp, sizeof(tmp), "%s/.%s.%ld", dir, name, (long)getpid());
    FILE *f = fopen(tmp, "w");
    int rc = f ? 0 : -errno;
    if (f) {
        fputs(text, f);
        fputc('\n', f);
        rc = osw_commit_file(f, tmp, path);
    }
    if (rc == -ENOSPC || rc == -EDQUOT || rc == -EFBIG) {
        /* No room for a second copy: rewrite the file in place, in the room
         * the old one frees, so that it does not keep saying "running". */
        f = fopen(path, "w");
        rc = f ? 0 : -errno;
        if (f && (fputs(text, f) < 0 || fputc('\n', f) < 0))
            rc = -(errno ? errno : EIO);
        if (f && fclose(f) != 0 && rc == 0)
            rc = -(errno ? errno : EIO);
    }
    free(text);
    return rc;
}

int osw_commit_file(FILE *f, const char *tmp, const char *path)
{
    int rc = 0;
    if (fflush(f) != 0 || ferror(f))
        rc = -(errno ? errno : EIO);
    if (fclose(f) != 0 && rc == 0)
        rc = -(errno ? errno : EIO);
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -errno;
    if (rc)
        unlink(tmp);
    return rc;
}
