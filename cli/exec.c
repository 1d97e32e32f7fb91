/* exec.c: `ompsweep exec [options] -- PROGRAM ARGS...`: runs an external
 * OpenMP program again and again under a sweep of its OpenMP environment
 * (OMP_NUM_THREADS, OMP_SCHEDULE, OMP_PROC_BIND, OMP_PLACES) and writes the
 * same summary.csv, samples.csv and meta.json as `ompsweep run`, plus
 * exec.json (the program, binds, places, metric) and one log per
 * configuration under logs/. See examples/README-tuning.md.
 *
 * One run: fork, setpgid (the run is its own process group, so a timeout
 * kills whatever it started), stdin from /dev/null, stdout and stderr
 * appended to the configuration's log, execve. The parent blocks SIGCHLD,
 * SIGINT, SIGTERM and SIGHUP and waits for them with sigtimedwait, so the
 * wall time (CLOCK_MONOTONIC around fork .. wait4) is not quantised by
 * polling, the timeout is exact, and an interrupt stops the sweep cleanly.
 * CPU time is the child's rusage from wait4 (user + system, all threads).
 *
 * A configuration stops at its first failed run (warmup included); its row
 * gets verified=0 and a status word: ok, failed (non-zero exit), crashed
 * (killed by a signal), timeout, not_found, not_executable, no_metric. */
#define _GNU_SOURCE
#include "commands.h"
#include "csv.h"
#include "error.h"
#include "meta.h"
#include "parse.h"
#include "stats.h"
#include "sweep.h"
#include "sysinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <dirent.h>

extern char **environ;

/* Seconds between SIGTERM and SIGKILL when a run times out. */
#define EXEC_GRACE_S 1.0
/* The most output of one run that --metric searches (the first bytes). */
#define EXEC_METRIC_MAX ((size_t)16 << 20)
/* Longest value of --bind's items and of --places. */
#define EXEC_BIND_MAX   16
#define EXEC_PLACES_MAX 256

static const char usage_text[] =
    "usage: ompsweep exec [options] -- PROGRAM [ARGS...]\n"
    "\n"
    "Runs PROGRAM repeatedly under each OpenMP environment of the sweep and records\n"
    "its wall time (or --metric) in summary.csv, samples.csv, meta.json, exec.json\n"
    "and logs/CONFIG.log (the program's stdout and stderr, every run).\n"
    "  --threads LIST    OMP_NUM_THREADS values: 1,2,4-16 1-16:2 pow2 all (default:\n"
    "                    OMP_NUM_THREADS, else pow2 up to the physical cores)\n"
    "  --schedules LIST  OMP_SCHEDULE values, as `ompsweep run` takes them: static,\n"
    "                    dynamic:64, nonmonotonic:dynamic:1,4,16 ... (default: the\n"
    "                    inherited OMP_SCHEDULE; schedule column `default` when unset)\n"
    "  --bind LIST       OMP_PROC_BIND values: close,spread,primary,true,false (default:\n"
    "                    inherited); the kernel column becomes PROGRAM@BIND\n"
    "  --places PLACES   OMP_PLACES with --bind (default cores)\n"
    "  --n LIST          problem sizes: each replaces {n} in ARGS and fills the n column\n"
    "                    (default: n=0, ARGS as given)\n"
    "  --reps N          timed runs per configuration (default 5)\n"
    "  --warmup N        untimed runs before them (default 1)\n"
    "  --timeout SEC     per run; then SIGTERM to its process group, SIGKILL 1 s later\n"
    "                    (default 60)\n"
    "  --metric REGEX    POSIX extended regex; its first group, a positive number in\n"
    "                    PROGRAM's output, is the sample instead of the wall time\n"
    "                    (lower is better, e.g. 'time: ([0-9.eE+-]+)')\n"
    "  --out DIR         output directory (default ompsweep-exec-HOST-YYYYmmdd-HHMMSS)\n"
    "  --force           replace results in a non-empty --out directory\n"
    "  --quiet           no table on stdout\n"
    "\n"
    "status column: ok, failed (exit status not 0), crashed (signal), timeout,\n"
    "               not_found, not_executable, no_metric\n"
    "exit status: 0 every run ok, 1 some configuration failed, 2 usage error,\n"
    "             3 output directory or memory, 128+N interrupted by signal N\n";

/* One OMP_SCHEDULE setting of the sweep. */
struct sched_item {
    int set; /* 0: OMP_SCHEDULE is left as inherited */
    int chunk;
    char name[32]; /* the CSV's schedule column */
    char env[64];  /* the OMP_SCHEDULE value */
};

struct exec_ctx {
    char **argv; /* PROGRAM ARGS..., NULL-terminated */
    int argc;
    char path[4096]; /* PROGRAM as found on PATH (or as given) */
    const char *out_dir;
    double timeout;
    int reps, warmup, quiet;
    int have_metric;
    regex_t metric;
    const char *places;
    sigset_t old_mask, wait_set;
    int devnull;
    int stop_signal; /* SIGINT, SIGTERM or SIGHUP received */
};

/* How one run ended. */
struct outcome {
    const char *status;
    char detail[160];
    double wall, cpu, metric;
};

static void fail_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ompsweep exec: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("ompsweep exec: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see ompsweep exec --help)\n", stderr);
    return OSW_EXIT_USAGE;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int parse_int_opt(const char *flag, const char *text, int min, int max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (!*text || *end || errno == ERANGE || v < min || v > max) {
        fail_msg("%s '%s' must be a whole number in %d..%d", flag, text, min, max);
        return OSW_EXIT_USAGE;
    }
    *out = (int)v;
    return 0;
}

/* Kernel column text: the program's base name, reduced to [A-Za-z0-9_.+-]. */
static void program_label(const char *prog, char *buf, size_t len)
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
static int wait_until(struct exec_ctx *x, pid_t pid, double deadline, int *st, struct rusage *ru,
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
static void poll_stop(struct exec_ctx *x)
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
static void run_once(struct exec_ctx *x, char **argv, char **envp, int log_fd, struct outcome *o)
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
        r = wait_until(x, pid, now_s() + EXEC_GRACE_S, &st, &ru, &t_end);
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
static int find_metric(const struct exec_ctx *x, int fd, off_t from, double *out, char *why,
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

/* Writes DIR/exec.json: what `ompsweep tune` needs beyond meta.json. */
static int write_exec_json(const struct exec_ctx *x, const char *kernel, char *const *binds,
                           size_t nbinds, const char *metric_text, const size_t *sizes,
                           size_t nsizes, long failed)
{
    char path[4200], tmp[4200];
    snprintf(path, sizeof(path), "%s/exec.json", x->out_dir);
    snprintf(tmp, sizeof(tmp), "%s/.exec.json.%ld", x->out_dir, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -errno;
    fputs("{\n  \"program\": ", f);
    osw_json_string(f, x->path);
    fputs(",\n  \"kernel\": ", f);
    osw_json_string(f, kernel);
    fputs(",\n  \"args\": [", f);
    for (int i = 1; i < x->argc; i++) {
        fputs(i > 1 ? ", " : "", f);
        osw_json_string(f, x->argv[i]);
    }
    fputs("],\n  \"binds\": [", f);
    for (size_t i = 0; i < nbinds; i++) {
        fputs(i ? ", " : "", f);
        osw_json_string(f, binds[i]);
    }
    fputs("],\n  \"places\": ", f);
    if (nbinds && x->places)
        osw_json_string(f, x->places);
    else
        fputs("null", f);
    fputs(",\n  \"sizes\": [", f);
    for (size_t i = 0; i < nsizes; i++)
        fprintf(f, "%s%zu", i ? ", " : "", sizes[i]);
    fprintf(f, "],\n  \"timeout_s\": %g,\n  \"grace_s\": %g,\n  \"metric\": ", x->timeout,
            EXEC_GRACE_S);
    if (metric_text)
        osw_json_string(f, metric_text);
    else
        fputs("null", f);
    fprintf(f, ",\n  \"sample\": \"%s\",\n  \"configs_failed\": %ld\n}\n",
            metric_text ? "metric" : "wall_s", failed);
    return osw_commit_file(f, tmp, path);
}

/* The sweep's per-configuration settings. */
struct config {
    size_t n;
    const char *bind; /* NULL: inherited */
    const struct sched_item *sched;
    int threads;
};

/* File name of a configuration's log: [n<N>-]t<T>-<schedule>[-<chunk>][-<bind>]. */
static void log_name(const struct config *c, int with_n, char *buf, size_t len)
{
    char sched[40];
    snprintf(sched, sizeof(sched), "%s", c->sched->name);
    for (char *p = sched; *p; p++)
        if (*p == ':')
            *p = '_';
    int w = 0;
    if (with_n)
        w = snprintf(buf, len, "n%zu-", c->n);
    w += snprintf(buf + w, len - (size_t)w, "t%d-%s", c->threads, sched);
    if (c->sched->chunk)
        w += snprintf(buf + w, len - (size_t)w, "-%d", c->sched->chunk);
    if (c->bind)
        snprintf(buf + w, len - (size_t)w, "-%s", c->bind);
}

/* Measures one configuration: warmup + reps runs, stopping at the first
 * failure. Fills row (but not speedup) and samples; returns 0, or -ENOMEM,
 * or -errno when the log cannot be opened. */
static int measure(struct exec_ctx *x, const struct config *c, const char *kernel, int with_n,
                   int substitute, osw_row *row, double *samples, char *failure, size_t flen)
{
    char name[200], path[4400];
    log_name(c, with_n, name, sizeof(name));
    snprintf(path, sizeof(path), "%s/logs/%s.log", x->out_dir, name);
    int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;

    char v_threads[48], v_sched[80], v_bind[48], v_places[EXEC_PLACES_MAX + 16];
    char *vars[4];
    size_t nvars = 0;
    snprintf(v_threads, sizeof(v_threads), "OMP_NUM_THREADS=%d", c->threads);
    vars[nvars++] = v_threads;
    if (c->sched->set) {
        snprintf(v_sched, sizeof(v_sched), "OMP_SCHEDULE=%s", c->sched->env);
        vars[nvars++] = v_sched;
    }
    if (c->bind) {
        snprintf(v_bind, sizeof(v_bind), "OMP_PROC_BIND=%s", c->bind);
        vars[nvars++] = v_bind;
        snprintf(v_places, sizeof(v_places), "OMP_PLACES=%s", x->places);
        vars[nvars++] = v_places;
    }
    char **envp = make_env(vars, nvars);
    char **argv = make_argv(x->argv, x->argc, c->n, substitute);
    if (!envp || !argv) {
        free(envp);
        free_argv(argv);
        close(fd);
        return -ENOMEM;
    }

    memset(row, 0, sizeof(*row));
    snprintf(row->kernel, sizeof(row->kernel), "%s", kernel);
    row->n = c->n;
    row->threads = c->threads;
    snprintf(row->schedule, sizeof(row->schedule), "%s", c->sched->name);
    row->chunk = c->sched->chunk;
    row->ranks = 1;
    row->inner = 1;
    snprintf(row->bound, sizeof(row->bound), "cpu");
    snprintf(row->status, sizeof(row->status), "ok");
    failure[0] = '\0';

    size_t count = 0;
    double cpu = 0, wall = 0;
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
            snprintf(failure, flen, "%s (%s) in %s %d; log: %.400s", o.status, o.detail,
                     warm ? "warmup" : "rep", warm ? r + 1 : r - x->warmup + 1, path);
            break;
        }
        if (!warm) {
            samples[count++] = x->have_metric ? o.metric : o.wall;
            cpu += o.cpu;
            wall += o.wall;
        }
    }
    close(fd);
    free(envp);
    free_argv(argv);

    double *scratch = malloc((count ? count : 1) * sizeof(*scratch));
    if (!scratch)
        return -ENOMEM;
    memcpy(scratch, samples, count * sizeof(*scratch));
    osw_stats st;
    osw_stats_compute(scratch, count, &st);
    free(scratch);
    row->reps = (int)count;
    row->min_s = st.min;
    row->median_s = st.median;
    row->mean_s = st.mean;
    row->stddev_s = st.stddev;
    row->ci_lo_s = st.ci_lo;
    row->ci_hi_s = st.ci_hi;
    row->outliers = (int)st.outliers;
    row->gbps_median = row->gbps_best = NAN;
    row->speedup = row->efficiency = row->speedup_lo = row->speedup_hi = NAN;
    row->rel_err = row->imbalance = row->overhead_ns = row->result = row->huge_page_share = NAN;
    row->cpu_per_wall = wall > 0 ? cpu / wall : NAN;
    row->verified = strcmp(row->status, "ok") == 0 && count == (size_t)x->reps;
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* --bind's items: comma-separated OMP_PROC_BIND values. */
static int parse_binds(char *text, char ***out, size_t *count)
{
    static const char *const known[] = {"false", "true", "close", "spread", "primary", "master"};
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    char **binds = calloc(cap, sizeof(*binds));
    if (!binds) {
        fail_msg("out of memory");
        return OSW_EXIT_RESOURCE;
    }
    size_t n = 0;
    for (char *save = NULL, *item = strtok_r(text, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        int ok = 0;
        for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
            ok |= strcmp(item, known[k]) == 0;
        if (!ok) {
            free(binds);
            return usage_error("--bind: '%s' is not one of false, true, close, spread, primary, "
                               "master",
                               item);
        }
        int dup = 0;
        for (size_t k = 0; k < n; k++)
            dup |= strcmp(binds[k], item) == 0;
        if (!dup)
            binds[n++] = item;
    }
    if (n == 0) {
        free(binds);
        return usage_error("%s", "--bind needs at least one value");
    }
    *out = binds;
    *count = n;
    return 0;
}

static void sched_from(const osw_schedule *s, struct sched_item *it)
{
    it->set = 1;
    it->chunk = s->chunk;
    osw_schedule_name(s, it->name, sizeof(it->name));
    if (s->chunk)
        snprintf(it->env, sizeof(it->env), "%s,%d", it->name, s->chunk);
    else
        snprintf(it->env, sizeof(it->env), "%s", it->name);
}

enum {
    OPT_THREADS = 256,
    OPT_SCHEDULES,
    OPT_BIND,
    OPT_PLACES,
    OPT_N,
    OPT_REPS,
    OPT_WARMUP,
    OPT_TIMEOUT,
    OPT_METRIC,
    OPT_OUT,
    OPT_FORCE,
    OPT_QUIET,
    OPT_HELP
};

static const struct option exec_options[] = {
    {"threads", required_argument, NULL, OPT_THREADS},
    {"schedules", required_argument, NULL, OPT_SCHEDULES},
    {"bind", required_argument, NULL, OPT_BIND},
    {"places", required_argument, NULL, OPT_PLACES},
    {"n", required_argument, NULL, OPT_N},
    {"reps", required_argument, NULL, OPT_REPS},
    {"warmup", required_argument, NULL, OPT_WARMUP},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"metric", required_argument, NULL, OPT_METRIC},
    {"out", required_argument, NULL, OPT_OUT},
    {"force", no_argument, NULL, OPT_FORCE},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

/* Everything the command allocates, freed in one place. */
struct plan {
    int *threads;
    size_t nthreads;
    osw_schedule *schedules;
    struct sched_item *items;
    size_t nitems;
    size_t *sizes;
    size_t nsizes;
    char *bind_text;
    char **binds;
    size_t nbinds;
    double *samples;
    char **meta_argv;
};

static void plan_free(struct plan *p)
{
    free(p->threads);
    free(p->schedules);
    free(p->items);
    free(p->sizes);
    free(p->bind_text);
    free(p->binds);
    free(p->samples);
    free(p->meta_argv);
}

static int sweep(struct exec_ctx *x, struct plan *p, const char *kernel_base, osw_meta *meta,
                 long *failed_out);

int osw_cmd_exec(int argc, char **argv)
{
    const char *threads_text = NULL, *schedules_text = NULL, *bind_text = NULL;
    const char *sizes_text = NULL, *metric_text = NULL, *out_dir = NULL;
    struct exec_ctx x;
    memset(&x, 0, sizeof(x));
    x.timeout = 60;
    x.reps = 5;
    x.warmup = 1;
    x.devnull = -1;
    int force = 0, status;
    char err[OSW_ERRLEN] = "";

    opterr = 0;
    optind = 0; /* full reset of getopt's state; '+': stop at PROGRAM */
    int opt;
    while ((opt = getopt_long(argc, argv, "+:", exec_options, NULL)) != -1) {
        switch (opt) {
        case OPT_THREADS:
            threads_text = optarg;
            break;
        case OPT_SCHEDULES:
            schedules_text = optarg;
            break;
        case OPT_BIND:
            bind_text = optarg;
            break;
        case OPT_PLACES:
            if (!*optarg || strlen(optarg) > EXEC_PLACES_MAX)
                return usage_error("--places '%.80s' must be 1..256 characters", optarg);
            x.places = optarg;
            break;
        case OPT_N:
            sizes_text = optarg;
            break;
        case OPT_REPS:
            if ((status = parse_int_opt("--reps", optarg, 1, 1000000, &x.reps)))
                return status;
            break;
        case OPT_WARMUP:
            if ((status = parse_int_opt("--warmup", optarg, 0, 1000000, &x.warmup)))
                return status;
            break;
        case OPT_TIMEOUT: {
            char *end;
            errno = 0;
            x.timeout = strtod(optarg, &end);
            if (!*optarg || *end || errno == ERANGE || !(x.timeout > 0 && x.timeout <= 1e6))
                return usage_error("--timeout '%s' must be seconds in (0, 1e6]", optarg);
            break;
        }
        case OPT_METRIC:
            metric_text = optarg;
            break;
        case OPT_OUT:
            if (!*optarg)
                return usage_error("%s", "--out needs a directory name");
            out_dir = optarg;
            break;
        case OPT_FORCE:
            force = 1;
            break;
        case OPT_QUIET:
            x.quiet = 1;
            break;
        case OPT_HELP:
            fputs(usage_text, stdout);
            return OSW_EXIT_OK;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: {
            char shortopt[3] = {'-', (char)optopt, '\0'};
            return usage_error("unknown option '%s'", optopt ? shortopt : argv[optind - 1]);
        }
        }
    }
    if (optind >= argc || !argv[optind][0])
        return usage_error("%s", "needs a PROGRAM to run: ompsweep exec [options] -- PROGRAM "
                                 "[ARGS...]");
    x.argv = argv + optind;
    x.argc = argc - optind;
    if (x.places && !bind_text)
        return usage_error("%s", "--places goes with --bind");

    struct plan p;
    memset(&p, 0, sizeof(p));
    osw_sysinfo sys;
    osw_sysinfo_read(&sys);
    osw_meta meta = {.sys = &sys, .ranks = 1, .reps = x.reps, .warmup = x.warmup};
    char started[32];
    meta.started = osw_now_iso(started, sizeof(started));

    /* Threads: the flag, else OMP_NUM_THREADS, else pow2 up to the cores. */
    int rc = 0;
    static char warn_threads[OSW_WARNLEN];
    int cores = sys.cores < sys.procs ? sys.cores : sys.procs;
    rc = osw_pick_threads(threads_text, osw_env_num_threads(), sys.cores, cores, &p.threads,
                          &p.nthreads, &meta.threads_source, warn_threads, err);
    if (rc) {
        fail_msg("%s", rc == OSW_EUSAGE ? err : osw_strerror(rc));
        plan_free(&p);
        return osw_exit_status(rc);
    }
    qsort(p.threads, p.nthreads, sizeof(*p.threads), cmp_int);

    /* Schedules: the flag's list, else the inherited OMP_SCHEDULE alone. */
    if (schedules_text) {
        rc = osw_parse_schedules(schedules_text, &p.schedules, &p.nitems, err);
        if (rc) {
            fail_msg("%s", rc == OSW_EUSAGE ? err : osw_strerror(rc));
            plan_free(&p);
            return osw_exit_status(rc);
        }
        p.items = calloc(p.nitems, sizeof(*p.items));
        for (size_t i = 0; p.items && i < p.nitems; i++)
            sched_from(&p.schedules[i], &p.items[i]);
        meta.schedules_source = "--schedules";
    } else {
        p.nitems = 1;
        p.items = calloc(1, sizeof(*p.items));
        const char *env = getenv("OMP_SCHEDULE");
        osw_schedule s;
        if (p.items && env && *env && osw_parse_omp_schedule(env, &s, err) == 0) {
            sched_from(&s, &p.items[0]);
            p.items[0].set = 0; /* inherited as written */
            meta.schedules_source = "OMP_SCHEDULE";
        } else if (p.items) {
            snprintf(p.items[0].name, sizeof(p.items[0].name), "default");
            meta.schedules_source = "default";
        }
    }
    if (sizes_text) {
        rc = osw_parse_sizes(sizes_text, &p.sizes, &p.nsizes, err);
        if (rc) {
            fail_msg("%s", rc == OSW_EUSAGE ? err : osw_strerror(rc));
            plan_free(&p);
            return osw_exit_status(rc);
        }
    }
    if (bind_text) {
        p.bind_text = strdup(bind_text);
        if (!p.bind_text) {
            plan_free(&p);
            fail_msg("out of memory");
            return OSW_EXIT_RESOURCE;
        }
        if ((status = parse_binds(p.bind_text, &p.binds, &p.nbinds))) {
            plan_free(&p);
            return status;
        }
        if (!x.places)
            x.places = "cores";
    }
    if (metric_text) {
        int rrc = regcomp(&x.metric, metric_text, REG_EXTENDED | REG_NEWLINE);
        if (rrc) {
            char what[200];
            regerror(rrc, &x.metric, what, sizeof(what));
            plan_free(&p);
            fail_msg("--metric '%.80s': %s", metric_text, what);
            return OSW_EXIT_USAGE;
        }
        x.have_metric = 1;
        if (x.metric.re_nsub < 1) {
            regfree(&x.metric);
            plan_free(&p);
            return usage_error("--metric '%s' needs a group around the number, e.g. "
                               "'time: ([0-9.eE+-]+)'",
                               metric_text);
        }
    }
    p.samples = malloc((size_t)x.reps * sizeof(*p.samples));
    p.meta_argv = malloc(((size_t)argc + 2) * sizeof(*p.meta_argv));
    if (!p.items || !p.samples || !p.meta_argv) {
        if (x.have_metric)
            regfree(&x.metric);
        plan_free(&p);
        fail_msg("out of memory");
        return OSW_EXIT_RESOURCE;
    }
    p.meta_argv[0] = "ompsweep";
    memcpy(p.meta_argv + 1, argv, (size_t)argc * sizeof(*argv));
    meta.argc = argc + 1;
    meta.argv = p.meta_argv;

    resolve_program(x.argv[0], x.path, sizeof(x.path));
    char kernel_base[64];
    program_label(x.argv[0], kernel_base, sizeof(kernel_base) - EXEC_BIND_MAX);

    /* Warnings, as `ompsweep run` gives them. */
    static char warn_bind[200], warn_over[200], warn_n[200];
    if (*warn_threads)
        meta.warnings[meta.nwarnings++] = warn_threads;
    if (!p.nbinds) {
        const char *b = getenv("OMP_PROC_BIND");
        if (!b || !*b || strcmp(b, "false") == 0 || strcmp(b, "FALSE") == 0) {
            snprintf(warn_bind, sizeof(warn_bind),
                     "threads are not bound to CPUs (use --bind close, or set "
                     "OMP_PROC_BIND=close OMP_PLACES=cores, for repeatable figures)");
            meta.warnings[meta.nwarnings++] = warn_bind;
        }
    }
    if (p.threads[p.nthreads - 1] > sys.procs) {
        snprintf(warn_over, sizeof(warn_over),
                 "%d threads oversubscribe the %d CPUs available: threads will time-share cores",
                 p.threads[p.nthreads - 1], sys.procs);
        meta.warnings[meta.nwarnings++] = warn_over;
    }
    int substitute = 0;
    for (int i = 1; i < x.argc; i++)
        substitute |= strstr(x.argv[i], "{n}") != NULL;
    if (p.nsizes > 1 && !substitute) {
        snprintf(warn_n, sizeof(warn_n),
                 "--n lists %zu sizes but no argument contains {n}: the sizes are labels only",
                 p.nsizes);
        meta.warnings[meta.nwarnings++] = warn_n;
    }
    for (int i = 0; i < meta.nwarnings; i++)
        fprintf(stderr, "ompsweep exec: warning: %s\n", meta.warnings[i]);

    char default_out[512];
    if (!out_dir) {
        char stamp[32];
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
        snprintf(default_out, sizeof(default_out), "ompsweep-exec-%s-%s", sys.host, stamp);
        out_dir = default_out;
    }
    x.out_dir = out_dir;
    rc = osw_prepare_out_dir(out_dir, force, err);
    char logs[4200];
    snprintf(logs, sizeof(logs), "%s/logs", out_dir);
    if (rc == 0) {
        char stale[4200];
        snprintf(stale, sizeof(stale), "%s/exec.json", out_dir);
        unlink(stale);
        clear_logs(logs);
        if (mkdir(logs, 0755) != 0 && errno != EEXIST) {
            rc = -errno;
            snprintf(err, sizeof(err), "cannot create '%.160s': %s", logs, strerror(errno));
        }
    }
    if (rc == 0) {
        x.devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (x.devnull < 0) {
            rc = -errno;
            snprintf(err, sizeof(err), "/dev/null: %s", strerror(errno));
        }
    }
    if (rc) {
        fail_msg("%s", err[0] ? err : osw_strerror(rc));
        if (x.have_metric)
            regfree(&x.metric);
        plan_free(&p);
        return osw_exit_status(rc);
    }

    /* Signals: SIGCHLD, SIGINT, SIGTERM, SIGHUP are taken with sigtimedwait. */
    struct sigaction dfl, old_chld;
    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &dfl, &old_chld); /* an inherited SIG_IGN would reap for us */
    sigemptyset(&x.wait_set);
    sigaddset(&x.wait_set, SIGCHLD);
    sigaddset(&x.wait_set, SIGINT);
    sigaddset(&x.wait_set, SIGTERM);
    sigaddset(&x.wait_set, SIGHUP);
    sigprocmask(SIG_BLOCK, &x.wait_set, &x.old_mask);

    long failed = 0;
    rc = sweep(&x, &p, kernel_base, &meta, &failed);
    int jrc =
        write_exec_json(&x, kernel_base, p.binds, p.nbinds, metric_text, p.sizes, p.nsizes, failed);

    poll_stop(&x); /* nothing of ours stays pending when the mask is restored */
    sigprocmask(SIG_SETMASK, &x.old_mask, NULL);
    sigaction(SIGCHLD, &old_chld, NULL);
    close(x.devnull);
    if (x.have_metric)
        regfree(&x.metric);
    plan_free(&p);

    if (rc == OSW_EINTR) {
        fail_msg("interrupted by signal %d; finished rows are in %s", x.stop_signal, out_dir);
        return 128 + x.stop_signal;
    }
    if (rc == 0 && jrc) {
        rc = jrc;
        fail_msg("writing exec.json in '%.160s': %s", out_dir, strerror(-jrc));
        return osw_exit_status(rc);
    }
    if (rc)
        return osw_exit_status(rc);
    if (failed) {
        fail_msg("%ld of %ld configuration(s) failed (verified=0 and a status in %s/summary.csv; "
                 "logs in %s/)",
                 failed, meta.configs_total, out_dir, logs);
        return OSW_EXIT_VERIFY;
    }
    if (!x.quiet)
        fprintf(stderr,
                "ompsweep exec: results in %s/ (summary.csv, samples.csv, meta.json, exec.json, "
                "logs/)\n",
                out_dir);
    return OSW_EXIT_OK;
}

/* The sweep proper: n, then bind, then schedule, then threads ascending (so
 * that the 1-thread baseline of each series comes first). Prints its own
 * diagnostics; returns 0, OSW_EINTR or a negative error. */
static int sweep(struct exec_ctx *x, struct plan *p, const char *kernel_base, osw_meta *meta,
                 long *failed_out)
{
    char path[4200];
    FILE *summary = NULL, *samples = NULL;
    int rc = 0;
    snprintf(path, sizeof(path), "%s/summary.csv", x->out_dir);
    summary = fopen(path, "w");
    snprintf(path, sizeof(path), "%s/samples.csv", x->out_dir);
    samples = summary ? fopen(path, "w") : NULL;
    if (!summary || !samples) {
        rc = -errno;
        fail_msg("cannot write in '%.160s': %s", x->out_dir, strerror(errno));
        goto out;
    }
    rc = osw_csv_summary_header(summary);
    if (rc == 0)
        rc = osw_csv_samples_header(samples);
    size_t nsizes = p->nsizes ? p->nsizes : 1;
    size_t nbinds = p->nbinds ? p->nbinds : 1;
    long total = (long)(nsizes * nbinds * p->nitems * p->nthreads), done = 0, failed = 0;
    meta->configs_total = total;
    meta->status = "running";
    if (rc == 0)
        rc = osw_meta_write(x->out_dir, meta);
    if (rc) {
        fail_msg("writing results in '%.160s': %s", x->out_dir, strerror(-rc));
        goto out;
    }
    int substitute = 0;
    for (int i = 1; i < x->argc; i++)
        substitute |= strstr(x->argv[i], "{n}") != NULL;

    for (size_t si = 0; si < nsizes && rc == 0; si++) {
        for (size_t bi = 0; bi < nbinds && rc == 0; bi++) {
            char kernel[64];
            if (p->nbinds)
                snprintf(kernel, sizeof(kernel), "%.47s@%.15s", kernel_base, p->binds[bi]);
            else
                snprintf(kernel, sizeof(kernel), "%s", kernel_base);
            for (size_t ci = 0; ci < p->nitems && rc == 0; ci++) {
                double base_median = NAN;
                for (size_t ti = 0; ti < p->nthreads && rc == 0; ti++) {
                    struct config c = {
                        .n = p->sizes ? p->sizes[si] : 0,
                        .bind = p->nbinds ? p->binds[bi] : NULL,
                        .sched = &p->items[ci],
                        .threads = p->threads[ti],
                    };
                    osw_row row;
                    char failure[1024];
                    rc = measure(x, &c, kernel, p->sizes != NULL, substitute, &row, p->samples,
                                 failure, sizeof(failure));
                    if (rc) {
                        fail_msg("%s: %s", rc == -ENOMEM ? "out of memory" : "cannot open a log",
                                 strerror(-rc));
                        break;
                    }
                    if (x->stop_signal) {
                        rc = OSW_EINTR;
                        break;
                    }
                    if (row.threads == 1 && row.verified)
                        base_median = row.median_s;
                    if (!isnan(base_median) && row.verified) {
                        row.speedup = base_median / row.median_s;
                        row.efficiency = row.speedup / row.threads;
                        row.speedup_lo = base_median / row.ci_hi_s;
                        row.speedup_hi = base_median / row.ci_lo_s;
                    }
                    rc = osw_csv_summary_row(summary, &row);
                    if (rc == 0)
                        rc = osw_csv_samples_rows(samples, &row, p->samples, (size_t)row.reps);
                    if (rc) {
                        fail_msg("writing results in '%.160s': %s", x->out_dir, strerror(-rc));
                        break;
                    }
                    char sched[48];
                    snprintf(sched, sizeof(sched), row.chunk ? "%s,%d" : "%s", row.schedule,
                             row.chunk);
                    if (!row.verified) {
                        failed++;
                        fprintf(stderr, "ompsweep exec: %s n=%zu threads=%d schedule=%s: %s\n",
                                row.kernel, row.n, row.threads, sched, failure);
                    }
                    done++;
                    meta->configs_done = done;
                    if (!x->quiet) {
                        printf("%-16s n=%-9zu threads=%-4d %-22s", row.kernel, row.n, row.threads,
                               sched);
                        if (row.reps)
                            printf(" median %.6f %s", row.median_s, x->have_metric ? "" : "s");
                        if (!isnan(row.cpu_per_wall))
                            printf("  cpu/wall %5.2f", row.cpu_per_wall);
                        if (!isnan(row.speedup))
                            printf("  speedup %5.2f", row.speedup);
                        printf("  %s\n", row.status);
                        fflush(stdout);
                    }
                }
            }
        }
    }
    *failed_out = failed;
    char finished[32];
    meta->finished = osw_now_iso(finished, sizeof(finished));
    meta->status = rc == 0 ? "complete" : rc == OSW_EINTR ? "interrupted" : "failed";
    int mrc = osw_meta_write(x->out_dir, meta);
    if (mrc && rc == 0) {
        rc = mrc;
        fail_msg("writing meta.json in '%.160s': %s", x->out_dir, strerror(-mrc));
    }
out:
    if (summary && fclose(summary) != 0 && rc == 0) {
        rc = -errno;
        fail_msg("closing summary.csv: %s", strerror(errno));
    }
    if (samples && fclose(samples) != 0 && rc == 0) {
        rc = -errno;
        fail_msg("closing samples.csv: %s", strerror(errno));
    }
    return rc;
}
