/* external.c: the external-program executor (see external.h). */
#define _GNU_SOURCE
#include "external.h"
#include "envaxis.h"
#include "placement.h"
#include "energy.h"
#include "error.h"
#include "meta.h"
#include "regions.h"
#include "runtime.h"
#include "stats.h"
#include "sysinfo.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

extern char **environ;

/* Seconds SIGKILL gets to end what a run left before exec gives up on it
 * (a process in uninterruptible sleep) and says so. */
#define EXEC_KILL_WAIT_S 10.0

/* What the output scan takes out of the text --metric searches. */
enum { STRIP_TEAM = 1, STRIP_ENV = 2 };

struct osw_metric {
    pcre2_code *code;
    pcre2_match_context *mctx;
};

/* How one run ended. */
struct outcome {
    const char *status;
    char detail[256];
    double t0, wall, cpu, metric;
    osw_check_values got; /* --check's numbers (count 0: none) */
    long leftovers;       /* processes alive after the program ended (ended since) */
    long unended;         /* of those, the ones SIGKILL did not end in EXEC_KILL_WAIT_S */
    int killed;           /* leftovers needed SIGKILL */
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

/* ---- waiting ---- */

/* Waits up to seconds for SIGCHLD or a stop signal; a stop signal is kept in
 * x->stop_signal (the first one). Returns the signal, or 0. */
static int wait_signal(osw_external *x, double seconds)
{
    if (seconds < 0)
        seconds = 0;
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    int sig = sigtimedwait(&x->wait_set, NULL, &ts);
    if ((sig == SIGINT || sig == SIGTERM || sig == SIGHUP) && !x->stop_signal)
        x->stop_signal = sig;
    return sig > 0 ? sig : 0;
}

/* Reaps the children other than keep that have ended: orphans of a run that
 * ompsweep, their subreaper, inherited, so that they do not stay zombies.
 * keep 0: every ended child. */
static void reap_others(pid_t keep)
{
    for (;;) {
        siginfo_t si;
        memset(&si, 0, sizeof(si));
        if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) != 0 || si.si_pid <= 0 ||
            si.si_pid == keep)
            return;
        while (waitpid(si.si_pid, NULL, 0) < 0 && errno == EINTR)
            ;
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
        reap_others(pid);
        double left = deadline - now_s();
        if (left <= 0)
            return 0;
        if (left > 0.1) /* wake now and then, whatever happens to SIGCHLD */
            left = 0.1;
        int sig = wait_signal(x, left);
        if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
            return 0;
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

/* ---- the processes of a run ---- */

struct proc {
    pid_t pid, ppid;
    char state;
};

static int proc_cmp(const void *a, const void *b)
{
    pid_t x = ((const struct proc *)a)->pid, y = ((const struct proc *)b)->pid;
    return (x > y) - (x < y);
}

/* The live descendants of this process, from the parent in each
 * /proc/PID/stat: their ids in *out (malloc'd, the caller frees it; NULL
 * when none). Zombies are left out: they have ended. Returns their number,
 * or -1 when /proc cannot be read. */
static long descendants(pid_t **out)
{
    *out = NULL;
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    struct proc *all = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        long v = strtol(e->d_name, &end, 10);
        if (*end || v <= 0)
            continue;
        char path[64], buf[256];
        snprintf(path, sizeof(path), "/proc/%ld/stat", v);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t got = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (got <= 0)
            continue;
        buf[got] = '\0';
        /* "pid (comm) state ppid ...": comm may hold ')' and spaces. */
        char *rp = strrchr(buf, ')');
        char state;
        long ppid;
        if (!rp || sscanf(rp + 1, " %c %ld", &state, &ppid) != 2)
            continue;
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 256;
            struct proc *grown = realloc(all, ncap * sizeof(*all));
            if (!grown)
                break;
            all = grown;
            cap = ncap;
        }
        all[n++] = (struct proc){(pid_t)v, (pid_t)ppid, state};
    }
    closedir(d);
    long count = 0;
    unsigned char *mark = n ? calloc(n, 1) : NULL;
    pid_t *list = n ? malloc(n * sizeof(*list)) : NULL;
    if (n && (!mark || !list)) {
        free(all);
        free(mark);
        free(list);
        return -1;
    }
    qsort(all, n, sizeof(*all), proc_cmp);
    pid_t self = getpid();
    for (int changed = 1; changed;) { /* one pass per generation */
        changed = 0;
        for (size_t i = 0; i < n; i++) {
            if (mark[i])
                continue;
            int in = all[i].ppid == self;
            if (!in) {
                struct proc key = {all[i].ppid, 0, 0};
                struct proc *p = bsearch(&key, all, n, sizeof(*all), proc_cmp);
                in = p && mark[p - all];
            }
            if (in) {
                mark[i] = 1;
                changed = 1;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        if (mark[i] && all[i].state != 'Z' && all[i].state != 'X')
            list[count++] = all[i].pid;
    free(all);
    free(mark);
    if (count)
        *out = list;
    else
        free(list);
    return count;
}

/* Sends sig to the run: its process group while the program, the group's
 * leader, is not reaped (pgid > 0; its id cannot be reused until then),
 * and every live descendant (SIGTERM with SIGCONT, so that a stopped one
 * gets it too). */
static void signal_run(pid_t pgid, int sig)
{
    if (pgid > 0)
        kill(-pgid, sig);
    pid_t *list;
    long n = descendants(&list);
    for (long i = 0; i < n; i++) {
        kill(list[i], sig);
        if (sig == SIGTERM)
            kill(list[i], SIGCONT);
    }
    free(list);
}

/* Ends whatever the run left running once its program was reaped: SIGTERM
 * (unless the run got it at term_at already), SIGKILL when the grace
 * period since is over or a stop signal came, until /proc shows no
 * descendant. Sets o->leftovers (alive at the first look), o->killed and
 * o->unended. */
static void end_leftovers(osw_external *x, double term_at, struct outcome *o)
{
    reap_others(0);
    pid_t *list;
    long n = descendants(&list);
    o->leftovers = n > 0 ? n : 0;
    if (n <= 0)
        return;
    if (term_at <= 0) {
        term_at = now_s();
        for (long i = 0; i < n; i++) {
            kill(list[i], SIGTERM);
            kill(list[i], SIGCONT);
        }
    }
    double give_up = 0;
    for (;;) {
        int killing = give_up > 0;
        if (!killing && (now_s() >= term_at + OSW_EXEC_GRACE_S || x->stop_signal)) {
            killing = 1;
            give_up = now_s() + EXEC_KILL_WAIT_S;
        }
        if (killing) {
            o->killed = 1;
            for (long i = 0; i < n; i++)
                kill(list[i], SIGKILL);
        }
        /* Not all of them are children (no SIGCHLD for a grandchild): look again soon. */
        wait_signal(x, killing ? 0.005 : 0.02);
        reap_others(0);
        free(list);
        n = descendants(&list);
        if (n <= 0)
            break;
        if (killing && now_s() > give_up) {
            o->unended = n;
            break;
        }
    }
    free(list);
}

static void signal_text(int sig, char *buf, size_t len)
{
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(buf, len, "killed by SIG%s", abbrev);
    else
        snprintf(buf, len, "killed by signal %d", sig);
}

/* Runs the program once with envp, its output into cap_fd; ends every
 * process it started before returning. */
static void run_once(osw_external *x, char **argv, char **envp, int cap_fd, struct outcome *o)
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
    o->t0 = t0;
    pid_t pid = fork();
    if (pid == 0) {
        /* The child: async-signal-safe calls only. A session of its own, so
         * that it is also a process group of its own and has no terminal. */
        setsid();
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* should ompsweep itself be killed */
#endif
        sigprocmask(SIG_SETMASK, &x->old_mask, NULL);
        osw_affinity_restore(); /* the CPUs ompsweep was started with */
        dup2(x->devnull, STDIN_FILENO);
        dup2(cap_fd, STDOUT_FILENO);
        dup2(cap_fd, STDERR_FILENO);
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

    int st = 0, timed_out = 0, killed = 0, wait_errno = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof(ru));
    double t_end = t0, term_at = 0;
    int r = wait_until(x, pid, t0 + x->timeout, &st, &ru, &t_end);
    if (r == 0) {
        timed_out = !x->stop_signal;
        term_at = now_s();
        signal_run(pid, SIGTERM);
        r = wait_until(x, pid, term_at + OSW_EXEC_GRACE_S, &st, &ru, &t_end);
        if (r != 1) {
            killed = 1;
            signal_run(pid, SIGKILL);
            while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
                ;
            t_end = now_s();
        }
    } else if (r < 0) {
        wait_errno = errno;
        term_at = now_s();
        signal_run(pid, SIGKILL);
    }
    end_leftovers(x, term_at, o);
    if (r < 0) {
        close(errpipe[0]);
        o->status = "failed";
        snprintf(o->detail, sizeof(o->detail), "wait: %s", strerror(wait_errno));
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
    if (o->leftovers) {
        size_t used = strlen(o->detail);
        snprintf(o->detail + used, sizeof(o->detail) - used,
                 "; %ld process(es) it started still ran: ended with %s", o->leftovers,
                 o->killed ? "SIGKILL" : "SIGTERM");
        used = strlen(o->detail);
        if (o->unended)
            snprintf(o->detail + used, sizeof(o->detail) - used,
                     ", %ld of them still alive after %g s", o->unended, EXEC_KILL_WAIT_S);
    }
}

/* ---- the run's output ---- */

/* A file of the run's own for its stdout and stderr: unnamed (O_TMPFILE)
 * in logs/, else named and unlinked at once. Returns the descriptor or -1
 * with errno set. */
static int open_capture(const osw_external *x)
{
    char logs[4200], path[4300];
    snprintf(logs, sizeof(logs), "%s/logs", x->out_dir);
    int fd = open(logs, O_TMPFILE | O_RDWR | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    snprintf(path, sizeof(path), "%s/.capture-XXXXXX", logs);
    fd = mkostemp(path, O_APPEND | O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    return fd;
}

/* Appends the capture (the run's whole output) to the log, ending it with a
 * newline; stops at a stop signal (with a note in the log). */
static void append_capture(osw_external *x, int cap, int log_fd)
{
    size_t size = (size_t)1 << 18;
    char *buf = malloc(size);
    if (!buf) {
        dprintf(log_fd, "ompsweep exec: out of memory: the run's output is not in the log\n");
        return;
    }
    off_t off = 0;
    char last = '\n';
    for (;;) {
        poll_stop(x);
        if (x->stop_signal) {
            dprintf(log_fd, "\nompsweep exec: interrupted: output from byte %lld on not copied\n",
                    (long long)off);
            break;
        }
        ssize_t got = pread(cap, buf, size, off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        for (ssize_t w = 0; w < got;) {
            ssize_t put = write(log_fd, buf + w, (size_t)(got - w));
            if (put < 0 && errno == EINTR)
                continue;
            if (put <= 0) {
                free(buf);
                return; /* disk full: the status line will say nothing more */
            }
            w += put;
        }
        last = buf[got - 1];
        off += got;
    }
    if (last != '\n')
        dprintf(log_fd, "\n");
    free(buf);
}

enum { M_NONE, M_OK, M_NOMATCH, M_LIMIT, M_ERROR };

/* What the scan of a run's output found; shared with the scanning child. */
struct scan {
    int done;                /* the child finished */
    int team;                /* largest team at nesting level 1 in the team lines; 0: none */
    int team_limit;          /* OMP_THREAD_LIMIT the runtime displayed (OMP_DISPLAY_ENV); 0: none */
    osw_placement placement; /* every team line: teams per level, level-1 threads' CPUs */
    int runtime;             /* osw_runtime that printed the display-environment block */
    int match;               /* M_* (M_NONE without --metric) */
    char text[64];           /* the group's text (M_OK) */
    char error[160];
    osw_check_found check; /* --check's search */
};

static const char team_mark[] = "OSW-TEAM ";
static const char env_begin[] = "OPENMP DISPLAY ENVIRONMENT BEGIN";
static const char env_end[] = "OPENMP DISPLAY ENVIRONMENT END";

/* A team line's rest, "LEVEL THREAD SIZE {CPUS}" then a line end (or the
 * end of the output), at p; the CPU list is optional. Returns where it
 * ends, or NULL when p holds none. */
static const char *team_line(const char *p, const char *end, long *level, long *thread, long *size,
                             osw_cpuset *cpus, int *have_cpus)
{
    *have_cpus = 0;
    long v[3];
    for (int i = 0; i < 3; i++) {
        if (i && (p >= end || *p++ != ' '))
            return NULL;
        if (p >= end || *p < '0' || *p > '9')
            return NULL;
        long n = 0;
        for (; p < end && *p >= '0' && *p <= '9'; p++)
            if (n < 1000000000L)
                n = n * 10 + (*p - '0');
        v[i] = n;
    }
    if (end - p > 2 && p[0] == ' ' && p[1] == '{') {
        const char *close = memchr(p + 2, '}', (size_t)(end - p - 2));
        if (!close)
            return NULL;
        *have_cpus = osw_cpuset_parse(p + 2, close, cpus) == 0;
        p = close + 1;
    }
    if (p < end && *p == '\r')
        p++;
    if (p < end && *p++ != '\n')
        return NULL;
    *level = v[0];
    *thread = v[1];
    *size = v[2];
    return p;
}

/* The number of places of an explicit OMP_PLACES list in a display-
 * environment block [p, end) (libgomp writes "  OMP_PLACES = '{0},{1}'";
 * libomp names the abstract places it was given): 0 when not known. */
static int block_places(const char *p, const char *end)
{
    static const char key[] = "OMP_PLACES";
    const char *k = memmem(p, (size_t)(end - p), key, sizeof(key) - 1);
    if (!k)
        return 0;
    k = memchr(k, '\'', (size_t)(end - k));
    const char *q = k ? memchr(k + 1, '\'', (size_t)(end - k - 1)) : NULL;
    if (!q || q - k > 4000)
        return 0;
    char list[4096];
    snprintf(list, sizeof(list), "%.*s", (int)(q - k - 1), k + 1);
    return osw_places_count(list);
}

/* OMP_THREAD_LIMIT's value in a display-environment block [p, end): libgomp
 * writes "  OMP_THREAD_LIMIT = '4'", libomp "  [host] OMP_THREAD_LIMIT='4'".
 * 0 when absent. */
static int block_thread_limit(const char *p, const char *end)
{
    static const char key[] = "OMP_THREAD_LIMIT";
    const char *k = memmem(p, (size_t)(end - p), key, sizeof(key) - 1);
    if (!k)
        return 0;
    k += sizeof(key) - 1;
    while (k < end && (*k == ' ' || *k == '=' || *k == '\''))
        k++;
    long v = 0;
    for (; k < end && *k >= '0' && *k <= '9'; k++)
        if (v < 1000000000L)
            v = v * 10 + (*k - '0');
    return (int)v;
}

/* The next place of a needle in a buffer, looked up again only once the
 * reading position has passed the last one found. */
struct finder {
    const char *needle;
    size_t nlen;
    int on, known;
    size_t at; /* SIZE_MAX: none left */
};

static size_t finder_next(struct finder *f, const char *buf, size_t len, size_t from)
{
    if (!f->on)
        return SIZE_MAX;
    if (f->known && (f->at == SIZE_MAX || f->at >= from))
        return f->at;
    const char *p = from < len ? memmem(buf + from, len - from, f->needle, f->nlen) : NULL;
    f->at = p ? (size_t)(p - buf) : SIZE_MAX;
    f->known = 1;
    return f->at;
}

/* Takes the runtime's lines exec asked for out of buf[0, len) in place (team
 * lines, wherever they start; display-environment blocks) and records what
 * they say in s. Returns the length left. */
static size_t strip_runtime_lines(char *buf, size_t len, int strip, struct scan *s)
{
    struct finder team = {team_mark, sizeof(team_mark) - 1, strip & STRIP_TEAM, 0, 0};
    struct finder env = {env_begin, sizeof(env_begin) - 1, (strip & STRIP_ENV) != 0, 0, 0};
    size_t r = 0, w = 0;
    while (r < len) {
        size_t t = finder_next(&team, buf, len, r), e = finder_next(&env, buf, len, r);
        size_t next = t < e ? t : e;
        if (next > len)
            next = len;
        if (w != r)
            memmove(buf + w, buf + r, next - r);
        w += next - r;
        r = next;
        if (r >= len)
            break;
        const char *end = buf + len, *stop = NULL;
        if (next == t) {
            long level, thread, size;
            osw_cpuset cpus;
            int have_cpus;
            stop = team_line(buf + r + team.nlen, end, &level, &thread, &size, &cpus, &have_cpus);
            if (stop && level == 1 && size > s->team)
                s->team = size > 1000000000L ? 1000000000 : (int)size;
            if (stop)
                osw_placement_add(&s->placement, level, thread, size, have_cpus ? &cpus : NULL);
        } else {
            const char *fin = memmem(buf + r, len - r, env_end, sizeof(env_end) - 1);
            if (fin) {
                stop = memchr(fin, '\n', (size_t)(end - fin));
                stop = stop ? stop + 1 : end;
                int limit = block_thread_limit(buf + r, fin);
                if (limit > 0)
                    s->team_limit = limit;
                int places = block_places(buf + r, fin);
                if (places > 0)
                    s->placement.nplaces = places;
                s->runtime = (int)osw_runtime_from_display_env(
                    buf + r, (size_t)(fin + sizeof(env_end) - 1 - (buf + r)));
            }
        }
        if (stop) {
            r = (size_t)(stop - buf);
        } else { /* not one of ours: keep the text */
            buf[w++] = buf[r++];
        }
    }
    return w;
}

/* Matches the metric against buf[0, len); the result into s. */
static void match_metric(const osw_metric *m, const char *buf, size_t len, struct scan *s)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(m->code, NULL);
    if (!md) {
        s->match = M_ERROR;
        snprintf(s->error, sizeof(s->error), "out of memory");
        return;
    }
    int rc = pcre2_match(m->code, (PCRE2_SPTR)buf, len, 0, 0, md, m->mctx);
    if (rc >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (rc == 1 || ov[2] == PCRE2_UNSET) {
            s->match = M_NOMATCH;
        } else {
            size_t n = (size_t)(ov[3] - ov[2]);
            snprintf(s->text, sizeof(s->text), "%.*s", (int)(n < 63 ? n : 63), buf + ov[2]);
            s->match = M_OK;
        }
    } else if (rc == PCRE2_ERROR_NOMATCH) {
        s->match = M_NOMATCH;
    } else if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
               rc == PCRE2_ERROR_HEAPLIMIT) {
        s->match = M_LIMIT;
    } else {
        s->match = M_ERROR;
        PCRE2_UCHAR msg[120];
        if (pcre2_get_error_message(rc, msg, sizeof(msg)) < 0)
            snprintf((char *)msg, sizeof(msg), "error %d", rc);
        snprintf(s->error, sizeof(s->error), "%s", (const char *)msg);
    }
    pcre2_match_data_free(md);
}

/* The scanning child's work: the capture mapped privately (so the runtime's
 * lines can be taken out in place), then the metric. */
static void scan_child(const osw_external *x, int cap, int strip, struct scan *s)
{
    struct stat st;
    static char empty[1];
    char *buf = empty;
    size_t len = 0;
    if (fstat(cap, &st) != 0) {
        s->match = M_ERROR;
        snprintf(s->error, sizeof(s->error), "cannot read the output back: %s", strerror(errno));
        return;
    }
    if (st.st_size > 0) {
        len = (size_t)st.st_size;
        buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, cap, 0);
        if (buf == MAP_FAILED) {
            s->match = M_ERROR;
            snprintf(s->error, sizeof(s->error), "cannot map the %.0f MiB of output: %s",
                     (double)len / 1048576.0, strerror(errno));
            return;
        }
    }
    if (strip)
        len = strip_runtime_lines(buf, len, strip, s);
    if (x->metric)
        match_metric(x->metric, buf, len, s);
    if (x->check)
        osw_check_search(x->check, buf, len, &s->check);
}

enum { SCAN_DONE, SCAN_TIMEOUT, SCAN_STOPPED, SCAN_FAILED };

/* Scans the run's output (the capture) in a child process that is killed at
 * deadline or at a stop signal, so neither a catastrophic pattern nor a
 * huge output holds the sweep. Returns SCAN_* with *out filled for
 * SCAN_DONE; for SCAN_FAILED, why says why. */
static int scan_output(osw_external *x, int cap, int strip, double deadline, struct scan *out,
                       char *why, size_t whylen)
{
    memset(out, 0, sizeof(*out));
    struct scan *s =
        mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED) {
        snprintf(why, whylen, "mmap: %s", strerror(errno));
        return SCAN_FAILED;
    }
    memset(s, 0, sizeof(*s));
    pid_t pid = fork();
    if (pid == 0) {
        scan_child(x, cap, strip, s);
        s->done = 1;
        _exit(0);
    }
    if (pid < 0) {
        snprintf(why, whylen, "fork: %s", strerror(errno));
        munmap(s, sizeof(*s));
        return SCAN_FAILED;
    }
    int st = 0;
    struct rusage ru;
    double t_end;
    int r = wait_until(x, pid, deadline, &st, &ru, &t_end);
    if (r != 1) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
    }
    int rc = SCAN_DONE;
    if (r != 1) {
        rc = x->stop_signal ? SCAN_STOPPED : SCAN_TIMEOUT;
    } else if (!s->done) {
        rc = SCAN_FAILED;
        if (WIFSIGNALED(st))
            signal_text(WTERMSIG(st), why, whylen);
        else
            snprintf(why, whylen, "exit status %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    } else {
        *out = *s;
    }
    munmap(s, sizeof(*s));
    return rc;
}

/* The metric of a finished scan: 0 with *value set, or -1 with why set. */
static int metric_value(const struct scan *s, double *value, char *why, size_t whylen)
{
    switch (s->match) {
    case M_OK:
        break;
    case M_LIMIT:
        snprintf(why, whylen, "--metric hit the match limit");
        return -1;
    case M_ERROR:
        snprintf(why, whylen, "--metric search failed: %s", s->error);
        return -1;
    default:
        snprintf(why, whylen, "--metric did not match the output");
        return -1;
    }
    char *e;
    errno = 0;
    double v = strtod(s->text, &e);
    while (*e == ' ' || *e == '\t')
        e++;
    if (e == s->text || *e || errno == ERANGE || !isfinite(v) || !(v > 0)) {
        snprintf(why, whylen, "--metric matched '%.40s', not a positive number", s->text);
        return -1;
    }
    *value = v;
    return 0;
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
 * then -<value> of each environment setting ([A-Za-z0-9._+-], others as
 * '_', and then a hash of the env column, so that names stay distinct). */
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
    if (c->nest[0]) {
        char nest[32];
        snprintf(nest, sizeof(nest), "%s", c->nest);
        for (char *p = nest; *p; p++)
            *p = *p == ',' ? 'x' : *p;
        w += snprintf(buf + w, len - (size_t)w, "t%s-%s", nest, sched);
    } else {
        w += snprintf(buf + w, len - (size_t)w, "t%d-%s", c->threads, sched);
    }
    if (c->schedule->s.chunk)
        w += snprintf(buf + w, len - (size_t)w, "-%d", c->schedule->s.chunk);
    int changed = 0;
    for (size_t e = 0; e < c->nenv && w + 2 < (int)len; e++) {
        buf[w++] = '-';
        for (const char *v = strchr(c->env[e], '=') + 1; *v && w + 1 < (int)len; v++) {
            int keep = (*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
                       (*v >= '0' && *v <= '9') || *v == '.' || *v == '+' || *v == '-';
            buf[w++] = keep ? *v : '_';
            changed |= !keep;
        }
        buf[w] = 0;
    }
    if (changed && w + 10 < (int)len) {
        uint32_t h = 2166136261u;
        for (const char *p = c->env_text; *p; p++)
            h = (h ^ (unsigned char)*p) * 16777619u;
        snprintf(buf + w, len - (size_t)w, "-%08x", h);
    }
}

/* The configuration's environment settings: OMP_NUM_THREADS, OMP_SCHEDULE
 * (when set), then the ENV axes'. vars has room for 2 + OSW_MAX_AXES. */
static size_t config_vars(const osw_config *c, char *v_threads, char *v_sched, char **vars)
{
    size_t nvars = 0;
    if (c->nest[0])
        snprintf(v_threads, 48, "OMP_NUM_THREADS=%s", c->nest);
    else
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

/* The variables exec adds for the team (external.h): vars gets them after
 * *nvars, which grows. Returns what the output scan takes out (STRIP_*). */
static int team_vars(const osw_config *c, char **vars, size_t *nvars)
{
    if (getenv("OMP_DISPLAY_AFFINITY"))
        return 0; /* the user's: no team lines to read */
    int strip = STRIP_TEAM;
    vars[(*nvars)++] = (char *)"OMP_DISPLAY_AFFINITY=TRUE";
    vars[(*nvars)++] = (char *)"OMP_AFFINITY_FORMAT=" OSW_EXEC_TEAM_FORMAT;
    /* libgomp prints no affinity line for a team of one thread: where the
     * thread limit allows no more, the runtime's own word on it. */
    const char *limit = getenv("OMP_THREAD_LIMIT"),
               *mine = strstr(c->env_text, "OMP_THREAD_LIMIT=");
    if (mine)
        limit = mine + 17;
    char *end;
    long l = limit ? strtol(limit, &end, 10) : 0;
    /* and where the configuration names its places, the runtime's list of
     * them (libgomp's; libomp repeats the name) */
    int places = strstr(c->env_text, "OMP_PLACES=") != NULL ||
                 osw_runtime_of_env(c->env_text) != OSW_RUNTIME_UNKNOWN;
    if (((limit && end != limit && l > 0 && l < c->threads) || places) &&
        !getenv("OMP_DISPLAY_ENV")) {
        vars[(*nvars)++] = (char *)"OMP_DISPLAY_ENV=TRUE";
        strip |= STRIP_ENV;
    }
    return strip;
}

/* One configuration's runs: what run_config reads and fills. */
struct config_run {
    const osw_config *c;
    const char *name; /* the log's name without .log */
    const char *path; /* the log */
    char **argv, **envp, **vars;
    size_t nvars;
    int strip; /* STRIP_* */
    int fd;    /* the log */
    osw_row *row;
    osw_observed *obs;
    double *samples;
    size_t count;
    double cpu, wall;
    /* placement: the first run's, or the first that was not as asked */
    osw_placement *placement;
    char verdict[12], why[200];
    osw_runtime served; /* the runtime the runs' display blocks name */
    double joules;      /* energy of the timed runs (NaN where unavailable) */
    int wrong;          /* runs whose --check numbers disagreed with the reference */
    double check_err;   /* the largest relative error --check found */
    char wrong_detail[400];
    int ran;                        /* runs so far, warmup included */
    int failed;                     /* a run failed: no more runs */
    int any_smaller, any_leftovers; /* over the runs so far */
    char failure[1024];             /* why a run failed (x->failure once closed) */
};

/* --check's reference key of c: every setting but the thread count. */
static void check_key(const osw_config *c, char *key, size_t len)
{
    int used =
        snprintf(key, len, "%s|%zu|%s|%d", c->label, c->n, c->schedule->name, c->schedule->s.chunk);
    for (size_t i = 0; i < c->nenv && used > 0 && (size_t)used < len; i++)
        used += snprintf(key + used, len - (size_t)used, "|%s", c->env[i]);
}

/* Compares a good run's --check numbers with the configuration's reference:
 * counts a disagreement in k (the run stands), or makes o's status
 * no_reference. Logs what it found. */
static void check_run(osw_external *x, struct config_run *k, struct outcome *o)
{
    char key[1600], got[400], want[400];
    check_key(k->c, key, sizeof(key));
    const osw_check_values *ref = osw_check_reference(x->check, key, k->c->threads, &o->got);
    osw_check_format(&o->got, got, sizeof(got));
    if (!ref) {
        o->status = "no_reference";
        snprintf(o->detail, sizeof(o->detail),
                 "--check found %.60s, but the 1-thread run of these settings gave no reference "
                 "(it failed, or was not run in this sweep)",
                 got);
        return;
    }
    osw_check_format(ref, want, sizeof(want));
    double e = 0;
    int ok = osw_check_compare(ref, &o->got, osw_check_rtol(x->check), &e);
    dprintf(k->fd, "<== ompsweep exec: check %s, reference %s: %s (rel_err %.3g)\n", got, want,
            ok ? "agrees" : "DISAGREES", e);
    if (!(e <= k->check_err))
        k->check_err = e;
    if (!ok && k->wrong++ == 0)
        snprintf(k->wrong_detail, sizeof(k->wrong_detail),
                 "--check found %.120s, the reference is %.120s (rel_err %.3g)", got, want, e);
}

/* Whether the scan says the team was smaller than asked; team says what it
 * was ("1 thread(s)"). */
static int team_smaller(const struct scan *s, int threads, char *team, size_t len)
{
    if (s->team > 0 && s->team < threads) {
        snprintf(team, len, "%d thread(s)", s->team);
        return 1;
    }
    if (s->team == 0 && s->team_limit > 0 && s->team_limit < threads) {
        snprintf(team, len, "at most %d thread(s) (the runtime's OMP_THREAD_LIMIT)", s->team_limit);
        return 1;
    }
    return 0;
}

/* The run's placement against the configuration's (placement.h): kept in
 * k when it is the first seen or the first not as asked. */
static void check_placement(const osw_external *x, struct config_run *k, struct scan *s)
{
    if (!k->placement)
        return;
    int asked[OSW_PLACEMENT_LEVELS];
    char bind[32], places[160], why[200];
    int levels = osw_placement_asked(k->c->nest, k->c->threads, k->c->env_text, asked, bind,
                                     sizeof(bind), places, sizeof(places));
    /* libgomp prints no line for a team of one thread: where the runtime
     * displayed a thread limit below the team asked, that is the team. */
    osw_placement *seen = &s->placement;
    if (!seen->team[0] && s->team_limit > 0 && s->team_limit < asked[0])
        seen->team[0] = s->team_limit;
    const char *v = osw_placement_verdict(seen, asked, levels, bind, places, osw_affinity_cpus(),
                                          x->cores, why, sizeof(why));
    if (!*v || (k->verdict[0] && strcmp(k->verdict, "ok") != 0) ||
        (strcmp(k->verdict, "ok") == 0 && strcmp(v, "ok") == 0))
        return;
    snprintf(k->verdict, sizeof(k->verdict), "%s", v);
    snprintf(k->why, sizeof(k->why), "%s", why);
    *k->placement = s->placement;
}

/* --check's numbers of a finished scan into o->got; 0, or 1 with o's status
 * no_check (the search did not match, or failed). */
static int check_found(const struct scan *s, int rc, double timeout, struct outcome *o)
{
    char why[200] = "";
    if (rc == SCAN_TIMEOUT)
        snprintf(why, sizeof(why), "--check search still ran at the %g s timeout: killed", timeout);
    else if (rc != SCAN_DONE)
        snprintf(why, sizeof(why), "--check search failed");
    else if (osw_check_values_of(&s->check, &o->got, why, sizeof(why)) == 0)
        return 0;
    o->status = "no_check";
    snprintf(o->detail, sizeof(o->detail), "%.200s", why);
    return 1;
}

/* After the program and everything it started are gone: its output into the
 * log, then the team and the metric from it. Adjusts o's status; *smaller
 * says whether the team was smaller than asked. */
static void finish_run(osw_external *x, struct config_run *k, int cap, struct outcome *o,
                       int *smaller)
{
    append_capture(x, cap, k->fd);
    *smaller = 0;
    if (strcmp(o->status, "ok") != 0)
        return;
    if (o->leftovers)
        o->status = "ok_leftovers";
    if (x->stop_signal || (!x->metric && !x->check && !k->strip))
        return;
    /* The run's --timeout, counted from its start, but at least the grace
     * period once the program has ended. */
    double deadline = o->t0 + x->timeout, floor = now_s() + OSW_EXEC_GRACE_S;
    if (deadline < floor)
        deadline = floor;
    struct scan s;
    char why[200] = "";
    int rc = scan_output(x, cap, k->strip, deadline, &s, why, sizeof(why));
    if (rc == SCAN_STOPPED || (rc != SCAN_DONE && !x->metric && !x->check))
        return; /* stopped, or only the team was looked for: nothing to say */
    if (x->metric && (rc != SCAN_DONE || metric_value(&s, &o->metric, why, sizeof(why)) != 0)) {
        o->status = "no_metric";
        if (rc == SCAN_TIMEOUT)
            snprintf(o->detail, sizeof(o->detail),
                     "--metric search still ran at the %g s timeout: killed", x->timeout);
        else if (rc == SCAN_FAILED)
            snprintf(o->detail, sizeof(o->detail), "--metric search failed: %.180s", why);
        else
            snprintf(o->detail, sizeof(o->detail), "%.200s", why);
        return;
    }
    check_placement(x, k, &s);
    if (s.runtime != OSW_RUNTIME_UNKNOWN)
        k->served = (osw_runtime)s.runtime;
    if (x->check && check_found(&s, rc, x->timeout, o))
        return;
    char team[120];
    int level1 = k->c->nest[0] ? atoi(k->c->nest) : k->c->threads;
    *smaller = team_smaller(&s, level1, team, sizeof(team));
    if (*smaller) {
        o->status = "team_smaller";
        size_t used = strlen(o->detail);
        snprintf(o->detail + used, sizeof(o->detail) - used, "; a team of %s, asked for %d", team,
                 k->c->threads);
        if (!x->warned_team) {
            char w[OSW_WARNLEN];
            snprintf(w, sizeof(w),
                     "OMP_NUM_THREADS=%d, but %s ran a team of %s (%s.log): status "
                     "team_smaller; such a row's threads column is what was asked, not what ran",
                     k->c->threads, k->c->label, team, k->name);
            osw_observed_warn(k->obs, w);
            x->warned_team = 1;
        }
    }
}

/* Whether a row status is one of a run that went through (verified=1). */
static int status_good(const char *status)
{
    return strcmp(status, "ok") == 0 || strcmp(status, "ok_leftovers") == 0 ||
           strcmp(status, "team_smaller") == 0;
}

/* Runs the configuration's next runs (the warmup runs first) until
 * k->count timed ones are taken or timed is reached, stopping at the first
 * failure; k->samples[0..k->count) get the timed ones, k->cpu and k->wall
 * their sums; a failure sets k->failed, k->row->status how the run ended and
 * k->failure why. */
static void run_runs(osw_external *x, struct config_run *k, size_t timed)
{
    int total = x->warmup + x->reps;
    for (int r = k->ran; r < total && !k->failed && k->count < timed; r = ++k->ran) {
        poll_stop(x);
        if (x->stop_signal)
            break;
        int warm = r < x->warmup;
        int fd = k->fd;
        dprintf(fd, "==> ompsweep exec: %s %d/%d:", warm ? "warmup" : "rep",
                warm ? r + 1 : r - x->warmup + 1, warm ? x->warmup : x->reps);
        for (size_t v = 0; v < k->nvars; v++) {
            const char *var = k->vars[v], *eq = strchr(var, '=');
            if (eq && strcmp(eq + 1, OSW_ENV_UNSET) == 0) /* as env(1) writes an unset */
                dprintf(fd, " -u %.*s", (int)(eq - var), var);
            else if (eq && strchr(eq, ' ')) /* OMP_AFFINITY_FORMAT='OSW-TEAM %L %n %N' */
                dprintf(fd, " %.*s'%s'", (int)(eq + 1 - var), var, eq + 1);
            else
                dprintf(fd, " %s", var);
        }
        for (char **a = k->argv; *a; a++)
            dprintf(fd, " %s", *a);
        dprintf(fd, "\n");
        struct outcome o;
        int smaller = 0;
        int cap = open_capture(x);
        if (cap < 0) {
            memset(&o, 0, sizeof(o));
            o.metric = NAN;
            o.status = "failed";
            snprintf(o.detail, sizeof(o.detail), "cannot create the run's output file in logs/: %s",
                     strerror(errno));
        } else {
            const osw_energy *energy = osw_energy_system();
            osw_energy_snap e0, e1;
            osw_energy_read(energy, &e0);
            run_once(x, k->argv, k->envp, cap, &o);
            osw_energy_read(energy, &e1);
            if (!warm)
                k->joules += osw_energy_joules(energy, &e0, &e1);
            finish_run(x, k, cap, &o, &smaller);
            close(cap);
            if (x->check && !x->stop_signal && status_good(o.status))
                check_run(x, k, &o);
        }
        dprintf(fd, "<== ompsweep exec: status %s (%s), wall %.6f s, cpu %.6f s", o.status,
                o.detail, o.wall, o.cpu);
        if (!isnan(o.metric))
            dprintf(fd, ", metric %.9g", o.metric);
        dprintf(fd, "\n");
        if (o.leftovers && !x->warned_leftovers) {
            char w[OSW_WARNLEN];
            snprintf(w, sizeof(w),
                     "%s left %ld process(es) running after it ended (%s.log, %s %d); "
                     "exec ended them before the next run%s",
                     k->c->label, o.leftovers, k->name, warm ? "warmup" : "rep",
                     warm ? r + 1 : r - x->warmup + 1,
                     o.unended ? ", but some outlived SIGKILL" : "; status ok_leftovers");
            osw_observed_warn(k->obs, w);
            x->warned_leftovers = 1;
        }
        osw_observed_tick(k->obs); /* the progress line keeps ticking */
        if (x->stop_signal)
            break; /* the run was cut short by our own interrupt: not its fault */
        if (!status_good(o.status)) {
            snprintf(k->row->status, sizeof(k->row->status), "%s", o.status);
            snprintf(k->failure, sizeof(k->failure), "%s (%s) in %s %d; log: %.400s", o.status,
                     o.detail, warm ? "warmup" : "rep", warm ? r + 1 : r - x->warmup + 1, k->path);
            k->failed = 1;
            return;
        }
        k->any_smaller |= smaller;
        k->any_leftovers |= o.leftovers > 0;
        if (!warm) {
            k->samples[k->count++] = x->metric ? o.metric : o.wall;
            k->cpu += o.cpu;
            k->wall += o.wall;
        }
    }
}

/* After the runs: k->row->status says how they ended (a failure's status
 * stays), k->failure why. */
static void runs_status(struct config_run *k)
{
    if (k->failed)
        return;
    if (k->wrong) {
        snprintf(k->row->status, sizeof(k->row->status), "wrong_result");
        snprintf(k->failure, sizeof(k->failure),
                 "wrong_result in %d of %d run(s): %.300s; log: %.300s", k->wrong, k->ran,
                 k->wrong_detail, k->path);
        return;
    }
    snprintf(k->row->status, sizeof(k->row->status), "%s",
             k->any_smaller     ? "team_smaller"
             : k->any_leftovers ? "ok_leftovers"
                                : "ok");
}

/* ---- --regions (external.h) ---- */

/* Before the sweep: the tool, and whether libomp can run the program. */
static int regions_setup(osw_external *x, char *err)
{
    if (osw_runtime_ompt_tool(x->ompt_tool, sizeof(x->ompt_tool)) != 0) {
        snprintf(err, OSW_ERRLEN,
                 "--regions needs the OMPT tool libosw_ompt.so, built when omp-tools.h "
                 "(libomp-dev) is found; set OSW_OMPT_LIBRARY to its path");
        return OSW_EUSAGE;
    }
    char libomp[4096], missing[600], why[OSW_ERRLEN];
    if (osw_runtime_libomp(libomp, sizeof(libomp)) != 0) {
        snprintf(err, OSW_ERRLEN,
                 "--regions runs PROGRAM on LLVM's libomp (libgomp has no OMPT), and no "
                 "libomp.so.5 was found (install libomp-dev)");
        return OSW_EUSAGE;
    }
    int n = osw_runtime_missing_symbols(x->path, libomp, missing, sizeof(missing), why);
    if (n > 0) {
        snprintf(err, OSW_ERRLEN,
                 "--regions runs PROGRAM on LLVM's libomp (libgomp has no OMPT), but %.120s "
                 "needs %d symbol(s) libomp lacks: %.200s",
                 x->path, n, missing);
        return OSW_EUSAGE;
    }
    return 0; /* a check that could not run (not ELF, no libelf) leaves it to the runs */
}

/* --runtime llvm: the symbols check, once (runtime.h). A check that
 * cannot run (not ELF, no libelf) leaves it to the runs. */
static void llvm_check(osw_external *x)
{
    char libomp[4096], why[OSW_ERRLEN];
    if (osw_runtime_libomp(libomp, sizeof(libomp)) != 0) {
        snprintf(x->llvm_missing, sizeof(x->llvm_missing), "(no libomp.so.5 installed)");
        return;
    }
    if (osw_runtime_missing_symbols(x->path, libomp, x->llvm_missing, sizeof(x->llvm_missing),
                                    why) <= 0)
        x->llvm_missing[0] = '\0';
}

/* When the run directory is ready: the swap folder and regions/. */
static int regions_begin(osw_external *x, char *err)
{
    char dir[4400];
    snprintf(dir, sizeof(dir), "%s/regions.csv", x->out_dir);
    unlink(dir);
    snprintf(dir, sizeof(dir), "%s/regions", x->out_dir);
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        int e = errno;
        snprintf(err, OSW_ERRLEN, "cannot create '%.160s': %s", dir, strerror(e));
        return -e;
    }
    return 0;
}

/* The configuration's profile file, emptied; its settings added to vars
 * (the strings live in x until the next configuration). */
static void regions_vars(osw_external *x, const char *name, char **vars, size_t *nvars)
{
    char path[4400];
    snprintf(path, sizeof(path), "%s/regions/%s.txt", x->out_dir, name);
    unlink(path);
    snprintf(x->v_tool, sizeof(x->v_tool), "OMP_TOOL_LIBRARIES=%s", x->ompt_tool);
    snprintf(x->v_ompt_out, sizeof(x->v_ompt_out), "OSW_OMPT_OUT=%s", path);
    vars[(*nvars)++] = x->v_tool;
    vars[(*nvars)++] = x->v_ompt_out;
}

/* After the configuration: its timed runs' regions appended to
 * regions.csv. A profile that cannot be read is a warning, not a failed
 * configuration: the measurement stands. */
static void regions_collect(osw_external *x, const osw_config *c, const char *name, int runs,
                            osw_observed *obs)
{
    char path[4400], csv[4400], err[OSW_ERRLEN], w[OSW_WARNLEN];
    snprintf(path, sizeof(path), "%s/regions/%s.txt", x->out_dir, name);
    osw_regions r;
    int rc = osw_regions_read(path, runs, &r, err);
    if (rc || r.runs == 0) {
        if (!x->warned_regions)
            snprintf(w, sizeof(w),
                     "%.60s: no region profile (%.200s): libomp with OMPT did not serve the runs "
                     "(a statically linked runtime, or a library path that bypasses the "
                     "swap folder?)",
                     c->label, rc ? err : "an empty profile");
        if (!x->warned_regions)
            osw_observed_warn(obs, w);
        x->warned_regions = 1;
        osw_regions_free(&r);
        return;
    }
    osw_regions_map(&r);
    osw_regions_sort(&r);
    char env[OSW_MAX_AXES * 161 + 1] = "";
    size_t used = 0;
    for (size_t e = 0; e < c->nenv; e++)
        used += (size_t)snprintf(env + used, sizeof(env) - used, "%s%s", e ? " " : "", c->env[e]);
    osw_regions_key key = {.kernel = c->label,
                           .n = c->n,
                           .threads = c->threads,
                           .schedule = c->schedule->name,
                           .chunk = c->schedule->s.chunk,
                           .runtime = "llvm",
                           .env = c->env_text};
    snprintf(csv, sizeof(csv), "%s/regions.csv", x->out_dir);
    FILE *f = fopen(csv, "a");
    if (f) {
        if (ftell(f) == 0)
            fprintf(f, "%s\n", osw_regions_header);
        rc = osw_regions_write(f, &key, &r);
        if (fclose(f) != 0 && !rc)
            rc = -errno;
    }
    if ((!f || rc) && !x->warned_regions) {
        snprintf(w, sizeof(w), "cannot write '%.200s': %s", csv, strerror(f ? -rc : errno));
        osw_observed_warn(obs, w);
        x->warned_regions = 1;
    }
    osw_regions_free(&r);
}

/* A configuration on libomp that PROGRAM cannot run on (it needs symbols
 * libomp lacks): a row of status not_runnable, no run. */
static int not_runnable(osw_external *x, const osw_config *c, osw_row *row, int fd, char *err)
{
    dprintf(fd, "==> ompsweep exec: not run: %s needs symbols LLVM libomp lacks: %s\n", x->path,
            x->llvm_missing);
    close(fd);
    int rc = osw_row_set_stats(row, NULL, 0, NULL, 0);
    row->ranks = 1;
    row->inner = 1;
    row->rel_err = row->imbalance = row->result = row->cpu_per_wall = NAN;
    row->verified = 0;
    snprintf(row->status, sizeof(row->status), "not_runnable");
    snprintf(row->runtime, sizeof(row->runtime), "llvm");
    snprintf(x->failure, sizeof(x->failure),
             "not_runnable: %.120s needs symbols LLVM libomp lacks: %.300s", c->label,
             x->llvm_missing);
    x->failed++;
    if (rc)
        snprintf(err, OSW_ERRLEN, "out of memory");
    return rc;
}

/* The runtime the runs named against the one asked: the row's runtime
 * column, and status wrong_runtime where they differ. */
static void check_runtime(osw_external *x, struct config_run *k, osw_runtime asked)
{
    (void)x;
    osw_row *row = k->row;
    if (k->served != OSW_RUNTIME_UNKNOWN)
        snprintf(row->runtime, sizeof(row->runtime), "%s", osw_runtime_name(k->served));
    if (asked != OSW_RUNTIME_UNKNOWN && k->served != OSW_RUNTIME_UNKNOWN && k->served != asked &&
        status_good(row->status)) {
        snprintf(row->status, sizeof(row->status), "wrong_runtime");
        snprintf(k->failure, sizeof(k->failure),
                 "wrong_runtime: asked for %s, the runtime's display says %s (log: %.400s)",
                 osw_runtime_name(asked), osw_runtime_name(k->served), k->path);
    }
}

/* The executor's measure (engine.h): one configuration. */
/* One configuration measured in blocks of runs (engine.h's open/more/close):
 * its environment, log and runs so far. Every string of its environment is
 * its own copy (the executor's buffers serve the next configuration). */
struct ext_session {
    osw_config c;
    struct config_run k;
    osw_row row;
    char name[200], path[4400];
    char *vars[2 + (OSW_MAX_AXES + 1) + 3 + 3 + 2];
    osw_runtime asked;
    double *samples; /* room for reps */
};

static void ext_session_free(struct ext_session *e)
{
    if (!e)
        return;
    if (e->k.fd >= 0)
        close(e->k.fd);
    for (size_t v = 0; v < e->k.nvars; v++)
        free(e->vars[v]);
    free(e->k.envp);
    free_argv(e->k.argv);
    free(e->k.placement);
    free(e->samples);
    free(e);
}

static int external_open(void *self, const osw_config *c, void **state, osw_observed *obs,
                         char *err)
{
    osw_external *x = self;
    struct ext_session *e = calloc(1, sizeof(*e));
    if (!e || !(e->samples = malloc(((size_t)x->reps + 1) * sizeof(double)))) {
        free(e);
        snprintf(err, OSW_ERRLEN, "out of memory");
        return -ENOMEM;
    }
    e->c = *c;
    e->k.fd = -1;
    log_name(x, c, e->name, sizeof(e->name));
    snprintf(e->path, sizeof(e->path), "%s/logs/%s.log", x->out_dir, e->name);
    e->k.fd = open(e->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (e->k.fd < 0) {
        int er = errno;
        snprintf(err, OSW_ERRLEN, "cannot open a log: %.200s: %s", e->path, strerror(er));
        ext_session_free(e);
        return -er;
    }
    char v_threads[48], v_sched[80], *vars[sizeof(e->vars) / sizeof(e->vars[0])];
    size_t nvars = config_vars(&e->c, v_threads, v_sched, vars);
    int strip = team_vars(&e->c, vars, &nvars);
    e->asked = osw_runtime_take(vars, &nvars, x->swap_dir, x->v_ld_path, sizeof(x->v_ld_path));
    if (x->regions && e->asked == OSW_RUNTIME_LLVM)
        regions_vars(x, e->name, vars, &nvars);
    int oom = 0;
    for (size_t v = 0; v < nvars; v++)
        oom |= !(e->vars[v] = strdup(vars[v]));
    e->k.nvars = nvars;
    e->k.envp = oom ? NULL : osw_env_build(e->vars, nvars);
    e->k.argv = make_argv(x->argv, x->argc, c->n, x->substitute);
    if (!e->k.envp || !e->k.argv) {
        ext_session_free(e);
        snprintf(err, OSW_ERRLEN, "out of memory");
        return -ENOMEM;
    }
    e->row.ranks = 1;
    e->row.inner = 1;
    snprintf(e->row.bound, sizeof(e->row.bound), "cpu");
    snprintf(e->row.status, sizeof(e->row.status), "ok");
    e->k.c = &e->c;
    e->k.name = e->name;
    e->k.path = e->path;
    e->k.vars = e->vars;
    e->k.strip = strip;
    e->k.row = &e->row;
    e->k.obs = obs;
    e->k.samples = e->samples;
    e->k.placement = malloc(sizeof(*e->k.placement));
    *state = e;
    return 0;
}

static int external_more(void *self, const osw_config *c, void *state, size_t k, double *seconds,
                         int *done, osw_observed *obs, char *err)
{
    osw_external *x = self;
    struct ext_session *e = state;
    (void)c;
    (void)err;
    size_t before = e->k.count;
    e->k.obs = obs;
    if (!(e->asked == OSW_RUNTIME_LLVM && x->llvm_missing[0]))
        run_runs(x, &e->k, before + k);
    memcpy(seconds + before, e->samples + before, (e->k.count - before) * sizeof(double));
    *done = e->k.failed || e->k.count >= (size_t)x->reps || x->stop_signal ||
            (e->asked == OSW_RUNTIME_LLVM && x->llvm_missing[0]);
    if (x->stop_signal)
        return OSW_EINTR;
    return (int)(e->k.count - before);
}

static int external_close(void *self, const osw_config *c, void *state, osw_row *row,
                          const double *seconds, osw_observed *obs, char *err)
{
    osw_external *x = self;
    struct ext_session *e = state;
    (void)seconds;
    if (e->asked == OSW_RUNTIME_LLVM && x->llvm_missing[0]) {
        int rc = not_runnable(x, c, row, e->k.fd, err);
        e->k.fd = -1; /* not_runnable closed it */
        ext_session_free(e);
        return rc;
    }
    struct config_run *k = &e->k;
    k->obs = obs;
    runs_status(k);
    snprintf(x->failure, sizeof(x->failure), "%s", k->failure);
    check_runtime(x, k, e->asked);
    snprintf(e->row.placement, sizeof(e->row.placement), "%s", k->verdict);
    if (k->placement && k->verdict[0])
        osw_observed_placement(obs, c, k->placement, k->verdict, k->why);
    if (x->regions && e->asked == OSW_RUNTIME_LLVM && !x->stop_signal && k->count > 0)
        regions_collect(x, c, e->name, (int)k->count, obs);
    *row = e->row;
    int rc = osw_row_set_stats(row, NULL, 0, e->samples, k->count);
    row->reps = (int)k->count;
    row->inner = 1;
    row->rel_err = row->imbalance = row->result = NAN;
    if (x->check)
        row->rel_err = k->check_err;
    row->cpu_per_wall = k->wall > 0 ? k->cpu / k->wall : NAN;
    row->energy_j = k->count > 0 ? k->joules / (double)k->count : NAN;
    row->verified = status_good(row->status) && !k->failed; /* every run taken was good */
    x->failed += !row->verified;
    ext_session_free(e);
    if (rc)
        snprintf(err, OSW_ERRLEN, "out of memory");
    return rc;
}

static void external_abort(void *self, void *state)
{
    (void)self;
    ext_session_free(state);
}

/* A whole configuration: the blocks' steps in one go. */
static int external_measure(void *self, const osw_config *c, osw_row *row, double *samples,
                            osw_observed *obs, char *err)
{
    osw_external *x = self;
    void *state;
    int done, rc = external_open(self, c, &state, obs, err);
    if (rc)
        return rc;
    rc = external_more(self, c, state, (size_t)x->reps, samples, &done, obs, err);
    if (rc < 0) {
        external_abort(self, state);
        return rc; /* this configuration is incomplete: no row */
    }
    return external_close(self, c, state, row, samples, obs, err);
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
    snprintf(x->swap_dir, sizeof(x->swap_dir), "%s/runtime", x->out_dir);
    int rc = x->llvm || x->regions ? osw_runtime_swap_dir(x->swap_dir, err) : 0;
    if (rc)
        return rc;
    return x->regions ? regions_begin(x, err) : 0;
}

static int external_stop(void *self)
{
    osw_external *x = self;
    poll_stop(x);
    return x->stop_signal;
}

int osw_external_metric(osw_external *x, const char *text, char *err, size_t len)
{
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    osw_metric *m = calloc(1, sizeof(*m));
    if (!cc || !m) {
        pcre2_compile_context_free(cc);
        free(m);
        snprintf(err, len, "out of memory");
        return -ENOMEM;
    }
    pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
    int code;
    PCRE2_SIZE at;
    m->code =
        pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &code, &at, cc);
    pcre2_compile_context_free(cc);
    if (!m->code) {
        PCRE2_UCHAR what[160];
        if (pcre2_get_error_message(code, what, sizeof(what)) < 0)
            snprintf((char *)what, sizeof(what), "error %d", code);
        snprintf(err, len, "--metric '%.80s': %s at offset %zu", text, (const char *)what,
                 (size_t)at);
        free(m);
        return OSW_EUSAGE;
    }
    uint32_t groups = 0;
    pcre2_pattern_info(m->code, PCRE2_INFO_CAPTURECOUNT, &groups);
    if (groups < 1) {
        snprintf(err, len,
                 "--metric '%.80s' needs a group around the number, e.g. 'time: ([0-9.eE+-]+)'",
                 text);
        pcre2_code_free(m->code);
        free(m);
        return OSW_EUSAGE;
    }
    m->mctx = pcre2_match_context_create(NULL);
    if (!m->mctx) {
        pcre2_code_free(m->code);
        free(m);
        snprintf(err, len, "out of memory");
        return -ENOMEM;
    }
    pcre2_set_match_limit(m->mctx, OSW_METRIC_MATCH_LIMIT);
    pcre2_set_depth_limit(m->mctx, OSW_METRIC_DEPTH_LIMIT);
    pcre2_set_heap_limit(m->mctx, OSW_METRIC_HEAP_LIMIT_KIB);
    x->metric = m;
    return 0;
}

int osw_external_takes_n(const osw_external *x)
{
    for (int i = 1; i < x->argc; i++)
        if (strstr(x->argv[i], "{n}"))
            return 1;
    return 0;
}

int osw_external_executor(osw_external *x, osw_executor *ex, char *err)
{
    memset(ex, 0, sizeof(*ex));
    ex->self = x;
    ex->env_axes = 1;
    ex->max_samples = (size_t)x->reps;
    ex->begin = external_begin;
    ex->measure = external_measure;
    ex->open = external_open;
    ex->more = external_more;
    ex->close = external_close;
    ex->abort = external_abort;
    ex->stop = external_stop;
    resolve_program(x->argv[0], x->path, sizeof(x->path));
    x->substitute = osw_external_takes_n(x);
    int ncpu = 0, *core_of = osw_cpu_core_map(&ncpu);
    x->cores = osw_cores_available(core_of, ncpu);
    free(core_of);
    if (x->regions) {
        int rc = regions_setup(x, err);
        if (rc)
            return rc;
    } else if (x->llvm) {
        llvm_check(x);
    }
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
    /* Orphans of a run become ours, not init's: nothing it starts escapes. */
    x->subreaper_was = -1;
#ifdef __linux__
    int was = 0;
    if (prctl(PR_GET_CHILD_SUBREAPER, &was) == 0)
        x->subreaper_was = was;
    prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
    return 0;
}

void osw_external_free(osw_external *x)
{
    if (x->devnull >= 0) {
        reap_others(0);
#ifdef __linux__
        if (x->subreaper_was == 0)
            prctl(PR_SET_CHILD_SUBREAPER, 0);
#endif
        poll_stop(x); /* nothing of ours stays pending when the mask is restored */
        sigprocmask(SIG_SETMASK, &x->old_mask, NULL);
        sigaction(SIGCHLD, &x->old_chld, NULL);
        close(x->devnull);
        x->devnull = -1;
    }
    if (x->metric) {
        pcre2_match_context_free(x->metric->mctx);
        pcre2_code_free(x->metric->code);
        free(x->metric);
        x->metric = NULL;
    }
    osw_check_free(x->check);
    x->check = NULL;
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
    cJSON *env = osw_plan_env_json(plan);
    cJSON_AddItemToObject(j, "env_axes", env ? env : cJSON_CreateObject());
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
    cJSON_AddBoolToObject(j, "regions", x->regions != 0);
    int rc = osw_json_write(dir, "exec.json", j);
    cJSON_Delete(j);
    return rc;
}
