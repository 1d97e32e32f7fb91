/* check.c: exec's --check (check.h). */
#define _GNU_SOURCE
#define PCRE2_CODE_UNIT_WIDTH 8
#include "check.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pcre2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A 1-thread reference: the settings other than threads, and its numbers. */
struct ref {
    char *key;
    osw_check_values v;
};

struct osw_check {
    pcre2_code *code;
    pcre2_match_context *mctx;
    char *text;
    double rtol;
    osw_check_values fixed; /* count 0: none */
    const char *fixed_kind; /* "expect" or "command" */
    char *command;
    struct ref *refs;
    size_t nrefs, cap;
};

int osw_check_new(osw_check **out, const char *text, double rtol, char *err, size_t len)
{
    *out = NULL;
    osw_check *c = calloc(1, sizeof(*c));
    if (!c || !(c->text = strdup(text))) {
        free(c);
        snprintf(err, len, "out of memory");
        return -ENOMEM;
    }
    c->rtol = rtol;
    int code;
    PCRE2_SIZE at;
    c->code =
        pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &code, &at, NULL);
    if (!c->code) {
        PCRE2_UCHAR what[160];
        if (pcre2_get_error_message(code, what, sizeof(what)) < 0)
            snprintf((char *)what, sizeof(what), "error %d", code);
        snprintf(err, len, "--check '%.80s': %s at offset %zu", text, (const char *)what,
                 (size_t)at);
        osw_check_free(c);
        return OSW_EUSAGE;
    }
    uint32_t groups = 0;
    pcre2_pattern_info(c->code, PCRE2_INFO_CAPTURECOUNT, &groups);
    if (groups < 1 || groups > OSW_CHECK_MAX) {
        snprintf(err, len,
                 "--check '%.80s' needs 1 to %d groups around the numbers, e.g. 'sum=(\\S+)' "
                 "(it has %u)",
                 text, OSW_CHECK_MAX, groups);
        osw_check_free(c);
        return OSW_EUSAGE;
    }
    c->mctx = pcre2_match_context_create(NULL);
    if (!c->mctx) {
        osw_check_free(c);
        snprintf(err, len, "out of memory");
        return -ENOMEM;
    }
    pcre2_set_match_limit(c->mctx, OSW_CHECK_MATCH_LIMIT);
    pcre2_set_depth_limit(c->mctx, OSW_CHECK_DEPTH_LIMIT);
    pcre2_set_heap_limit(c->mctx, OSW_CHECK_HEAP_LIMIT_KIB);
    *out = c;
    return 0;
}

void osw_check_free(osw_check *c)
{
    if (!c)
        return;
    pcre2_match_context_free(c->mctx);
    pcre2_code_free(c->code);
    for (size_t i = 0; i < c->nrefs; i++)
        free(c->refs[i].key);
    free(c->refs);
    free(c->command);
    free(c->text);
    free(c);
}

void osw_check_search(const osw_check *c, const char *buf, size_t len, osw_check_found *f)
{
    memset(f, 0, sizeof(*f));
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(c->code, NULL);
    if (!md) {
        f->status = 4;
        snprintf(f->error, sizeof(f->error), "out of memory");
        return;
    }
    int rc = pcre2_match(c->code, (PCRE2_SPTR)buf, len, 0, 0, md, c->mctx);
    if (rc >= 0) {
        uint32_t groups = 0;
        pcre2_pattern_info(c->code, PCRE2_INFO_CAPTURECOUNT, &groups);
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        f->status = 1;
        f->count = (int)groups;
        for (uint32_t g = 1; g <= groups; g++) {
            if ((int)g >= rc || ov[2 * g] == PCRE2_UNSET) {
                f->status = 2; /* an optional group that took part in nothing */
                break;
            }
            size_t n = (size_t)(ov[2 * g + 1] - ov[2 * g]);
            snprintf(f->text[g - 1], sizeof(f->text[0]), "%.*s", (int)(n < 47 ? n : 47),
                     buf + ov[2 * g]);
        }
    } else if (rc == PCRE2_ERROR_NOMATCH) {
        f->status = 2;
    } else if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
               rc == PCRE2_ERROR_HEAPLIMIT) {
        f->status = 3;
    } else {
        f->status = 4;
        PCRE2_UCHAR msg[120];
        if (pcre2_get_error_message(rc, msg, sizeof(msg)) < 0)
            snprintf((char *)msg, sizeof(msg), "error %d", rc);
        snprintf(f->error, sizeof(f->error), "%s", (const char *)msg);
    }
    pcre2_match_data_free(md);
}

/* Whether text is a whole number: [+-]digits. */
static int whole_number(const char *text)
{
    const char *p = text + (*text == '+' || *text == '-');
    if (!*p)
        return 0;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

/* One number of text into v[i]: 0, or -1 when text is not a finite number. */
static int parse_number(const char *text, osw_check_values *v, int i)
{
    char *e;
    errno = 0;
    double x = strtod(text, &e);
    if (e == text || *e || errno == ERANGE || !isfinite(x))
        return -1;
    v->v[i] = x;
    v->integer[i] = whole_number(text);
    return 0;
}

int osw_check_values_of(const osw_check_found *f, osw_check_values *v, char *why, size_t len)
{
    memset(v, 0, sizeof(*v));
    switch (f->status) {
    case 1:
        break;
    case 3:
        snprintf(why, len, "--check hit the match limit");
        return -1;
    case 4:
        snprintf(why, len, "--check search failed: %s", f->error);
        return -1;
    default:
        snprintf(why, len, "--check did not match the output");
        return -1;
    }
    for (int i = 0; i < f->count && i < OSW_CHECK_MAX; i++) {
        if (parse_number(f->text[i], v, i) != 0) {
            snprintf(why, len, "--check group %d matched '%.40s', not a number", i + 1, f->text[i]);
            return -1;
        }
    }
    v->count = f->count;
    return 0;
}

void osw_check_format(const osw_check_values *v, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < v->count && used < len; i++) {
        int w = snprintf(buf + used, len - used, "%s%.17g", i ? "," : "", v->v[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static int groups_of(const osw_check *c)
{
    uint32_t groups = 0;
    pcre2_pattern_info(c->code, PCRE2_INFO_CAPTURECOUNT, &groups);
    return (int)groups;
}

int osw_check_expect(osw_check *c, const char *list, char *err, size_t len)
{
    osw_check_values v;
    memset(&v, 0, sizeof(v));
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char word[64];
        if (v.count == OSW_CHECK_MAX || n == 0 || n >= sizeof(word)) {
            snprintf(err, len, "--expect '%.80s' must be 1 to %d numbers separated by commas", list,
                     OSW_CHECK_MAX);
            return OSW_EUSAGE;
        }
        memcpy(word, p, n);
        word[n] = '\0';
        if (parse_number(word, &v, v.count) != 0) {
            snprintf(err, len, "--expect '%.80s': '%s' is not a finite number", list, word);
            return OSW_EUSAGE;
        }
        v.count++;
        if (!comma)
            break;
        p = comma + 1;
    }
    if (v.count != groups_of(c)) {
        snprintf(err, len, "--expect gives %d number(s) but --check '%.80s' has %d group(s)",
                 v.count, c->text, groups_of(c));
        return OSW_EUSAGE;
    }
    c->fixed = v;
    c->fixed_kind = "expect";
    return 0;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int osw_check_ref_cmd(osw_check *c, const char *cmd, double timeout_s, char *err, size_t len)
{
    int out = memfd_create("ompsweep-check-ref", MFD_CLOEXEC);
    if (out < 0) {
        snprintf(err, len, "--check-ref-cmd: cannot create its output file: %s", strerror(errno));
        return OSW_EUSAGE;
    }
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        int in = open("/dev/null", O_RDONLY);
        if (in >= 0)
            dup2(in, STDIN_FILENO);
        dup2(out, STDOUT_FILENO);
        dup2(out, STDERR_FILENO);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    if (pid < 0) {
        snprintf(err, len, "--check-ref-cmd: fork: %s", strerror(errno));
        close(out);
        return OSW_EUSAGE;
    }
    int st = 0;
    double deadline = mono_s() + timeout_s;
    pid_t r;
    while ((r = waitpid(pid, &st, WNOHANG)) == 0 && mono_s() < deadline) {
        struct timespec nap = {0, 5000000};
        nanosleep(&nap, NULL);
    }
    if (r == 0) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        snprintf(err, len, "--check-ref-cmd '%.80s' still ran after %g s (--timeout): killed", cmd,
                 timeout_s);
        close(out);
        return OSW_EUSAGE;
    }
    if (r < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        if (r > 0 && WIFSIGNALED(st))
            snprintf(err, len, "--check-ref-cmd '%.80s' was killed by signal %d", cmd,
                     WTERMSIG(st));
        else
            snprintf(err, len, "--check-ref-cmd '%.80s' failed: exit status %d", cmd,
                     r > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        close(out);
        return OSW_EUSAGE;
    }
    struct stat sb;
    static char empty[1];
    char *buf = empty;
    size_t n = 0;
    if (fstat(out, &sb) == 0 && sb.st_size > 0) {
        n = (size_t)sb.st_size;
        buf = mmap(NULL, n, PROT_READ, MAP_PRIVATE, out, 0);
        if (buf == MAP_FAILED) {
            snprintf(err, len, "--check-ref-cmd: cannot read its output: %s", strerror(errno));
            close(out);
            return OSW_EUSAGE;
        }
    }
    osw_check_found f;
    osw_check_search(c, buf, n, &f);
    if (n)
        munmap(buf, n);
    close(out);
    osw_check_values v;
    char why[200];
    if (osw_check_values_of(&f, &v, why, sizeof(why)) != 0) {
        snprintf(err, len, "--check-ref-cmd '%.80s': %s", cmd, why);
        return OSW_EUSAGE;
    }
    free(c->command);
    c->command = strdup(cmd);
    c->fixed = v;
    c->fixed_kind = "command";
    return 0;
}

int osw_check_fixed(const osw_check *c)
{
    return c->fixed.count > 0;
}

const osw_check_values *osw_check_reference(osw_check *c, const char *key, int threads,
                                            const osw_check_values *got)
{
    if (c->fixed.count > 0)
        return &c->fixed;
    for (size_t i = 0; i < c->nrefs; i++)
        if (strcmp(c->refs[i].key, key) == 0)
            return &c->refs[i].v;
    if (threads != 1)
        return NULL;
    if (c->nrefs == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        struct ref *grown = realloc(c->refs, cap * sizeof(*grown));
        if (!grown)
            return NULL;
        c->refs = grown;
        c->cap = cap;
    }
    char *copy = strdup(key);
    if (!copy)
        return NULL;
    c->refs[c->nrefs].key = copy;
    c->refs[c->nrefs].v = *got;
    return &c->refs[c->nrefs++].v;
}

int osw_check_compare(const osw_check_values *ref, const osw_check_values *got, double rtol,
                      double *rel_err)
{
    if (ref->count != got->count) {
        *rel_err = INFINITY;
        return 0;
    }
    int ok = 1;
    double worst = 0;
    for (int i = 0; i < ref->count; i++) {
        double diff = fabs(got->v[i] - ref->v[i]);
        double e = ref->v[i] != 0 ? diff / fabs(ref->v[i]) : diff;
        double tol = rtol >= 0 ? rtol : ref->integer[i] && got->integer[i] ? 0 : 1e-12;
        if (!(e <= tol))
            ok = 0;
        if (!(e <= worst))
            worst = e;
    }
    *rel_err = worst;
    return ok;
}

double osw_check_rtol(const osw_check *c)
{
    return c->rtol;
}

cJSON *osw_check_json(const osw_check *c)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "regex", c->text);
    if (c->rtol >= 0)
        cJSON_AddNumberToObject(j, "rtol", c->rtol);
    else
        cJSON_AddStringToObject(j, "rtol", "default: exact for integers, else 1e-12");
    cJSON_AddStringToObject(j, "reference", c->fixed.count ? c->fixed_kind : "1-thread");
    if (c->fixed.count)
        cJSON_AddItemToObject(j, "reference_values",
                              cJSON_CreateDoubleArray(c->fixed.v, c->fixed.count));
    if (c->command)
        cJSON_AddStringToObject(j, "reference_command", c->command);
    return j;
}
