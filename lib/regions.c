/* regions.c: per-region profiles (see regions.h). */
#define _GNU_SOURCE
#include "regions.h"
#include "csv.h"
#include "error.h"
#include "parse.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef OSW_HAVE_LIBDW
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#endif

const char osw_regions_header[] =
    "kernel,n,threads,schedule,chunk,runtime,env,region,function,binary,vaddr,calls,total_s,"
    "per_call_s,share,team_req,team_ran,team_smaller,imbalance,barrier_s,work,nested,program_s,"
    "serial_s,runs";

void osw_regions_free(osw_regions *r)
{
    free(r->v);
    memset(r, 0, sizeof(*r));
}

/* The value of " key=" in line (up to the next space; module: to the end),
 * or NULL. */
static const char *field(const char *line, const char *key, size_t *len)
{
    size_t kl = strlen(key);
    for (const char *p = line; (p = strstr(p, key));) {
        if ((p == line || p[-1] == ' ') && p[kl] == '=') {
            const char *v = p + kl + 1;
            *len = strcmp(key, "module") == 0 ? strcspn(v, "\n") : strcspn(v, " \n");
            return v;
        }
        p += kl;
    }
    return NULL;
}

static int num_field(const char *line, const char *key, double *out)
{
    size_t len;
    const char *v = field(line, key, &len);
    if (!v || !len)
        return -1;
    char buf[64], *end;
    if (len >= sizeof(buf))
        return -1;
    memcpy(buf, v, len);
    buf[len] = '\0';
    *out = strtod(buf, &end);
    return *end || !isfinite(*out) ? -1 : 0;
}

/* Adds one region line of a block into r (sums; divided by the runs at the
 * end). Returns 0, OSW_EFORMAT or -ENOMEM. */
static int add_region(osw_regions *r, const char *line)
{
    static const char *const keys[] = {"vaddr",        "calls",        "total_s",     "team_req",
                                       "team_ran_min", "team_ran_max", "threads",     "task_s",
                                       "barrier_s",    "busy_max_s",   "busy_mean_s", "nested"};
    enum {
        K_VADDR,
        K_CALLS,
        K_TOTAL,
        K_REQ,
        K_MIN,
        K_MAX,
        K_THREADS,
        K_TASK,
        K_BARRIER,
        K_BMAX,
        K_BMEAN,
        K_NESTED,
        K_COUNT
    };
    double v[K_COUNT];
    size_t mlen, wlen, vlen;
    const char *module = field(line, "module", &mlen), *work = field(line, "work", &wlen);
    const char *vtext = field(line, "vaddr", &vlen);
    if (!module || !work || !vtext)
        return OSW_EFORMAT;
    for (int k = 1; k < K_COUNT; k++)
        if (num_field(line, keys[k], &v[k]) != 0)
            return OSW_EFORMAT;
    char *end;
    unsigned long long vaddr = strtoull(vtext, &end, 16);
    if (end != vtext + vlen)
        return OSW_EFORMAT;
    osw_region *g = NULL;
    for (size_t i = 0; i < r->n && !g; i++)
        if (r->v[i].vaddr == vaddr && strlen(r->v[i].module) == mlen &&
            strncmp(r->v[i].module, module, mlen) == 0)
            g = &r->v[i];
    if (!g) {
        osw_region *nv = realloc(r->v, (r->n + 1) * sizeof(*nv));
        if (!nv)
            return -ENOMEM;
        r->v = nv;
        g = &r->v[r->n++];
        memset(g, 0, sizeof(*g));
        snprintf(g->module, sizeof(g->module), "%.*s", (int)mlen, module);
        g->vaddr = vaddr;
        snprintf(g->work, sizeof(g->work), "%.*s", (int)wlen, work);
    }
    g->calls += v[K_CALLS];
    g->total_s += v[K_TOTAL];
    if ((int)v[K_REQ] > g->team_req)
        g->team_req = (int)v[K_REQ];
    if (v[K_MIN] > 0 && (!g->team_ran_min || (int)v[K_MIN] < g->team_ran_min))
        g->team_ran_min = (int)v[K_MIN];
    if ((int)v[K_MAX] > g->team_ran_max)
        g->team_ran_max = (int)v[K_MAX];
    g->threads += v[K_THREADS];
    g->task_s += v[K_TASK];
    g->barrier_raw_s += v[K_BARRIER];
    g->busy_max_s += v[K_BMAX];
    g->busy_mean_s += v[K_BMEAN];
    g->nested |= v[K_NESTED] != 0;
    if (strcmp(g->work, "-") == 0 && !(wlen == 1 && work[0] == '-'))
        snprintf(g->work, sizeof(g->work), "%.*s", (int)wlen, work);
    return 0;
}

int osw_regions_read(const char *path, int last, osw_regions *r, char *err)
{
    memset(r, 0, sizeof(*r));
    char *text = NULL;
    size_t len = 0;
    int rc = osw_read_file(path, &text, &len);
    if (rc) {
        snprintf(err, OSW_ERRLEN, "cannot read the region profile '%.200s': %s", path,
                 strerror(-rc));
        return rc;
    }
    /* The blocks: count them, then read the last `last`. */
    int blocks = 0;
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        blocks += strncmp(p, "osw_ompt ", 9) == 0;
    int skip = last > 0 && blocks > last ? blocks - last : 0, block = 0, in = 0;
    size_t lineno = 0;
    for (char *p = text; p && *p; lineno++) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (strncmp(p, "osw_ompt ", 9) == 0) {
            in = block++ >= skip;
            if (in) {
                double wall = 0, dropped = 0;
                if (strncmp(p, "osw_ompt 1 ", 11) != 0 || num_field(p, "wall_s", &wall) != 0 ||
                    num_field(p, "dropped", &dropped) != 0) {
                    rc = OSW_EFORMAT;
                    break;
                }
                r->runs++;
                r->wall_s += wall;
                r->dropped += (unsigned long long)dropped;
            }
        } else if (strncmp(p, "region ", 7) == 0) {
            if (in && (rc = add_region(r, p)) != 0)
                break;
        } else if (strcmp(p, "end") != 0 && *p) {
            rc = OSW_EFORMAT;
            break;
        }
        p = nl ? nl + 1 : NULL;
    }
    free(text);
    if (rc) {
        snprintf(err, OSW_ERRLEN, "%.200s:%zu: %s", path, lineno + 1,
                 rc == -ENOMEM ? "out of memory" : "not a line the OMPT tool writes");
        osw_regions_free(r);
        return rc;
    }
    if (r->runs > 1) {
        double k = r->runs;
        r->wall_s /= k;
        for (size_t i = 0; i < r->n; i++) {
            osw_region *g = &r->v[i];
            g->calls /= k;
            g->total_s /= k;
            g->threads /= k;
            g->task_s /= k;
            g->barrier_raw_s /= k;
            g->busy_max_s /= k;
            g->busy_mean_s /= k;
        }
    }
    return 0;
}

static void unmapped(osw_region *g)
{
    const char *base = strrchr(g->module, '/');
    snprintf(g->where, sizeof(g->where), "%s+0x%llx", base ? base + 1 : g->module, g->vaddr);
}

#ifdef OSW_HAVE_LIBDW
static const Dwfl_Callbacks offline_callbacks = {
    .find_elf = dwfl_build_id_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = dwfl_offline_section_address,
};

/* The source line of addr from the compile units' own address ranges:
 * clang does not write .debug_aranges (without -gdwarf-aranges), and
 * libdw's lookup by address needs them. */
static const char *line_by_cu(Dwfl_Module *mod, Dwarf_Addr addr, int *lineno)
{
    Dwarf_Die *cu = NULL;
    Dwarf_Addr bias;
    while ((cu = dwfl_module_nextcu(mod, cu, &bias))) {
        if (dwarf_haspc(cu, addr - bias) != 1)
            continue;
        Dwarf_Line *line = dwarf_getsrc_die(cu, addr - bias);
        if (line && dwarf_lineno(line, lineno) == 0)
            return dwarf_linesrc(line, NULL, NULL);
        return NULL;
    }
    return NULL;
}

/* Maps the regions of one module (those with its name, from index i on). */
static void map_module(osw_regions *r, size_t first)
{
    const char *module = r->v[first].module;
    Dwfl *dwfl = dwfl_begin(&offline_callbacks);
    Dwfl_Module *mod = NULL;
    if (dwfl) {
        dwfl_report_begin(dwfl);
        /* Base 0 with the segments' own addresses: the module sits at the
         * addresses of its file, the terms of the tool's vaddr. */
        mod = dwfl_report_elf(dwfl, module, module, -1, 0, true);
        dwfl_report_end(dwfl, NULL, NULL);
    }
    for (size_t i = first; i < r->n; i++) {
        osw_region *g = &r->v[i];
        if (strcmp(g->module, module) != 0 || g->where[0])
            continue;
        unmapped(g);
        if (!mod || g->vaddr == 0)
            continue;
        Dwarf_Addr call = (Dwarf_Addr)g->vaddr - 1; /* inside the call, not after it */
        const char *fn = dwfl_module_addrname(mod, call);
        if (fn)
            snprintf(g->function, sizeof(g->function), "%s", fn);
        Dwfl_Line *line = dwfl_module_getsrc(mod, call);
        int lineno = 0;
        const char *src = line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL)
                               : line_by_cu(mod, call, &lineno);
        if (src && lineno > 0)
            snprintf(g->where, sizeof(g->where), "%s:%d", src, lineno);
    }
    if (dwfl)
        dwfl_end(dwfl);
}
#endif

void osw_regions_map(osw_regions *r)
{
    for (size_t i = 0; i < r->n; i++)
        r->v[i].where[0] = '\0';
#ifdef OSW_HAVE_LIBDW
    for (size_t i = 0; i < r->n; i++)
        if (!r->v[i].where[0])
            map_module(r, i);
#else
    for (size_t i = 0; i < r->n; i++)
        unmapped(&r->v[i]);
#endif
}

static int by_total(const void *a, const void *b)
{
    double x = ((const osw_region *)a)->total_s, y = ((const osw_region *)b)->total_s;
    return (x < y) - (x > y);
}

void osw_regions_sort(osw_regions *r)
{
    if (r->n > 1)
        qsort(r->v, r->n, sizeof(*r->v), by_total);
}

/* A CSV cell, quoted when it holds a comma, a quote or a line end. */
static void cell(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void number(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, ",%.9g", v);
    else
        fputc(',', f);
}

int osw_regions_write(FILE *f, const osw_regions_key *key, const osw_regions *r)
{
    double in_regions = 0;
    for (size_t i = 0; i < r->n; i++)
        if (!r->v[i].nested)
            in_regions += r->v[i].total_s;
    double serial = r->wall_s - in_regions;
    if (serial < 0)
        serial = 0;
    for (size_t i = 0; i < r->n; i++) {
        const osw_region *g = &r->v[i];
        cell(f, key->kernel);
        fprintf(f, ",%zu,%d,", key->n, key->threads);
        cell(f, key->schedule);
        fprintf(f, ",%d,", key->chunk);
        cell(f, key->runtime);
        fputc(',', f);
        cell(f, key->env ? key->env : "");
        fputc(',', f);
        cell(f, g->where);
        fputc(',', f);
        cell(f, g->function);
        fputc(',', f);
        cell(f, g->module);
        fprintf(f, ",0x%llx", g->vaddr);
        number(f, g->calls);
        number(f, g->total_s);
        number(f, g->calls > 0 ? g->total_s / g->calls : NAN);
        number(f, r->wall_s > 0 ? g->total_s / r->wall_s : NAN);
        fprintf(f, ",%d,%d,%d", g->team_req, g->team_ran_min,
                g->team_ran_min > 0 && g->team_ran_min < g->team_req);
        number(f, g->busy_max_s > 0 ? (g->busy_max_s - g->busy_mean_s) / g->busy_max_s : NAN);
        double wait = g->total_s - g->busy_mean_s;
        number(f, g->threads > 0 ? (wait > 0 ? wait : 0) : NAN);
        fputc(',', f);
        cell(f, g->work);
        fprintf(f, ",%d", g->nested);
        number(f, r->wall_s);
        number(f, serial);
        fprintf(f, ",%d\n", r->runs);
    }
    return ferror(f) ? -EIO : 0;
}

/* ---- regions.csv read back ---- */

/* Splits one CSV record at *p (quoted cells: "" is a quote) into cells
 * (pointers into the buffer, unquoted in place); *p moves past its line
 * end. Returns the number of cells (at most max), or -1 for a quote that
 * does not close. */
static int split_record(char **p, char **cells, int max)
{
    int n = 0;
    char *s = *p;
    for (;;) {
        char *out = s, *start = s;
        if (*s == '"') {
            s++;
            for (;;) {
                if (!*s)
                    return -1;
                if (*s == '"' && s[1] == '"') {
                    *out++ = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    *out++ = *s++;
                }
            }
        } else {
            while (*s && *s != ',' && *s != '\n' && *s != '\r')
                *out++ = *s++;
        }
        char end = *s;
        if (n < max)
            cells[n] = start;
        n++;
        if (end == ',') {
            *out = '\0';
            s++;
            continue;
        }
        if (end == '\r' && s[1] == '\n')
            s++;
        if (end)
            s++;
        *out = '\0';
        *p = s;
        return n < max ? n : max;
    }
}

int osw_regions_csv_read(const char *path, osw_region_row **rows, size_t *nrows, char *err)
{
    static const char *const names[] = {
        "kernel", "n",       "threads",  "schedule",  "chunk",  "env",       "region",  "function",
        "calls",  "total_s", "team_ran", "imbalance", "nested", "program_s", "serial_s"};
    enum {
        C_KERNEL,
        C_N,
        C_THREADS,
        C_SCHED,
        C_CHUNK,
        C_ENV,
        C_REGION,
        C_FUNCTION,
        C_CALLS,
        C_TOTAL,
        C_TEAM,
        C_IMB,
        C_NESTED,
        C_PROGRAM,
        C_SERIAL,
        C_COUNT
    };
    enum { MAX_CELLS = 64 };
    *rows = NULL;
    *nrows = 0;
    char *text = NULL;
    size_t len = 0;
    int rc = osw_read_file(path, &text, &len);
    if (rc) {
        snprintf(err, OSW_ERRLEN, "%.200s: %s", path, strerror(-rc));
        return rc;
    }
    char *p = text, *cells[MAX_CELLS];
    int col[C_COUNT], nh = split_record(&p, cells, MAX_CELLS);
    size_t line = 1, cap = 0;
    for (int c = 0; c < C_COUNT; c++) {
        col[c] = -1;
        for (int h = 0; h < nh; h++)
            if (strcmp(cells[h], names[c]) == 0)
                col[c] = h;
        if (col[c] < 0) {
            snprintf(err, OSW_ERRLEN, "%.200s:1: no column '%s'", path, names[c]);
            rc = OSW_EFORMAT;
            goto done;
        }
    }
    while (*p) {
        line++;
        int nc = split_record(&p, cells, MAX_CELLS);
        if (nc != nh) {
            snprintf(err, OSW_ERRLEN, "%.200s:%zu: %d cells, the header has %d", path, line,
                     nc < 0 ? 0 : nc, nh);
            rc = OSW_EFORMAT;
            goto done;
        }
        if (*nrows == cap) {
            cap = cap ? 2 * cap : 64;
            osw_region_row *nr = realloc(*rows, cap * sizeof(*nr));
            if (!nr) {
                rc = -ENOMEM;
                snprintf(err, OSW_ERRLEN, "out of memory");
                goto done;
            }
            *rows = nr;
        }
        osw_region_row *r = &(*rows)[*nrows];
        memset(r, 0, sizeof(*r));
        snprintf(r->kernel, sizeof(r->kernel), "%s", cells[col[C_KERNEL]]);
        snprintf(r->schedule, sizeof(r->schedule), "%s", cells[col[C_SCHED]]);
        snprintf(r->env, sizeof(r->env), "%s", cells[col[C_ENV]]);
        snprintf(r->region, sizeof(r->region), "%s", cells[col[C_REGION]]);
        snprintf(r->function, sizeof(r->function), "%s", cells[col[C_FUNCTION]]);
        const int num[] = {C_N,    C_THREADS, C_CHUNK,  C_CALLS,   C_TOTAL,
                           C_TEAM, C_IMB,     C_NESTED, C_PROGRAM, C_SERIAL};
        double v[C_COUNT];
        for (size_t k = 0; k < sizeof(num) / sizeof(num[0]); k++) {
            const char *cell = cells[col[num[k]]];
            char *end;
            v[num[k]] = *cell ? strtod(cell, &end) : NAN;
            int bad = *cell ? (*end || !isfinite(v[num[k]]) || v[num[k]] < 0) : num[k] != C_IMB;
            if (bad) {
                snprintf(err, OSW_ERRLEN, "%.200s:%zu: column %s: '%.40s' is not a number", path,
                         line, names[num[k]], cell);
                rc = OSW_EFORMAT;
                goto done;
            }
        }
        if (!r->kernel[0] || v[C_THREADS] < 1) {
            snprintf(err, OSW_ERRLEN, "%.200s:%zu: no kernel or threads", path, line);
            rc = OSW_EFORMAT;
            goto done;
        }
        r->n = (size_t)v[C_N];
        r->threads = (int)v[C_THREADS];
        r->chunk = (int)v[C_CHUNK];
        r->calls = v[C_CALLS];
        r->total_s = v[C_TOTAL];
        r->team_ran = (int)v[C_TEAM];
        r->imbalance = v[C_IMB];
        r->nested = v[C_NESTED] != 0;
        r->program_s = v[C_PROGRAM];
        r->serial_s = v[C_SERIAL];
        (*nrows)++;
    }
done:
    free(text);
    if (rc) {
        free(*rows);
        *rows = NULL;
        *nrows = 0;
    }
    return rc;
}

/* ---- curves of one program (tune, plotdata) ---- */

/* Whether row r belongs to the group (kernel without its @BIND tag, n). */
int osw_regions_in_group(const osw_region_row *r, const char *base, size_t n)
{
    size_t bl = strlen(base);
    return r->n == n && strncmp(r->kernel, base, bl) == 0 &&
           (r->kernel[bl] == '\0' || r->kernel[bl] == '@');
}

/* The sorted distinct thread counts of the group's rows into t (at most
 * max). Returns their number. */
int osw_regions_threads(const osw_region_row *rows, size_t n, const char *base, size_t size, int *t,
                        int max)
{
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!osw_regions_in_group(&rows[i], base, size))
            continue;
        int j = 0;
        while (j < k && t[j] != rows[i].threads)
            j++;
        if (j == k && k < max)
            t[k++] = rows[i].threads;
    }
    for (int a = 1; a < k; a++)
        for (int b = a; b > 0 && t[b - 1] > t[b]; b--) {
            int x = t[b];
            t[b] = t[b - 1];
            t[b - 1] = x;
        }
    return k;
}

/* The best (smallest) total_s of region at threads over the group's
 * configurations, NAN when not measured; *row gets that row. */
double osw_regions_best_time(const osw_region_row *rows, size_t n, const char *base, size_t size,
                             const char *region, int threads, const osw_region_row **row)
{
    double best = NAN;
    for (size_t i = 0; i < n; i++) {
        const osw_region_row *r = &rows[i];
        if (osw_regions_in_group(r, base, size) && r->threads == threads &&
            strcmp(r->region, region) == 0 && (isnan(best) || r->total_s < best)) {
            best = r->total_s;
            *row = r;
        }
    }
    return best;
}

/* The best program_s and its serial_s at threads. */
double osw_regions_best_program(const osw_region_row *rows, size_t n, const char *base, size_t size,
                                int threads, double *serial)
{
    double best = NAN;
    for (size_t i = 0; i < n; i++) {
        const osw_region_row *r = &rows[i];
        if (osw_regions_in_group(r, base, size) && r->threads == threads &&
            (isnan(best) || r->program_s < best)) {
            best = r->program_s;
            *serial = r->serial_s;
        }
    }
    return best;
}

/* ---- plotdata's regions tables ---- */

/* Regions drawn by name per figure; the others are summed as "other". */
#define REGIONS_DRAWN 8

/* A gnuplot string literal of s into f: double-quoted, \ and " escaped. */
static void gp_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
    }
    fputc('"', f);
}

/* A file name's word for base: [A-Za-z0-9._-], others as '_'. */
static void file_word(const char *base, char *out, size_t len)
{
    size_t w = 0;
    for (; *base && w + 1 < len; base++)
        out[w++] = (*base >= 'a' && *base <= 'z') || (*base >= 'A' && *base <= 'Z') ||
                           (*base >= '0' && *base <= '9') || *base == '.' || *base == '-'
                       ? *base
                       : '_';
    out[w] = '\0';
}

/* One program's table: the regions' names into names (their count into
 * *nreg, the drawn ones first by time at the smallest thread count, then
 * "other" when some were summed). Returns 0 or -errno. */
static int program_table(const osw_region_row *rows, size_t n, const char *base, size_t size,
                         const char *path, char names[][160], int *nreg)
{
    enum { MAX_T = 64, MAX_R = 256 };
    int t[MAX_T];
    int nt = osw_regions_threads(rows, n, base, size, t, MAX_T);
    const char *reg[MAX_R];
    double first[MAX_R];
    int nr = 0;
    for (size_t i = 0; i < n && nr < MAX_R; i++) {
        if (!osw_regions_in_group(&rows[i], base, size) || rows[i].nested)
            continue;
        int seen = 0;
        for (int j = 0; j < nr && !seen; j++)
            seen = strcmp(reg[j], rows[i].region) == 0;
        if (seen)
            continue;
        const osw_region_row *b = NULL;
        reg[nr] = rows[i].region;
        first[nr] = osw_regions_best_time(rows, n, base, size, rows[i].region, t[0], &b);
        nr++;
    }
    /* largest first at the smallest thread count (insertion sort: few) */
    for (int a = 1; a < nr; a++)
        for (int b = a; b > 0 && !(first[b - 1] >= first[b]); b--) {
            const char *r = reg[b];
            double v = first[b];
            reg[b] = reg[b - 1];
            first[b] = first[b - 1];
            reg[b - 1] = r;
            first[b - 1] = v;
        }
    int drawn = nr < REGIONS_DRAWN ? nr : REGIONS_DRAWN, other = nr > drawn;
    FILE *f = fopen(path, "w");
    if (!f)
        return -errno;
    fprintf(f, "# threads serial_s");
    for (int r = 0; r < drawn; r++)
        fprintf(f, " region%d_s", r + 1);
    fprintf(f, "%s\n", other ? " other_s" : "");
    for (int k = 0; k < nt; k++) {
        double serial = NAN;
        osw_regions_best_program(rows, n, base, size, t[k], &serial);
        fprintf(f, "%d %.9g", t[k], serial);
        double rest = 0;
        for (int r = 0; r < nr; r++) {
            const osw_region_row *b = NULL;
            double v = osw_regions_best_time(rows, n, base, size, reg[r], t[k], &b);
            if (r < drawn)
                fprintf(f, " %.9g", isnan(v) ? 0.0 : v);
            else if (!isnan(v))
                rest += v;
        }
        if (other)
            fprintf(f, " %.9g", rest);
        fputc('\n', f);
    }
    for (int r = 0; r < drawn; r++) { /* one block per region: its speedup */
        const osw_region_row *b = NULL;
        double t1 = t[0] == 1 ? osw_regions_best_time(rows, n, base, size, reg[r], 1, &b) : NAN;
        fprintf(f, "\n\n# region %d: threads speedup\n", r + 1);
        for (int k = 0; k < nt; k++) {
            double v = osw_regions_best_time(rows, n, base, size, reg[r], t[k], &b);
            fprintf(f, "%d %.9g\n", t[k], t1 > 0 && v > 0 ? t1 / v : NAN);
        }
    }
    for (int r = 0; r < drawn; r++) {
        const osw_region_row *b = NULL;
        osw_regions_best_time(rows, n, base, size, reg[r], t[0], &b);
        const char *slash = strrchr(reg[r], '/'); /* file:line without its folder */
        snprintf(names[r], 160, "%.100s%s%.50s", slash ? slash + 1 : reg[r],
                 b && b->function[0] ? " " : "", b ? b->function : "");
    }
    if (other)
        snprintf(names[drawn], 160, "other regions (%d)", nr - drawn);
    *nreg = drawn + other;
    return fclose(f) == 0 ? 0 : -errno;
}

int osw_regions_tables(const char *regions_csv, const char *tabledir, const char *label, char *err)
{
    osw_region_row *rows = NULL;
    size_t n = 0;
    int rc = osw_regions_csv_read(regions_csv, &rows, &n, err);
    if (rc)
        return rc;
    /* the programs: distinct (kernel, n) */
    size_t *first = malloc((n ? n : 1) * sizeof(*first)), nprog = 0;
    char(*names)[160] = calloc((n ? n : 1) * (REGIONS_DRAWN + 1), sizeof(*names));
    int *nreg = calloc(n ? n : 1, sizeof(*nreg));
    if (!first || !names || !nreg) {
        free(first), free(names), free(nreg), free(rows);
        return -ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t j = 0; j < nprog && !seen; j++)
            seen =
                rows[first[j]].n == rows[i].n && strcmp(rows[first[j]].kernel, rows[i].kernel) == 0;
        if (!seen)
            first[nprog++] = i;
    }
    char path[4400], word[64];
    for (size_t p = 0; p < nprog && rc == 0; p++) {
        const osw_region_row *r = &rows[first[p]];
        file_word(r->kernel, word, sizeof(word));
        snprintf(path, sizeof(path), "%s/regions-%s-%zu.dat", tabledir, word, r->n);
        rc = program_table(rows, n, r->kernel, r->n, path, &names[p * (REGIONS_DRAWN + 1)],
                           &nreg[p]);
        if (rc)
            snprintf(err, OSW_ERRLEN, "%.300s: %s", path, strerror(-rc));
    }
    snprintf(path, sizeof(path), "%s/regions.gp", tabledir);
    FILE *f = rc == 0 ? fopen(path, "w") : NULL;
    if (rc == 0 && !f) {
        rc = -errno;
        snprintf(err, OSW_ERRLEN, "%.300s: %s", path, strerror(-rc));
    }
    if (f) {
        fprintf(
            f, "# ompsweep plotdata: the regions figures (docs/plots.md)\npd_kind = \"regions\"\n");
        fprintf(f, "pd_label = ");
        gp_string(f, label ? label : "");
        fprintf(f, "\npd_nfig = %zu\n", nprog);
        size_t total = 0;
        for (size_t p = 0; p < nprog; p++)
            total += (size_t)nreg[p];
        fprintf(f,
                "array pd_kernel[%zu]\narray pd_n[%zu]\narray pd_data[%zu]\narray pd_nreg[%zu]\n"
                "array pd_r0[%zu]\narray pd_region[%zu]\n",
                nprog ? nprog : 1, nprog ? nprog : 1, nprog ? nprog : 1, nprog ? nprog : 1,
                nprog ? nprog : 1, total ? total : 1);
        size_t r0 = 0;
        for (size_t p = 0; p < nprog; p++) {
            const osw_region_row *r = &rows[first[p]];
            file_word(r->kernel, word, sizeof(word));
            fprintf(f, "pd_kernel[%zu] = ", p + 1);
            gp_string(f, r->kernel);
            fprintf(f, "\npd_n[%zu] = %zu\npd_data[%zu] = \"regions-%s-%zu.dat\"\n", p + 1, r->n,
                    p + 1, word, r->n);
            fprintf(f, "pd_nreg[%zu] = %d\npd_r0[%zu] = %zu\n", p + 1, nreg[p], p + 1, r0);
            for (int k = 0; k < nreg[p]; k++) {
                fprintf(f, "pd_region[%zu] = ", r0 + (size_t)k + 1);
                gp_string(f, names[p * (REGIONS_DRAWN + 1) + k]);
                fputc('\n', f);
            }
            r0 += (size_t)nreg[p];
        }
        if (fclose(f) != 0 && rc == 0) {
            rc = -errno;
            snprintf(err, OSW_ERRLEN, "%.300s: %s", path, strerror(-rc));
        }
    }
    free(first);
    free(names);
    free(nreg);
    free(rows);
    return rc ? rc : (int)nprog;
}
