/* meta.c: meta.json writer. The JSON is written by hand: it is flat, and the
 * suite must build where no JSON library is installed. */
#define _GNU_SOURCE
#include "meta.h"
#include "csv.h"

#include <dlfcn.h>
#include <errno.h>
#include <omp.h>
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

void osw_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

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

static void write_places(FILE *f)
{
    int nplaces = omp_get_num_places();
    fprintf(f, "  \"num_places\": %d,\n  \"places\": [", nplaces);
    for (int p = 0; p < nplaces && p < 4096; p++) {
        int nprocs = omp_get_place_num_procs(p);
        int *ids = calloc((size_t)(nprocs > 0 ? nprocs : 1), sizeof(*ids));
        if (!ids)
            break;
        omp_get_place_proc_ids(p, ids);
        fprintf(f, "%s[", p ? ", " : "");
        for (int i = 0; i < nprocs; i++)
            fprintf(f, "%s%d", i ? ", " : "", ids[i]);
        fputc(']', f);
        free(ids);
    }
    fputs("],\n", f);
}

int osw_meta_write(const char *dir, const osw_meta *m)
{
    char path[4096], tmp[4096];
    snprintf(path, sizeof(path), "%s/meta.json", dir);
    snprintf(tmp, sizeof(tmp), "%s/.meta.json.%ld", dir, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -errno;
    const osw_sysinfo *s = m->sys;
    fprintf(f, "{\n  \"schema_version\": %d,\n  \"tool\": \"ompsweep\",\n", OSW_SCHEMA_VERSION);
    fputs("  \"version\": ", f);
    osw_json_string(f, OSW_VERSION);
    fputs(",\n  \"git_commit\": ", f);
    osw_json_string(f, OSW_GIT_COMMIT);
    fputs(",\n  \"status\": ", f);
    osw_json_string(f, m->status);
    fputs(",\n  \"started\": ", f);
    osw_json_string(f, m->started);
    fputs(",\n  \"finished\": ", f);
    if (m->finished)
        osw_json_string(f, m->finished);
    else
        fputs("null", f);
    fputs(",\n  \"host\": ", f);
    osw_json_string(f, s->host);
    fputs(",\n  \"cpu_model\": ", f);
    osw_json_string(f, s->cpu_model);
    fprintf(f,
            ",\n  \"cores\": %d,\n  \"hw_threads\": %d,\n  \"numa_nodes\": %d,\n"
            "  \"procs_available\": %d,\n  \"topology_source\": \"%s\",\n"
            "  \"mem_total_bytes\": %.0f,\n  \"transparent_hugepages\": ",
            s->cores, s->hw_threads, s->numa_nodes, s->procs, s->topology_source, s->mem_total);
    osw_json_string(f, s->thp);
    fputs(",\n  \"compiler\": ", f);
    osw_json_string(f, OSW_COMPILER);
    fputs(",\n  \"c_flags\": ", f);
    osw_json_string(f, OSW_C_FLAGS);
    fprintf(f, ",\n  \"openmp_version\": %d,\n  \"openmp_runtime\": ", _OPENMP);
    osw_json_string(f, openmp_runtime());
    fprintf(f, ",\n  \"omp_proc_bind\": \"%s\",\n", osw_proc_bind_name(omp_get_proc_bind()));
    write_places(f);
    fprintf(f, "  \"timer\": \"omp_get_wtime\",\n  \"timer_tick_s\": %.3g,\n", omp_get_wtick());
    fputs("  \"omp_env\": {", f);
    int first = 1;
    for (char **e = environ; *e; e++) {
        if (strncmp(*e, "OMP_", 4) != 0 && strncmp(*e, "GOMP_", 5) != 0 &&
            strncmp(*e, "KMP_", 4) != 0)
            continue;
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        char name[256];
        snprintf(name, sizeof(name), "%.*s", (int)(eq - *e), *e);
        fputs(first ? "\n    " : ",\n    ", f);
        osw_json_string(f, name);
        fputs(": ", f);
        osw_json_string(f, eq + 1);
        first = 0;
    }
    fputs(first ? "},\n" : "\n  },\n", f);
    fputs("  \"command_line\": [", f);
    for (int i = 0; i < m->argc; i++) {
        fputs(i ? ", " : "", f);
        osw_json_string(f, m->argv[i]);
    }
    if (m->reps_auto)
        fprintf(f,
                "],\n  \"reps\": \"auto\",\n  \"ci_target_pct\": %.6g,\n  \"min_reps\": %d,\n"
                "  \"max_reps\": %d,\n  \"max_time_s\": %.6g,\n",
                m->ci_target_pct, m->min_reps, m->max_reps, m->max_time_s);
    else
        fprintf(f, "],\n  \"reps\": %d,\n", m->reps);
    fprintf(f, "  \"warmup\": %d,\n  \"min_sample_s\": %.6g,\n  \"ranks\": %d,\n", m->warmup,
            m->min_sample_s, m->ranks > 0 ? m->ranks : 1);
    fputs("  \"threads_source\": ", f);
    osw_json_string(f, m->threads_source);
    fputs(",\n  \"schedules_source\": ", f);
    osw_json_string(f, m->schedules_source);
    fprintf(f, ",\n  \"configs_done\": %ld,\n  \"configs_total\": %ld,\n", m->configs_done,
            m->configs_total);
    if (m->order) {
        fputs("  \"order\": ", f);
        osw_json_string(f, m->order);
        if (m->has_seed)
            fprintf(f, ",\n  \"seed\": %llu,\n", m->seed);
        else
            fputs(",\n  \"seed\": null,\n", f);
        fputs("  \"config_key\": ", f);
        osw_json_string(f, m->config_key);
        fprintf(f, ",\n  \"configs_resumed\": %ld,\n", m->configs_resumed);
    }
    if (m->huge_pages) {
        fputs("  \"huge_pages\": ", f);
        osw_json_string(f, m->huge_pages);
        fprintf(f, ",\n  \"array_offset\": %zu,\n", m->array_offset);
    }
    fprintf(f, "  \"cpus_used\": {%s},\n", m->cpus_json ? m->cpus_json : "");
    if (m->order)
        fprintf(f, "  \"thread_migrations\": {%s},\n",
                m->migrations_json ? m->migrations_json : "");
    fputs("  \"warnings\": [", f);
    for (int i = 0; i < m->nwarnings; i++) {
        fputs(i ? ",\n    " : "\n    ", f);
        osw_json_string(f, m->warnings[i]);
    }
    fputs(m->nwarnings ? "\n  ]\n}\n" : "]\n}\n", f);
    return osw_commit_file(f, tmp, path);
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
