/* external.c: the external-program executor (see external.h). */
#define _GNU_SOURCE
#include "external.h"
#include "error.h"
#include "meta.h"
#include "stats.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The most output of one run that --metric searches (the first bytes). */
#define EXEC_METRIC_MAX ((size_t)16 << 20)

/* How one run ended. */
struct outcome {
    const char *status;
    char detail[160];
    double wall, cpu, metric;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Kernel column text: the program's base name, reduced to [A-Za-z0-9_.+-]. */
void osw_program_label(const char *prog, char *buf, size_t len)
{
    const char *base = strrchr(prog, '/');
    base = base ? base + 1 : prog;
    if (!*base)
        base = "program";
    size_t i = 0;
    for (; base[i] && i + 1 < len; i++) {
        char c = base[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '.' || c == '+' || c == '-';
        buf[i] = ok ? c : '_';
    }
    buf[i] = '\0';
}

/* PROGRAM as execvp would find it: a name with a slash as is, else the first
 * executable regular file on PATH, else the first file of that name on PATH
 * (execve then reports EACCES), else the bare name (ENOENT). */
static void resolve_program(const char *name, char *out, size_t len)
{
    snprintf(out, len, "%s", name);
    if (strchr(name, '/') || !*name)
        return;
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    int found_other = 0;
    while (1) {
        size_t dl = strcspn(path, ":");
        char cand[4096];
        int w = snprintf(cand, sizeof(cand), "%.*s%s%s", (int)dl, dl ? path : ".", "/", name);
        struct stat st;
        if (w > 0 && (size_t)w < sizeof(cand) && stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
            if (access(cand, X_OK) == 0) {
                snprintf(out, len, "%s", cand);
                return;
            }
            if (!found_other) {
                snprintf(out, len, "%s", cand);
                found_other = 1;
            }
        }
        if (!path[dl])
            break;
        path += dl + 1;
    }
}

/* Waits for pid until deadline (CLOCK_MONOTONIC seconds). Returns 1 when it
 * was reaped (*st, *ru and *t_end set), 0 at the deadline or when a stop
 * signal arrived (x->stop_signal set), -1 on a wait error. */
static int wait_until(osw_external *x, pid_t pid, double deadline, int *st, struct rusage *ru,
                      double *t_end)
{
    for (;;) {
        pid_t r = wait4(pid, st, WNOHANG, ru);
        if (r == pid) {
            *t_end = now_s();
            return 1;
        }
        if (r < 0 && errno != EINTR)
            return -1;
        double left = deadline - now_s();
        if (left <= 0)
            return 0;
        if (left > 0.1) /* wake now and then, whatever happens to SIGCHLD */
            left = 0.1;
        struct timespec ts = {(time_t)left, (long)((left - (double)(time_t)left) * 1e9)};
        int sig = sigtimedwait(&x->wait_set, NULL, &ts);
        if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
            if (!x->stop_signal)
                x->stop_signal = sig;
            return 0;
        }
    }
}

/* Consumes a stop signal that is already pending (between runs). */
static void poll_stop(osw_external *x)
{
    struct timespec zero = {0, 0};
    int sig;
    while ((sig = sigtimedwait(&x->wait_set, NULL, &zero)) > 0)
        if ((sig == SIGINT || sig == SIGTERM || sig == SIGHUP) && !x->stop_signal)
            x->stop_signal = sig;
}

static void signal_text(int sig, char *buf, size_t len)
{
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(buf, len, "killed by SIG%s", abbrev);
    else
        snprintf(buf, len, "killed by signal %d", sig);
}

/* Runs the program once with envp, output appended to log_fd. */
static void run_once(osw_external *x, char **argv, char **envp, int log_fd, struct outcome *o)
{
    memset(o, 0, sizeof(*o));
    o->metric = NAN;
    int errpipe[2];
    if (pipe2(errpipe, O_CLOEXEC) != 0) {
        o->status = "failed";
        snprintf(o->detail, sizeof(o->detail), "pipe: %s", strerror(errno));
        return;
    }
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        /* The child: async-signal-safe calls only. */
        setpgid(0, 0);
        sigprocmask(SIG_SETMASK, &x->old_mask, NULL);
        dup2(x->devnull, STDIN_FILENO);
        dup2(log_fd, STDOUT_FILENO);
        dup2(log_fd, STDERR_FILENO);
        execve(x->path, argv, envp);
        int e = errno;
        ssize_t w = write(errpipe[1], &e, sizeof(e));
        (void)w;
        _exit(e == ENOENT ? 127 : 126);
    }
    close(errpipe[1]);
    if (pid < 0) {
        close(errpipe[0]);
        o->status = "failed";
        snprintf(o->detail, sizeof(o->detail), "fork: %s", strerror(errno));
        return;
    }
    setpgid(pid, pid); /* also here, so the group exists before any kill */

    int st = 0, timed_out = 0, killed = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof(ru));
    double t_end = t0;
    int r = wait_until(x, pid, t0 + x->timeout, &st, &ru, &t_end);
    if (r == 0) {
        timed_out = !x->stop_signal;
        kill(-pid, SIGTERM);
        kill(pid, SIGTERM);
        r = wait_until(x, pid, now_s() + OSW_EXEC_GRACE_S, &st, &ru, &t_end);
        if (r != 1) {
            killed = 1;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
                ;
            t_end = now_s();
        }
        kill(-pid, SIGKILL); /* anything the run left behind in its group */
    } else if (r < 0) {
        int e = errno;
        close(errpipe[0]);
        o->status = "failed";
        snprintf(o->detail, sizeof(o->detail), "wait: %s", strerror(e));
        return;
    }
    o->wall = t_end - t0;
    o->cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
             (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;

    int exec_errno = 0;
    ssize_t got = read(errpipe[0], &exec_errno, sizeof(exec_errno));
    close(errpipe[0]);
    if (got == (ssize_t)sizeof(exec_errno)) {
        o->status = exec_errno == ENOENT || exec_errno == ENOTDIR ? "not_found" : "not_executable";
        snprintf(o->detail, sizeof(o->detail), "cannot run %.100s: %s", x->path,
                 strerror(exec_errno));
    } else if (x->stop_signal && !timed_out) {
        o->status = "failed";
        snprintf(o->detail, sizeof(o->detail), "stopped: ompsweep got signal %d", x->stop_signal);
    } else if (timed_out) {
        o->status = "timeout";
        snprintf(o->detail, sizeof(o->detail), "killed after the %g s timeout%s", x->timeout,
                 killed ? " with SIGKILL: SIGTERM did not end it" : "");
    } else if (WIFSIGNALED(st)) {
        o->status = "crashed";
        signal_text(WTERMSIG(st), o->detail, sizeof(o->detail));
    } else if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
        o->status = "failed";
        snprintf(o->detail, sizeof(o->detail), "exit status %d", WEXITSTATUS(st));
    } else {
        o->status = "ok";
        snprintf(o->detail, sizeof(o->detail), "exit status 0");
    }
}

/* Searches the log from offset from (this run's output) for --metric. */
static int find_metric(const osw_external *x, int fd, off_t from, double *out, char *why,
                       size_t whylen)
{
    off_t end = lseek(fd, 0, SEEK_END);
    if (end < from) {
        snprintf(why, whylen, "cannot read the log back");
        return -1;
    }
    size_t len = (size_t)(end - from);
    if (len > EXEC_METRIC_MAX)
        len = EXEC_METRIC_MAX;
    char *buf = malloc(len + 1);
    if (!buf) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    size_t have = 0;
    while (have < len) {
        ssize_t got = pread(fd, buf + have, len - have, from + (off_t)have);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        have += (size_t)got;
    }
    buf[have] = '\0';
    for (size_t i = 0; i < have; i++)
        if (buf[i] == '\0')
            buf[i] = '\n';
    regmatch_t m[2];
    int rc = -1;
    if (regexec(&x->metric, buf, 2, m, 0) != 0 || m[1].rm_so < 0) {
        snprintf(why, whylen, "--metric did not match the output");
    } else {
        char text[64];
        size_t mlen = (size_t)(m[1].rm_eo - m[1].rm_so);
        snprintf(text, sizeof(text), "%.*s", (int)(mlen < 63 ? mlen : 63), buf + m[1].rm_so);
        char *e;
        errno = 0;
        double v = strtod(text, &e);
        while (*e == ' ' || *e == '\t')
            e++;
        if (e == text || *e || errno == ERANGE || !isfinite(v) || !(v > 0)) {
            snprintf(why, whylen, "--metric matched '%.40s', not a positive number", text);
        } else {
            *out = v;
            rc = 0;
        }
    }
    free(buf);
    return rc;
}

/* A copy of environ without the variables we set, plus ours (NULL values
 * are left out). The strings of vars are borrowed; free() the array alone. */
static char **make_env(char *const *vars, size_t nvars)
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
    for (size_t v = 0; v < nvars; v++)
        env[k++] = vars[v];
    env[k] = NULL;
    return env;
}

/* ARGS with every "{n}" replaced by n (when substitute). Returns a fresh
 * NULL-terminated array whose strings are fresh too, or NULL. */
static char **make_argv(char **argv, int argc, size_t n, int substitute)
{
    char **out = calloc((size_t)argc + 1, sizeof(*out));
    if (!out)
        return NULL;
    char num[32];
    snprintf(num, sizeof(num), "%zu", n);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        size_t count = 0;
        for (const char *p = a; substitute && (p = strstr(p, "{n}")); p += 3)
            count++;
        size_t len = strlen(a) + count * strlen(num) + 1;
        char *s = malloc(len);
        if (!s) {
            for (int j = 0; j < i; j++)
                free(out[j]);
            free(out);
            return NULL;
        }
        char *d = s;
        for (const char *p = a; *p;) {
            if (substitute && strncmp(p, "{n}", 3) == 0) {
                d = stpcpy(d, num);
                p += 3;
            } else {
                *d++ = *p++;
            }
        }
        *d = '\0';
        out[i] = s;
    }
    return out;
}

static void free_argv(char **argv)
{
    if (!argv)
        return;
    for (char **a = argv; *a; a++)
        free(*a);
    free(argv);
}

/* Removes the *.log files a previous run left in DIR/logs (with --force). */
static void clear_logs(const char *logs)
{
    DIR *d = opendir(logs);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".log") == 0) {
            char path[4400];
            snprintf(path, sizeof(path), "%s/%s", logs, e->d_name);
            unlink(path);
        }
    }
    closedir(d);
}

/* File name of a configuration's log: [n<N>-]t<T>-<schedule>[-<chunk>]
 * then -<value> of each ENV axis that tags the kernel column (--bind). */
static void log_name(const osw_external *x, const osw_config *c, char *buf, size_t len)
{
    char sched[40];
    snprintf(sched, sizeof(sched), "%s", c->schedule->name);
    for (char *p = sched; *p; p++)
        if (*p == ':')
            *p = '_';
    int w = 0;
    if (x->with_n)
        w = snprintf(buf, len, "n%zu-", c->n);
    w += snprintf(buf + w, len - (size_t)w, "t%d-%s", c->threads, sched);
    if (c->schedule->s.chunk)
        w += snprintf(buf + w, len - (size_t)w, "-%d", c->schedule->s.chunk);
    for (const char *tag = strchr(c->label, '@'); tag && w < (int)len; tag = strchr(tag + 1, '@')) {
        size_t tl = strcspn(tag + 1, "@");
        w += snprintf(buf + w, len - (size_t)w, "-%.*s", (int)tl, tag + 1);
    }
}

/* The configuration's environment settings: OMP_NUM_THREADS, OMP_SCHEDULE
 * (when set), then the ENV axes'. vars has room for 2 + OSW_MAX_AXES. */
static size_t config_vars(const osw_config *c, char *v_threads, char *v_sched, char **vars)
{
    size_t nvars = 0;
    snprintf(v_threads, 48, "OMP_NUM_THREADS=%d", c->threads);
    vars[nvars++] = v_threads;
    if (c->schedule->set) {
        if (c->schedule->s.chunk)
            snprintf(v_sched, 80, "OMP_SCHEDULE=%s,%d", c->schedule->name, c->schedule->s.chunk);
        else
            snprintf(v_sched, 80, "OMP_SCHEDULE=%s", c->schedule->name);
        vars[nvars++] = v_sched;
    }
    for (size_t e = 0; e < c->nenv; e++)
        vars[nvars++] = (char *)c->env[e];
    return nvars;
}

/* Runs warmup + reps runs of c into the log at fd, stopping at the first
 * failure; samples[0..*count) get the timed ones, *cpu and *wall their sums;
 * row->status says how the last run ended, x->failure why it failed. */
static void run_config(osw_external *x, const osw_config *c, char **argv, char **envp, char **vars,
                       size_t nvars, int fd, const char *path, osw_row *row, double *samples,
                       size_t *count, double *cpu, double *wall)
{
    int total = x->warmup + x->reps;
    for (int r = 0; r < total; r++) {
        poll_stop(x);
        if (x->stop_signal)
            break;
        int warm = r < x->warmup;
        dprintf(fd, "==> ompsweep exec: %s %d/%d:", warm ? "warmup" : "rep",
                warm ? r + 1 : r - x->warmup + 1, warm ? x->warmup : x->reps);
        for (size_t v = 0; v < nvars; v++)
            dprintf(fd, " %s", vars[v]);
        for (char **a = argv; *a; a++)
            dprintf(fd, " %s", *a);
        dprintf(fd, "\n");
        off_t from = lseek(fd, 0, SEEK_END);
        struct outcome o;
        run_once(x, argv, envp, fd, &o);
        char why[160] = "";
        if (strcmp(o.status, "ok") == 0 && x->have_metric &&
            find_metric(x, fd, from, &o.metric, why, sizeof(why)) != 0) {
            o.status = "no_metric";
            snprintf(o.detail, sizeof(o.detail), "%s", why);
        }
        dprintf(fd, "<== ompsweep exec: status %s (%s), wall %.6f s, cpu %.6f s", o.status,
                o.detail, o.wall, o.cpu);
        if (!isnan(o.metric))
            dprintf(fd, ", metric %.9g", o.metric);
        dprintf(fd, "\n");
        if (x->stop_signal)
            break; /* the run was cut short by our own interrupt: not its fault */
        if (strcmp(o.status, "ok") != 0) {
            snprintf(row->status, sizeof(row->status), "%s", o.status);
            snprintf(x->failure, sizeof(x->failure), "%s (%s) in %s %d; log: %.400s", o.status,
                     o.detail, warm ? "warmup" : "rep", warm ? r + 1 : r - x->warmup + 1, path);
            break;
        }
        if (!warm) {
            samples[(*count)++] = x->have_metric ? o.metric : o.wall;
            *cpu += o.cpu;
            *wall += o.wall;
        }
    }
    (void)c;
}

/* The executor's measure (engine.h): one configuration. */
static int external_measure(void *self, const osw_config *c, osw_row *row, double *samples,
                            osw_observed *obs, char *err)
{
    osw_external *x = self;
    (void)obs;
    char name[200], path[4400];
    log_name(x, c, name, sizeof(name));
    snprintf(path, sizeof(path), "%s/logs/%s.log", x->out_dir, name);
    int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        snprintf(err, OSW_ERRLEN, "cannot open a log: %.200s: %s", path, strerror(e));
        return -e;
    }
    char v_threads[48], v_sched[80], *vars[2 + OSW_MAX_AXES];
    size_t nvars = config_vars(c, v_threads, v_sched, vars);
    char **envp = make_env(vars, nvars);
    char **argv = make_argv(x->argv, x->argc, c->n, x->substitute);
    if (!envp || !argv) {
        free(envp);
        free_argv(argv);
        close(fd);
        snprintf(err, OSW_ERRLEN, "out of memory");
        return -ENOMEM;
    }
    row->ranks = 1;
    row->inner = 1;
    snprintf(row->bound, sizeof(row->bound), "cpu");
    snprintf(row->status, sizeof(row->status), "ok");
    x->failure[0] = '\0';
    size_t count = 0;
    double cpu = 0, wall = 0;
    run_config(x, c, argv, envp, vars, nvars, fd, path, row, samples, &count, &cpu, &wall);
    close(fd);
    free(envp);
    free_argv(argv);
    if (x->stop_signal)
        return OSW_EINTR; /* this configuration is incomplete: no row */
    int rc = osw_row_set_stats(row, NULL, 0, samples, count);
    row->reps = (int)count;
    row->inner = 1;
    row->rel_err = row->imbalance = row->result = NAN;
    row->cpu_per_wall = wall > 0 ? cpu / wall : NAN;
    row->verified = strcmp(row->status, "ok") == 0 && count == (size_t)x->reps;
    x->failed += !row->verified;
    if (rc)
        snprintf(err, OSW_ERRLEN, "out of memory");
    return rc;
}

static int external_begin(void *self, const char *out_dir, char *err)
{
    osw_external *x = self;
    snprintf(x->out_dir, sizeof(x->out_dir), "%s", out_dir);
    char logs[4200];
    snprintf(logs, sizeof(logs), "%s/logs", out_dir);
    clear_logs(logs);
    if (mkdir(logs, 0755) != 0 && errno != EEXIST) {
        int e = errno;
        snprintf(err, OSW_ERRLEN, "cannot create '%.160s': %s", logs, strerror(e));
        return -e;
    }
    return 0;
}

static int external_stop(void *self)
{
    osw_external *x = self;
    poll_stop(x);
    return x->stop_signal;
}

int osw_external_executor(osw_external *x, osw_executor *ex, char *err)
{
    memset(ex, 0, sizeof(*ex));
    ex->self = x;
    ex->env_axes = 1;
    ex->max_samples = (size_t)x->reps;
    ex->begin = external_begin;
    ex->measure = external_measure;
    ex->stop = external_stop;
    resolve_program(x->argv[0], x->path, sizeof(x->path));
    x->substitute = 0;
    for (int i = 1; i < x->argc; i++)
        x->substitute |= strstr(x->argv[i], "{n}") != NULL;
    x->devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (x->devnull < 0) {
        int e = errno;
        snprintf(err, OSW_ERRLEN, "/dev/null: %s", strerror(e));
        return -e;
    }
    /* SIGCHLD, SIGINT, SIGTERM, SIGHUP are taken with sigtimedwait. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &dfl, &x->old_chld); /* an inherited SIG_IGN would reap for us */
    sigemptyset(&x->wait_set);
    sigaddset(&x->wait_set, SIGCHLD);
    sigaddset(&x->wait_set, SIGINT);
    sigaddset(&x->wait_set, SIGTERM);
    sigaddset(&x->wait_set, SIGHUP);
    sigprocmask(SIG_BLOCK, &x->wait_set, &x->old_mask);
    return 0;
}

void osw_external_free(osw_external *x)
{
    if (x->devnull >= 0) {
        poll_stop(x); /* nothing of ours stays pending when the mask is restored */
        sigprocmask(SIG_SETMASK, &x->old_mask, NULL);
        sigaction(SIGCHLD, &x->old_chld, NULL);
        close(x->devnull);
        x->devnull = -1;
    }
    if (x->have_metric)
        regfree(&x->metric);
    x->have_metric = 0;
}

/* An array of the words of plan's ENV axis name (NULL when absent). */
static cJSON *axis_words(const osw_plan *plan, const char *name, int first_only)
{
    for (size_t a = 0; a < plan->naxes; a++) {
        const osw_axis *ax = &plan->axes[a];
        if (ax->kind != OSW_AXIS_ENV || strcmp(ax->name, name) != 0)
            continue;
        if (first_only)
            return cJSON_CreateString(ax->words[0]);
        return cJSON_CreateStringArray(ax->words, (int)ax->count);
    }
    return first_only ? cJSON_CreateNull() : cJSON_CreateArray();
}

int osw_write_exec_json(const osw_external *x, const char *dir, const char *label,
                        const osw_plan *plan, const char *metric_text)
{
    cJSON *j = cJSON_CreateObject(), *args = cJSON_CreateArray(), *sizes = cJSON_CreateArray();
    cJSON_AddStringToObject(j, "program", x->path);
    cJSON_AddStringToObject(j, "kernel", label);
    for (int i = 1; i < x->argc; i++)
        cJSON_AddItemToArray(args, cJSON_CreateString(x->argv[i]));
    cJSON_AddItemToObject(j, "args", args);
    cJSON_AddItemToObject(j, "binds", axis_words(plan, "OMP_PROC_BIND", 0));
    cJSON_AddItemToObject(j, "places", axis_words(plan, "OMP_PLACES", 1));
    for (size_t a = 0; a < plan->naxes; a++)
        for (size_t i = 0; plan->axes[a].kind == OSW_AXIS_SIZE && i < plan->axes[a].count; i++)
            cJSON_AddItemToArray(sizes, cJSON_CreateNumber((double)plan->axes[a].sizes[i]));
    cJSON_AddItemToObject(j, "sizes", sizes);
    cJSON_AddNumberToObject(j, "timeout_s", x->timeout);
    cJSON_AddNumberToObject(j, "grace_s", OSW_EXEC_GRACE_S);
    if (metric_text)
        cJSON_AddStringToObject(j, "metric", metric_text);
    else
        cJSON_AddNullToObject(j, "metric");
    cJSON_AddStringToObject(j, "sample", metric_text ? "metric" : "wall_s");
    cJSON_AddNumberToObject(j, "configs_failed", (double)x->failed);
    int rc = osw_json_write(dir, "exec.json", j);
    cJSON_Delete(j);
    return rc;
}
