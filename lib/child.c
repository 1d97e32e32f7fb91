/* child.c: the child-process executor (child.h). */
#define _GNU_SOURCE
#include "child.h"
#include "envaxis.h"
#include "error.h"
#include "runtime.h"
#include "sysinfo.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static const char mark_begin[] = "OSW-CHILD 1\n";
static const char mark_samples[] = "OSW-CHILD-SAMPLES\n";
static const char mark_observed[] = "OSW-CHILD-OBSERVED ";
static const char mark_end[] = "OSW-CHILD-END ";

/* ---- the child's side ---- */

int osw_child_serve(const osw_plan *plan, size_t index, const osw_executor *inproc, int fd,
                    char *err)
{
    double *seconds = malloc((inproc->max_samples + 1) * sizeof(*seconds));
    if (!seconds) {
        snprintf(err, OSW_ERRLEN, "out of memory");
        return -ENOMEM;
    }
    osw_row row;
    cJSON *observed = NULL;
    int rc = osw_measure_config(plan, index, inproc, &row, seconds, &observed, err);
    FILE *f = fdopen(dup(fd), "w");
    if (!f) {
        free(seconds);
        cJSON_Delete(observed);
        snprintf(err, OSW_ERRLEN, "cannot write to the parent: %s", strerror(errno));
        return -errno;
    }
    fputs(mark_begin, f);
    if (rc == 0) {
        osw_csv_summary_header(f);
        osw_csv_summary_row(f, &row);
        fputs(mark_samples, f);
        osw_csv_samples_header(f);
        osw_csv_samples_rows(f, &row, seconds, NULL, (size_t)row.reps);
        char *json = observed ? cJSON_PrintUnformatted(observed) : NULL;
        fprintf(f, "%s%s\n", mark_observed, json ? json : "{}");
        free(json);
    }
    fprintf(f, "%s%d\n", mark_end, rc);
    int wrc = fclose(f) == 0 ? 0 : -errno;
    free(seconds);
    cJSON_Delete(observed);
    if (rc == 0 && wrc) {
        snprintf(err, OSW_ERRLEN, "cannot write to the parent: %s", strerror(-wrc));
        rc = wrc;
    }
    return rc;
}

/* ---- the parent's side ---- */

/* Reads fd to its end into a fresh buffer (*len bytes, NUL-terminated).
 * Returns 0 or -errno. */
static int read_all(int fd, char **out, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return -ENOMEM;
    for (;;) {
        if (n + 1 >= cap) {
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                return -ENOMEM;
            }
            buf = grown;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue; /* a stop signal: the child finishes the configuration */
        if (r < 0) {
            int e = errno;
            free(buf);
            return -e;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/* The text between marker a (at the start of a line, included in the search
 * from *p) and marker b: [*from, *to). */
static int section(const char *text, const char *a, const char *b, const char **from,
                   const char **to)
{
    const char *s = strstr(text, a);
    if (!s)
        return -1;
    s += strlen(a);
    const char *e = strstr(s, b);
    if (!e)
        return -1;
    *from = s;
    *to = e;
    return 0;
}

/* The row, samples and observations in the child's output. Returns 0,
 * the child's negative code, or OSW_EFORMAT with err set. */
static int parse_output(const char *text, const osw_config *c, osw_row *row, double *seconds,
                        size_t max_samples, osw_observed *obs, char *err)
{
    const char *end = strstr(text, mark_end);
    if (!end) {
        snprintf(err, OSW_ERRLEN, "no end line");
        return OSW_EFORMAT;
    }
    int code = atoi(end + sizeof(mark_end) - 1);
    if (code != 0)
        return code;
    const char *a, *b;
    osw_table t;
    char cerr[256];
    if (section(text, mark_begin, mark_samples, &a, &b) ||
        osw_csv_parse("(child summary)", a, (size_t)(b - a), &t, cerr)) {
        snprintf(err, OSW_ERRLEN, "its summary row cannot be read");
        return OSW_EFORMAT;
    }
    int rc = t.nrows == 1 ? osw_row_from_table(&t, 0, row, cerr) : OSW_EFORMAT;
    osw_table_free(&t);
    if (rc == 0 && (section(text, mark_samples, mark_observed, &a, &b) ||
                    osw_csv_parse("(child samples)", a, (size_t)(b - a), &t, cerr)))
        rc = OSW_EFORMAT;
    else if (rc == 0) {
        if (t.nrows != (size_t)row->reps || t.nrows > max_samples)
            rc = OSW_EFORMAT;
        for (size_t i = 0; rc == 0 && i < t.nrows; i++) {
            osw_sample smp;
            rc = osw_sample_from_table(&t, i, &smp, cerr);
            seconds[i] = smp.seconds;
        }
        osw_table_free(&t);
    }
    if (rc) {
        snprintf(err, OSW_ERRLEN, "its rows cannot be read: %.200s", cerr);
        return OSW_EFORMAT;
    }
    /* The child's configuration is the one asked for. */
    if (strcmp(row->kernel, c->label) != 0 || row->n != c->n || row->threads != c->threads ||
        strcmp(row->env, c->env_text) != 0) {
        snprintf(err, OSW_ERRLEN, "it measured %.60s n=%zu threads=%d, not the configuration asked",
                 row->kernel, row->n, row->threads);
        return OSW_EFORMAT;
    }
    const char *json = strstr(text, mark_observed);
    cJSON *j = json ? cJSON_Parse(json + sizeof(mark_observed) - 1) : NULL;
    if (j)
        osw_observed_merge(obs, j);
    cJSON_Delete(j);
    return 0;
}

static int child_measure(void *self, const osw_config *c, osw_row *row, double *seconds,
                         osw_observed *obs, char *err)
{
    osw_child *x = self;
    char *vars[OSW_MAX_AXES + 2];
    size_t nvars = 0;
    for (size_t e = 0; e < c->nenv && nvars < OSW_MAX_AXES + 1; e++)
        vars[nvars++] = (char *)c->env[e];
    char ld_path[4400];
    osw_runtime_take(vars, &nvars, x->swap_dir, ld_path, sizeof(ld_path));
    char **envp = osw_env_build(vars, nvars);
    char index[32];
    snprintf(index, sizeof(index), "%zu", c->index);
    char **argv = calloc((size_t)x->argc + 3, sizeof(*argv));
    int p[2] = {-1, -1};
    if (!envp || !argv || pipe2(p, O_CLOEXEC) != 0) {
        int e = envp && argv ? errno : ENOMEM;
        free(envp);
        free(argv);
        snprintf(err, OSW_ERRLEN, "cannot start a child process: %s", strerror(e));
        return -e;
    }
    argv[0] = (char *)"ompsweep";
    for (int i = 1; i < x->argc; i++)
        argv[i] = x->argv[i];
    argv[x->argc] = (char *)"--child";
    argv[x->argc + 1] = index;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        /* The child: stdout to the pipe, the CPUs ompsweep was started with,
         * no stop signals (the parent decides), gone with the parent. */
        dup2(p[1], STDOUT_FILENO);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        osw_affinity_restore();
        execve("/proc/self/exe", argv, envp);
        _exit(127);
    }
    int fork_errno = errno;
    close(p[1]);
    free(envp);
    free(argv);
    if (pid < 0) {
        close(p[0]);
        snprintf(err, OSW_ERRLEN, "cannot start a child process: %s", strerror(fork_errno));
        return -fork_errno;
    }
    char *text = NULL;
    size_t len = 0;
    int rrc = read_all(p[0], &text, &len);
    close(p[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (rrc) {
        snprintf(err, OSW_ERRLEN, "reading the child process: %s", strerror(-rrc));
        return rrc;
    }
    char why[OSW_ERRLEN];
    int rc = parse_output(text, c, row, seconds, x->max_samples, obs, why);
    free(text);
    if (rc == OSW_EFORMAT) {
        char how[64];
        if (WIFSIGNALED(st))
            snprintf(how, sizeof(how), "killed by signal %d", WTERMSIG(st));
        else
            snprintf(how, sizeof(how), "exit status %d", WEXITSTATUS(st));
        snprintf(
            err, OSW_ERRLEN,
            "the child process measuring %.60s n=%zu threads=%d %s [%.80s] failed (%s): %.200s",
            c->label, c->n, c->threads, c->schedule->name, c->env_text, how, why);
        return -EPROTO;
    }
    if (rc)
        snprintf(err, OSW_ERRLEN, "the child process measuring %.60s n=%zu threads=%d [%.80s]: %s",
                 c->label, c->n, c->threads, c->env_text, osw_strerror(rc));
    return rc;
}

/* When the run directory is ready: the swap folder for the llvm runtime. */
static int child_begin(void *self, const char *out_dir, char *err)
{
    osw_child *x = self;
    snprintf(x->swap_dir, sizeof(x->swap_dir), "%s/runtime", out_dir);
    return x->swap ? osw_runtime_swap_dir(x->swap_dir, err) : 0;
}

void osw_child_executor(osw_child *x, osw_executor *ex)
{
    *ex = (osw_executor){.self = x,
                         .env_axes = 1,
                         .max_samples = x->max_samples,
                         .begin = child_begin,
                         .measure = child_measure};
}
