/* report.c: `ompsweep report DIR`: one self-contained HTML page,
 * DIR/report/index.html, with the machine and warnings of meta.json, the
 * advice of `ompsweep tune DIR --format json` (this same binary, run as a
 * child process), the summary table and every figure plots/draw-all.sh draws
 * into DIR/report/figures, embedded as base64 SVG data URIs. Every text read
 * from a file is HTML-escaped; the page refers to no other file or URL. A
 * small inline script marks <body> with data-images-loaded and
 * data-images-total once the page has loaded (what the report test reads). */
#define _GNU_SOURCE
#include "commands.h"
#include "csv.h"
#include "error.h"
#include "options.h"
#include "parse.h"
#include "rundir.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef OSW_PLOTS_DIR
#define OSW_PLOTS_DIR ""
#endif

/* Longest tune answer read back (the JSON document). */
#define REPORT_MAX_TUNE (64u << 20)

struct report {
    const char *dir;
    char out[4200];     /* DIR/report */
    char figures[4300]; /* DIR/report/figures */
    osw_table tab;      /* summary.csv */
    cJSON *meta;        /* meta.json, NULL when absent */
    cJSON *tune;        /* tune's JSON, NULL when it gave none */
    char tune_why[200]; /* why tune is NULL */
    char draw_why[600]; /* why no figures were drawn, or "" */
};

static int fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ompsweep report: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return status;
}

/* ---- writing HTML ---- */

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static void base64(FILE *f, const unsigned char *p, size_t len)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < len)
            v |= p[i + 2];
        fputc(abc[(v >> 18) & 63], f);
        fputc(abc[(v >> 12) & 63], f);
        fputc(i + 1 < len ? abc[(v >> 6) & 63] : '=', f);
        fputc(i + 2 < len ? abc[v & 63] : '=', f);
    }
}

/* A table row of two cells: name and the escaped text. */
static void kv(FILE *f, const char *name, const char *text)
{
    fputs("<tr><th>", f);
    esc(f, name);
    fputs("</th><td>", f);
    esc(f, text ? text : "(not recorded)");
    fputs("</td></tr>\n", f);
}

static const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- child processes ---- */

/* Runs argv with stdout to out_fd (or a pipe read into *text when out_fd is
 * -1) and stderr to err_fd. Returns the exit status, 128+N for a signal, or
 * -1 when it could not start. */
static int run_child(char *const argv[], int out_fd, int err_fd, char **text)
{
    int pfd[2] = {-1, -1};
    if (out_fd < 0 && pipe(pfd) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out_fd < 0 ? pfd[1] : out_fd, 1);
        dup2(err_fd, 2);
        if (pfd[0] >= 0)
            close(pfd[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    if (pfd[1] >= 0)
        close(pfd[1]);
    if (pid < 0) {
        if (pfd[0] >= 0)
            close(pfd[0]);
        return -1;
    }
    size_t len = 0, cap = 0;
    char *buf = NULL;
    for (; pfd[0] >= 0;) {
        if (cap - len < 65536 + 1) {
            char *nb = cap < REPORT_MAX_TUNE ? realloc(buf, cap ? 2 * cap : 131072) : NULL;
            if (!nb)
                break;
            buf = nb;
            cap = cap ? 2 * cap : 131072;
        }
        ssize_t got = read(pfd[0], buf + len, 65536);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    if (pfd[0] >= 0)
        close(pfd[0]);
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (text) {
        if (buf)
            buf[len] = '\0';
        *text = buf;
    } else {
        free(buf);
    }
    return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
}

/* `ompsweep tune DIR --format json` into r->tune. */
static void get_tune(struct report *r)
{
    char *argv[] = {"/proc/self/exe", "tune", (char *)r->dir, "--format", "json", NULL};
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    char *text = NULL;
    int st = run_child(argv, -1, null < 0 ? 2 : null, &text);
    if (null >= 0)
        close(null);
    if (st != 0)
        snprintf(r->tune_why, sizeof(r->tune_why),
                 "ompsweep tune gave no advice (exit status %d; run `ompsweep tune %s` to see why)",
                 st, r->dir);
    else if (!text || !cJSON_IsObject(r->tune = cJSON_Parse(text))) {
        cJSON_Delete(r->tune);
        r->tune = NULL;
        snprintf(r->tune_why, sizeof(r->tune_why), "ompsweep tune's answer is not a JSON object");
    }
    free(text);
}

/* The plots directory: the source tree's, else share/ompsweep/plots next to
 * the installed binary. 0 with path set, or -1. */
static int plots_dir(char *path, size_t len)
{
    snprintf(path, len, "%s/draw-all.sh", OSW_PLOTS_DIR);
    if (OSW_PLOTS_DIR[0] && access(path, R_OK) == 0) {
        snprintf(path, len, "%s", OSW_PLOTS_DIR);
        return 0;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
        return -1;
    self[n] = '\0';
    snprintf(path, len, "%s/../share/ompsweep/plots/draw-all.sh", dirname(self));
    if (access(path, R_OK) != 0)
        return -1;
    *strrchr(path, '/') = '\0';
    return 0;
}

/* Empties DIR/report/figures of earlier figures, then runs draw-all.sh into
 * it (its output to figures/draw-all.log). Sets r->draw_why when it drew
 * nothing. */
static void draw(struct report *r)
{
    char plots[4200], script[4300], csv[4300], log[4600];
    DIR *d = opendir(r->figures);
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l > 4 && (!strcmp(e->d_name + l - 4, ".svg") || !strcmp(e->d_name + l - 4, ".png"))) {
            snprintf(log, sizeof(log), "%s/%s", r->figures, e->d_name);
            unlink(log);
        }
    }
    if (d)
        closedir(d);
    if (plots_dir(plots, sizeof(plots))) {
        snprintf(r->draw_why, sizeof(r->draw_why),
                 "the figure scripts (plots/draw-all.sh) were not found");
        return;
    }
    snprintf(script, sizeof(script), "%s/draw-all.sh", plots);
    snprintf(csv, sizeof(csv), "%s/summary.csv", r->dir);
    snprintf(log, sizeof(log), "%s/draw-all.log", r->figures);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    /* draw-all.sh reduces the CSV with `ompsweep plotdata`: this binary's */
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n > 0) {
        self[n] = '\0';
        setenv("OMPSWEEP", self, 1);
    }
    char *argv[] = {"/bin/sh", script, csv, r->figures, NULL};
    int st = fd < 0 ? -1 : run_child(argv, fd, fd, NULL);
    if (fd >= 0)
        close(fd);
    if (st == 0)
        return;
    char *text = NULL;
    size_t len = 0;
    osw_read_file(log, &text, &len);
    const char *tail = text ? text + (len > 400 ? len - 400 : 0) : "";
    snprintf(r->draw_why, sizeof(r->draw_why), "draw-all.sh exited with status %d: %s", st, tail);
    free(text);
}

/* ---- the page's sections ---- */

static void section_machine(FILE *f, const struct report *r)
{
    fputs("<h2>Machine</h2>\n", f);
    if (!r->meta) {
        fputs("<p>No meta.json in the run directory: the machine is not recorded.</p>\n", f);
        return;
    }
    fputs("<table class=\"kv\">\n", f);
    static const char *const keys[] = {"host",           "cpu_model",     "compiler",
                                       "openmp_runtime", "omp_proc_bind", "status"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        kv(f, keys[i], json_str(r->meta, keys[i]));
        if (i == 1) {
            const cJSON *c = cJSON_GetObjectItemCaseSensitive(r->meta, "cores");
            char num[32] = "(not recorded)";
            if (cJSON_IsNumber(c))
                snprintf(num, sizeof(num), "%.0f", c->valuedouble);
            kv(f, "cores", num);
        }
    }
    fputs("<tr><th>command_line</th><td><code>", f);
    const cJSON *arg, *cl = cJSON_GetObjectItemCaseSensitive(r->meta, "command_line");
    int first = 1;
    cJSON_ArrayForEach(arg, cl)
    {
        if (!cJSON_IsString(arg))
            continue;
        fputs(first ? "" : " ", f);
        esc(f, arg->valuestring);
        first = 0;
    }
    fputs("</code></td></tr>\n</table>\n", f);
    fputs("<h2>Warnings of the run</h2>\n", f);
    const cJSON *w, *ws = cJSON_GetObjectItemCaseSensitive(r->meta, "warnings");
    if (cJSON_GetArraySize(ws) == 0)
        fputs("<p>None.</p>\n", f);
    else
        fputs("<ul class=\"warn\">\n", f);
    cJSON_ArrayForEach(w, ws)
    {
        fputs("<li>", f);
        esc(f, cJSON_IsString(w) ? w->valuestring : "?");
        fputs("</li>\n", f);
    }
    if (cJSON_GetArraySize(ws) > 0)
        fputs("</ul>\n", f);
}

/* "2 thread(s), static (default chunk), median 1.2e-05 s" of a tune configuration. */
static void cfg_text(FILE *f, const cJSON *c)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "threads");
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(c, "chunk");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(c, "median_s");
    fprintf(f, "%.0f thread(s), ", cJSON_IsNumber(t) ? t->valuedouble : 0);
    esc(f, json_str(c, "schedule"));
    if (cJSON_IsNumber(ch) && ch->valuedouble > 0)
        fprintf(f, " chunk %.0f", ch->valuedouble);
    else
        fputs(" (default chunk)", f);
    const char *bind = json_str(c, "bind");
    if (bind) {
        fputs(", bind ", f);
        esc(f, bind);
    }
    if (cJSON_IsNumber(m))
        fprintf(f, ", median %.4g s", m->valuedouble);
}

static void advice_group(FILE *f, const cJSON *g)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(g, "n");
    fputs("<div class=\"advice\"><h3>", f);
    esc(f, json_str(g, "kernel"));
    fprintf(f, ", n = %.0f</h3>\n", cJSON_IsNumber(n) ? n->valuedouble : 0);
    const cJSON *fastest = cJSON_GetObjectItemCaseSensitive(g, "fastest");
    if (!cJSON_IsObject(fastest)) {
        fputs("<p>No verified configuration to recommend.</p></div>\n", f);
        return;
    }
    fputs("<pre class=\"export\">", f);
    esc(f, json_str(g, "export"));
    fputs("</pre>\n<p>Fastest: ", f);
    cfg_text(f, fastest);
    fputs(".</p>\n", f);
    const cJSON *c, *tied = cJSON_GetObjectItemCaseSensitive(g, "tied");
    if (cJSON_GetArraySize(tied) == 0)
        fputs("<p>Tied with the fastest: none.</p>\n", f);
    else {
        fprintf(f, "<p>Tied with the fastest (%d, by ", cJSON_GetArraySize(tied));
        esc(f, json_str(g, "tie_method"));
        fputs("):</p>\n<ul>\n", f);
    }
    cJSON_ArrayForEach(c, tied)
    {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(c, "p_value");
        fputs("<li>", f);
        cfg_text(f, cJSON_GetObjectItemCaseSensitive(c, "config"));
        if (cJSON_IsNumber(p))
            fprintf(f, ", p = %.3g", p->valuedouble);
        fputs("</li>\n", f);
    }
    if (cJSON_GetArraySize(tied) > 0)
        fputs("</ul>\n", f);
    const char *note = json_str(g, "schedule_note");
    if (note) {
        fputs("<p class=\"note\">", f);
        esc(f, note);
        fputs("</p>\n", f);
    }
    fputs("</div>\n", f);
}

static void section_advice(FILE *f, const struct report *r)
{
    fputs("<h2>Advice (ompsweep tune)</h2>\n", f);
    if (!r->tune) {
        fputs("<p>", f);
        esc(f, r->tune_why);
        fputs("</p>\n", f);
        return;
    }
    const cJSON *w, *ws = cJSON_GetObjectItemCaseSensitive(r->tune, "warnings");
    if (cJSON_GetArraySize(ws) > 0) {
        fputs("<p>Tune's warnings:</p>\n<ul class=\"warn\">\n", f);
        cJSON_ArrayForEach(w, ws)
        {
            fputs("<li>", f);
            esc(f, cJSON_IsString(w) ? w->valuestring : "?");
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    const cJSON *g, *gs = cJSON_GetObjectItemCaseSensitive(r->tune, "kernels");
    cJSON_ArrayForEach(g, gs) advice_group(f, g);
}

/* A number cell: %.4g, or a dash when not available. */
static void num_cell(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "<td>%.4g</td>", v);
    else
        fputs("<td>&ndash;</td>", f);
}

static void section_summary(FILE *f, const struct report *r)
{
    fputs("<h2>Summary</h2>\n<table class=\"summary\">\n<tr><th>kernel</th><th>n</th>"
          "<th>threads</th><th>schedule</th><th>chunk</th><th>median (s)</th>"
          "<th>95% CI (s)</th><th>GB/s</th><th>speedup</th><th>verified</th></tr>\n",
          f);
    char err[256];
    for (size_t i = 0; i < r->tab.nrows; i++) {
        osw_row row;
        if (osw_row_from_table(&r->tab, i, &row, err))
            continue; /* checked in load_summary */
        fputs("<tr><td>", f);
        esc(f, row.kernel);
        fprintf(f, "</td><td>%zu</td><td>%d</td><td>", row.n, row.threads);
        esc(f, row.schedule);
        fprintf(f, "</td><td>%d</td>", row.chunk);
        num_cell(f, row.median_s);
        if (isfinite(row.ci_lo_s) && isfinite(row.ci_hi_s))
            fprintf(f, "<td>%.4g &ndash; %.4g</td>", row.ci_lo_s, row.ci_hi_s);
        else
            fputs("<td>&ndash;</td>", f);
        num_cell(f, row.gbps_median);
        num_cell(f, row.speedup);
        fprintf(f, "<td>%s</td></tr>\n", row.verified ? "yes" : "<b>no</b>");
    }
    fputs("</table>\n", f);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One figure: an <img> with the SVG as a base64 data URI, and its name. */
static void figure(FILE *f, const char *dir, const char *name)
{
    char path[4600];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    char *svg = NULL;
    size_t len = 0;
    if (osw_read_file(path, &svg, &len))
        return;
    fputs("<figure><img alt=\"", f);
    esc(f, name);
    fputs("\" src=\"data:image/svg+xml;base64,", f);
    base64(f, (const unsigned char *)svg, len);
    fputs("\"><figcaption>", f);
    esc(f, name);
    fputs("</figcaption></figure>\n", f);
    free(svg);
}

static void section_figures(FILE *f, const struct report *r)
{
    fputs("<h2>Figures</h2>\n", f);
    char **names = NULL;
    size_t n = 0;
    DIR *d = opendir(r->figures);
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l <= 4 || strcmp(e->d_name + l - 4, ".svg") != 0)
            continue;
        char **nn = realloc(names, (n + 1) * sizeof(*names));
        if (!nn || !(nn[n] = strdup(e->d_name))) {
            names = nn ? nn : names;
            break;
        }
        names = nn;
        n++;
    }
    if (d)
        closedir(d);
    if (r->draw_why[0]) {
        fputs(n ? "<p>Some figures were not drawn: " : "<p>No figures were drawn: ", f);
        esc(f, r->draw_why);
        fputs("</p>\n", f);
    } else if (!n) {
        fputs("<p>No figures were drawn: draw-all.sh found nothing to draw.</p>\n", f);
    }
    if (n)
        qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n; i++) {
        figure(f, r->figures, names[i]);
        free(names[i]);
    }
    free(names);
}

/* ---- the page ---- */

static const char page_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>ompsweep report</title>\n<style>\n"
    "body{font-family:sans-serif;margin:1.5em;max-width:80em}\n"
    "table{border-collapse:collapse;margin:.5em 0}\n"
    "th,td{border:1px solid #bbb;padding:.15em .5em;text-align:left}\n"
    "table.summary td{text-align:right}\n"
    "table.summary td:nth-child(1),table.summary td:nth-child(4){text-align:left}\n"
    "pre.export{background:#f3f3f3;padding:.4em;white-space:pre-wrap}\n"
    "ul.warn li{color:#8a4b00}\n"
    "div.advice{border-left:3px solid #47a;padding-left:.8em;margin:1em 0}\n"
    "figure{display:inline-block;margin:.5em;vertical-align:top}\n"
    "figure img{width:38em;max-width:100%}\n"
    "</style>\n"
    "<script>\n"
    "window.addEventListener('load', function () {\n"
    "  var imgs = document.images, ok = 0;\n"
    "  for (var i = 0; i < imgs.length; i++)\n"
    "    if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;\n"
    "  document.body.setAttribute('data-images-loaded', String(ok));\n"
    "  document.body.setAttribute('data-images-total', String(imgs.length));\n"
    "});\n"
    "</script>\n</head>\n<body>\n";

static void write_page(FILE *f, const struct report *r)
{
    fputs(page_head, f);
    fputs("<h1>ompsweep report: ", f);
    esc(f, r->dir);
    fputs("</h1>\n", f);
    section_machine(f, r);
    section_advice(f, r);
    section_summary(f, r);
    section_figures(f, r);
    fputs("</body>\n</html>\n", f);
}

/* summary.csv (required, every row checked) and meta.json (optional). */
static int load(struct report *r)
{
    char path[4200], err[256] = "";
    struct stat st;
    if (stat(r->dir, &st) != 0)
        return fail(OSW_EXIT_USAGE, "%s: %s", r->dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return fail(OSW_EXIT_USAGE, "%s: not a directory", r->dir);
    snprintf(path, sizeof(path), "%s/summary.csv", r->dir);
    int rc = osw_csv_read(path, &r->tab, err);
    if (rc == -ENOENT)
        return fail(OSW_EXIT_USAGE, "%s: missing (not a run directory?)", path);
    if (rc)
        return fail(rc == -ENOMEM ? OSW_EXIT_RESOURCE : OSW_EXIT_USAGE, "%s",
                    err[0] ? err : osw_strerror(rc));
    if (osw_table_require_summary(&r->tab, err))
        return fail(OSW_EXIT_USAGE, "%s: %s", path, err);
    for (size_t i = 0; i < r->tab.nrows; i++) {
        osw_row row;
        if (osw_row_from_table(&r->tab, i, &row, err))
            return fail(OSW_EXIT_USAGE, "%s", err);
    }
    snprintf(path, sizeof(path), "%s/meta.json", r->dir);
    char *buf;
    size_t len;
    rc = osw_read_file(path, &buf, &len);
    if (rc == -ENOENT)
        return 0;
    if (rc)
        return fail(OSW_EXIT_USAGE, "%s: %s", path, strerror(-rc));
    r->meta = cJSON_ParseWithLength(buf, len);
    free(buf);
    if (!cJSON_IsObject(r->meta))
        return fail(OSW_EXIT_USAGE, "%s: not a JSON object", path);
    return 0;
}

/* Writes DIR/report/index.html through a temporary file. */
static int write_report(struct report *r)
{
    char tmp[4400], final[4400];
    snprintf(tmp, sizeof(tmp), "%s/index.html.tmp", r->out);
    snprintf(final, sizeof(final), "%s/index.html", r->out);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return fail(OSW_EXIT_RESOURCE, "%s: %s", tmp, strerror(errno));
    write_page(f, r);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        int e = errno;
        unlink(tmp);
        return fail(OSW_EXIT_RESOURCE, "%s: %s", tmp, strerror(bad ? EIO : e));
    }
    if (rename(tmp, final) != 0) {
        int e = errno;
        unlink(tmp);
        return fail(OSW_EXIT_RESOURCE, "%s: %s", final, strerror(e));
    }
    printf("%s\n", final);
    return OSW_EXIT_OK;
}

int osw_cmd_report(int argc, char **argv)
{
    osw_args a;
    char err[OSW_ERRLEN];
    int status = osw_args_parse(OSW_CMD_REPORT, argc, argv, &a, err, sizeof(err));
    if (status == OSW_ARGS_HELP) {
        osw_usage(OSW_CMD_REPORT, stdout);
        return OSW_EXIT_OK;
    }
    if (status) {
        fprintf(stderr, "ompsweep report: %s (see ompsweep report --help)\n", err);
        return status;
    }
    struct report r;
    memset(&r, 0, sizeof(r));
    r.dir = a.operands[0];
    if ((status = load(&r)))
        goto out;
    snprintf(r.out, sizeof(r.out), "%s/report", r.dir);
    snprintf(r.figures, sizeof(r.figures), "%s/figures", r.out);
    if ((mkdir(r.out, 0777) != 0 && errno != EEXIST) ||
        (mkdir(r.figures, 0777) != 0 && errno != EEXIST)) {
        status = fail(OSW_EXIT_RESOURCE, "cannot create %s: %s", r.figures, strerror(errno));
        goto out;
    }
    get_tune(&r);
    draw(&r);
    status = write_report(&r);
out:
    osw_table_free(&r.tab);
    cJSON_Delete(r.meta);
    cJSON_Delete(r.tune);
    return status;
}
