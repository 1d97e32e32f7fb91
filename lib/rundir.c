/* rundir.c: the run directory: preparing it, the CSV files, --resume and
 * the final pass (see rundir.h). */
#define _GNU_SOURCE
#include "rundir.h"
#include "error.h"
#include "meta.h"
#include "parse.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void say(const osw_rundir_opts *o, const char *line)
{
    if (o->note)
        o->note(o->note_self, 1, line);
}

/* ---- the directory ---- */

static int dir_is_empty(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int empty = 1;
    if (!d)
        return 1;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, OSW_LOCK_FILE))
            empty = 0;
    closedir(d);
    return empty;
}

static int mkdir_p(const char *dir)
{
    char path[4096];
    if (!*dir)
        return -ENOENT;
    if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
        return -ENAMETOOLONG;
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return -errno;
    return 0;
}

/* Makes sure dir is a writable directory, creating it (and its parents)
 * when absent; an existing one may hold anything. */
static int ensure_dir(const char *dir, char *err)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            snprintf(err, OSW_ERRLEN, "--out '%.160s' exists and is not a directory", dir);
            return -ENOTDIR;
        }
    } else {
        int rc = mkdir_p(dir);
        if (rc) {
            snprintf(err, OSW_ERRLEN, "cannot create --out '%.160s': %s", dir, strerror(-rc));
            return rc;
        }
    }
    if (access(dir, W_OK) != 0) {
        int e = errno;
        snprintf(err, OSW_ERRLEN, "--out '%.160s' is not writable: %s", dir, strerror(e));
        return -e;
    }
    return 0;
}

/* The holder's PID and command line, as it wrote them into the lock file. */
static void read_holder(int fd, char *holder, size_t len)
{
    ssize_t got = pread(fd, holder, len - 1, 0);
    holder[got > 0 ? got : 0] = '\0';
    holder[strcspn(holder, "\n")] = '\0';
    if (!holder[0])
        snprintf(holder, len, "another process");
}

/* This process's PID and command line into the lock file. */
static void write_holder(int fd)
{
    char cmd[512] = "";
    int c = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    ssize_t got = c >= 0 ? read(c, cmd, sizeof(cmd) - 1) : 0;
    if (c >= 0)
        close(c);
    for (ssize_t i = 0; i + 1 < got; i++)
        if (cmd[i] == '\0' || cmd[i] == '\n')
            cmd[i] = ' ';
    cmd[got > 0 ? got : 0] = '\0';
    char text[600];
    int n = snprintf(text, sizeof(text), "PID %ld (%s)\n", (long)getpid(), cmd);
    if (ftruncate(fd, 0) == 0 && n > 0) {
        ssize_t w = pwrite(fd, text, strlen(text), 0);
        (void)w;
    }
}

static int lock_fd = -1;
static pid_t lock_pid;
static char locked_dir[4096];

/* At exit: the lock file goes (the lock itself goes with the process). Done
 * last, after every write, so a writer that opens the name afresh meanwhile
 * finds nothing left to race with. */
static void unlock_at_exit(void)
{
    if (lock_fd < 0 || getpid() != lock_pid)
        return;
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", locked_dir, OSW_LOCK_FILE);
    unlink(path);
    close(lock_fd);
    lock_fd = -1;
}

int osw_rundir_lock(const char *dir, char *err)
{
    if (lock_fd >= 0 && strcmp(locked_dir, dir) == 0)
        return 0;
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, OSW_LOCK_FILE);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        snprintf(err, OSW_ERRLEN, "cannot lock '%.160s': %s", dir, strerror(e));
        return -e;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        char holder[400];
        read_holder(fd, holder, sizeof(holder));
        close(fd);
        if (e == EWOULDBLOCK) {
            snprintf(err, OSW_ERRLEN,
                     "--out '%.120s' is being written by %.300s: wait for it to finish, or "
                     "choose another --out",
                     dir, holder);
            return OSW_ELOCKED;
        }
        snprintf(err, OSW_ERRLEN, "cannot lock '%.160s': %s", dir, strerror(e));
        return -e;
    }
    write_holder(fd);
    if (lock_fd >= 0)
        close(lock_fd);
    else
        atexit(unlock_at_exit);
    lock_fd = fd;
    lock_pid = getpid();
    snprintf(locked_dir, sizeof(locked_dir), "%s", dir);
    return 0;
}

int osw_rundir_busy(const char *dir, char *holder, size_t len)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, OSW_LOCK_FILE);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int busy = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    if (busy)
        read_holder(fd, holder, len);
    close(fd); /* also drops the shared lock */
    return busy;
}

int osw_prepare_out_dir(const char *dir, int force, const char *const *extra, char *err)
{
    int rc = ensure_dir(dir, err);
    if (rc == 0)
        rc = osw_rundir_lock(dir, err);
    if (rc || dir_is_empty(dir))
        return rc;
    if (!force) {
        snprintf(err, OSW_ERRLEN,
                 "--out '%s' exists and is not empty; use --force to replace its "
                 "results or choose another directory",
                 dir);
        return OSW_EEXIST;
    }
    static const char *const ours[] = {"summary.csv", "samples.csv", "meta.json"};
    size_t nextra = 0;
    while (extra && extra[nextra])
        nextra++;
    for (size_t i = 0; i < 3 + nextra; i++) {
        const char *name = i < 3 ? ours[i] : extra[i - 3];
        char path[4200];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        if (unlink(path) != 0 && errno != ENOENT) {
            int e = errno;
            snprintf(err, OSW_ERRLEN, "cannot replace %.160s: %s", path, strerror(e));
            return -e;
        }
    }
    return 0;
}

/* ---- files ---- */

/* Replaces path with data[0..len) atomically (temporary file, rename). */
static int replace_file(const char *path, const char *data, size_t len)
{
    char tmp[4300];
    snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -errno;
    if (fwrite(data, 1, len, f) != len) {
        int rc = -(errno ? errno : EIO);
        fclose(f);
        unlink(tmp);
        return rc;
    }
    return osw_commit_file(f, tmp, path);
}

/* Appends one CSV record of cells[0..n) to f, quoting where needed. */
static void put_record(FILE *f, char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *c = cells[i];
        if (i)
            fputc(',', f);
        if (strpbrk(c, ",\"\r\n")) {
            fputc('"', f);
            for (; *c; c++) {
                if (*c == '"')
                    fputc('"', f);
                fputc(*c, f);
            }
            fputc('"', f);
        } else {
            fputs(c, f);
        }
    }
    fputc('\n', f);
}

/* Rewrites path as table t's header and the rows i with keep[i]. */
static int rewrite_table(const char *path, const osw_table *t, const char *keep)
{
    char *data = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&data, &len);
    if (!m)
        return -ENOMEM;
    put_record(m, t->header, t->ncols);
    for (size_t i = 0; i < t->nrows; i++)
        if (keep[i])
            put_record(m, t->rows[i], t->ncols);
    int rc = fclose(m) == 0 ? replace_file(path, data, len) : -ENOMEM;
    free(data);
    return rc;
}

/* ---- --resume ---- */

/* Names the first field (name=value; see osw_config_key) where keys a and b
 * differ, as "name: 'a' here 'b'", into out. */
static void key_difference(const char *a, const char *b, char *out, size_t len)
{
    while (*a || *b) {
        size_t la = strcspn(a, ";"), lb = strcspn(b, ";");
        if (la != lb || strncmp(a, b, la) != 0) {
            size_t eq = strcspn(a, "=");
            if (eq > la)
                eq = la;
            int name = (int)eq, va = (int)(la > eq ? la - eq - 1 : 0);
            int vb = (int)(lb > eq ? lb - eq - 1 : 0);
            snprintf(out, len, "%.*s was '%.*s', now '%.*s'", name, a, va > 36 ? 36 : va,
                     a + (la > eq ? eq + 1 : la), vb > 36 ? 36 : vb, b + (lb > eq ? eq + 1 : lb));
            return;
        }
        a += la + (a[la] == ';');
        b += lb + (b[lb] == ';');
    }
    snprintf(out, len, "the keys differ");
}

/* Whether t's header is exactly the comma-separated names of want. */
static int header_is(const osw_table *t, const char *want)
{
    const char *p = want;
    for (size_t i = 0; i < t->ncols; i++) {
        size_t l = strcspn(p, ",");
        if (strlen(t->header[i]) != l || strncmp(t->header[i], p, l) != 0)
            return 0;
        p += l;
        if (*p == ',')
            p++;
        else if (i + 1 < t->ncols)
            return 0;
    }
    return *p == '\0';
}

/* Reads out_dir/name for --resume into t. A last line without its newline
 * (a killed writer) is cut off the file, and said so. *fresh is set when the
 * file is absent or holds no whole line: the caller writes it anew. */
static int resume_read(const osw_rundir_opts *o, const char *name, const char *header, osw_table *t,
                       int *fresh, char *err)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", o->dir, name);
    char *data;
    size_t len;
    memset(t, 0, sizeof(*t));
    *fresh = 0;
    int rc = osw_read_file(path, &data, &len);
    if (rc == -ENOENT) {
        *fresh = 1;
        return 0;
    }
    if (rc) {
        snprintf(err, OSW_ERRLEN, "--resume: cannot read %.160s: %s", path, strerror(-rc));
        return rc;
    }
    size_t whole = len;
    while (whole > 0 && data[whole - 1] != '\n')
        whole--;
    free(data);
    if (whole < len) {
        char line[400];
        snprintf(line, sizeof(line),
                 "resume: %.200s ended in a partial line (%zu bytes, a killed run): dropped it",
                 path, len - whole);
        say(o, line);
        if (truncate(path, (off_t)whole) != 0) {
            int e = errno;
            snprintf(err, OSW_ERRLEN, "--resume: cannot truncate %.160s: %s", path, strerror(e));
            return -e;
        }
    }
    if (whole == 0) {
        *fresh = 1;
        return 0;
    }
    char cerr[256];
    rc = osw_csv_read(path, t, cerr);
    if (rc) {
        snprintf(err, OSW_ERRLEN, "--resume: %.240s", cerr);
        return rc == -ENOMEM ? rc : OSW_EFORMAT;
    }
    if (!header_is(t, header)) {
        osw_table_free(t);
        snprintf(err, OSW_ERRLEN,
                 "--resume: %.160s has other columns than this ompsweep writes; use a new --out",
                 path);
        return OSW_EFORMAT;
    }
    return 0;
}

/* Checks DIR/meta.json of the run to resume: its config_key must equal
 * key. *cpus and *migr get its cpus_used and thread_migrations objects.
 * Sets *none when there is no earlier run to resume (no meta.json and no
 * summary.csv). Returns 0 or a negative code with err set. */
static int resume_meta(const osw_rundir_opts *o, cJSON **cpus, cJSON **migr, int *none, char *err)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/meta.json", o->dir);
    char *text;
    size_t len;
    *none = 0;
    int rc = osw_read_file(path, &text, &len);
    if (rc == -ENOENT) {
        char sp[4200];
        snprintf(sp, sizeof(sp), "%s/summary.csv", o->dir);
        if (access(sp, F_OK) == 0) {
            snprintf(err, OSW_ERRLEN,
                     "--resume: '%.160s' has summary.csv but no meta.json, so its settings "
                     "cannot be checked",
                     o->dir);
            return OSW_EUSAGE;
        }
        *none = 1;
        return 0; /* nothing to resume: a fresh run */
    }
    if (rc) {
        snprintf(err, OSW_ERRLEN, "--resume: cannot read %.160s: %s", path, strerror(-rc));
        return rc;
    }
    cJSON *meta = cJSON_ParseWithLength(text, len);
    free(text);
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(meta, "config_key");
    if (!meta || !cJSON_IsObject(meta)) {
        snprintf(err, OSW_ERRLEN, "--resume: %.160s is not a JSON object; use a new --out", path);
        rc = OSW_EFORMAT;
    } else if (!cJSON_IsString(key)) {
        snprintf(err, OSW_ERRLEN,
                 "--resume: %.160s has no config_key (not written by this ompsweep's run); use "
                 "a new --out",
                 path);
        rc = OSW_EUSAGE;
    } else if (strcmp(key->valuestring, o->config_key) != 0) {
        char diff[100];
        key_difference(key->valuestring, o->config_key, diff, sizeof(diff));
        snprintf(err, OSW_ERRLEN,
                 "--resume: '%.40s' holds a run with other settings (%.100s): use the same "
                 "build and options, or a new --out",
                 o->dir, diff);
        rc = OSW_EUSAGE;
    }
    if (rc == 0) {
        cJSON *c = cJSON_DetachItemFromObjectCaseSensitive(meta, "cpus_used");
        cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(meta, "thread_migrations");
        *cpus = cJSON_IsObject(c) ? c : NULL;
        *migr = cJSON_IsObject(m) ? m : NULL;
        if (!*cpus)
            cJSON_Delete(c);
        if (!*migr)
            cJSON_Delete(m);
    }
    cJSON_Delete(meta);
    return rc;
}

/* Which rows of the earlier run to keep: a summary row whose samples are
 * all in samples.csv (keep_sum), and the samples of those rows (keep_smp).
 * rows gets the kept summary rows. Counts what is dropped. */
static int resume_reconcile(const osw_table *sum, const osw_table *smp, osw_rowset *rows,
                            char *keep_sum, char *keep_smp, size_t *orphans, size_t *mismatched,
                            char *err)
{
    osw_rowset all = {0};
    char cerr[256];
    int rc = 0;
    for (size_t i = 0; i < sum->nrows && rc == 0; i++) {
        osw_row r;
        rc = osw_row_from_table(sum, i, &r, cerr);
        if (rc)
            snprintf(err, OSW_ERRLEN, "--resume: %.240s", cerr);
        else
            rc = osw_rowset_add(&all, &r);
    }
    size_t *counts = calloc(all.count + 1, sizeof(*counts));
    long *owner = malloc((smp->nrows + 1) * sizeof(*owner));
    if (rc == 0 && (!counts || !owner))
        rc = -ENOMEM;
    /* Samples without a summary row are what a run killed between the two
     * writes leaves. (osw_csv_read checked every row already.) */
    for (size_t i = 0; rc == 0 && i < smp->nrows; i++) {
        osw_sample x;
        char serr[256];
        long idx = -1;
        if (osw_sample_from_table(smp, i, &x, serr) == 0)
            idx = osw_rowset_find(&all, x.kernel, x.n, x.threads, x.schedule, x.chunk, x.env);
        owner[i] = idx;
        keep_smp[i] = idx >= 0;
        *orphans += idx < 0;
        if (idx >= 0)
            counts[idx]++;
    }
    /* A summary row whose samples are not all there is measured again. */
    for (size_t i = 0; rc == 0 && i < all.count; i++) {
        keep_sum[i] = counts[i] == (size_t)all.rows[i].reps;
        if (keep_sum[i])
            rc = osw_rowset_add(rows, &all.rows[i]);
        else
            (*mismatched)++;
    }
    for (size_t i = 0; rc == 0 && i < smp->nrows; i++)
        if (owner[i] >= 0 && !keep_sum[owner[i]])
            keep_smp[i] = 0;
    free(counts);
    free(owner);
    osw_rowset_free(&all);
    return rc;
}

/* Loads an earlier run for --resume: checks meta.json, repairs summary.csv
 * and samples.csv (see rundir.h) and fills d->rows with the configurations
 * kept. *summary_fresh / *samples_fresh: the file is to be written anew. */
static int resume_load(osw_rundir *d, const osw_rundir_opts *o, cJSON **cpus, cJSON **migr,
                       int *summary_fresh, int *samples_fresh, char *err)
{
    int none;
    *summary_fresh = *samples_fresh = 1;
    int rc = resume_meta(o, cpus, migr, &none, err);
    if (rc || none)
        return rc;
    osw_table sum, smp;
    rc = resume_read(o, "summary.csv", osw_summary_header, &sum, summary_fresh, err);
    if (rc)
        return rc;
    rc = resume_read(o, "samples.csv", osw_samples_header, &smp, samples_fresh, err);
    if (rc) {
        osw_table_free(&sum);
        return rc;
    }
    char *keep_sum = calloc(sum.nrows + 1, 1), *keep_smp = calloc(smp.nrows + 1, 1);
    size_t orphans = 0, mismatched = 0;
    rc = keep_sum && keep_smp ? resume_reconcile(&sum, &smp, &d->rows, keep_sum, keep_smp, &orphans,
                                                 &mismatched, err)
                              : -ENOMEM;
    char line[300];
    if (rc == 0 && orphans) {
        snprintf(line, sizeof(line),
                 "resume: dropped %zu sample row(s) of configurations missing from summary.csv "
                 "(a run stopped between the two writes)",
                 orphans);
        say(o, line);
    }
    if (rc == 0 && mismatched) {
        snprintf(line, sizeof(line),
                 "resume: %zu configuration(s) in summary.csv do not have their reps in "
                 "samples.csv: dropped, to be measured again",
                 mismatched);
        say(o, line);
    }
    char path[4200];
    if (rc == 0 && (orphans || mismatched) && !*samples_fresh) {
        snprintf(path, sizeof(path), "%s/samples.csv", o->dir);
        rc = rewrite_table(path, &smp, keep_smp);
    }
    if (rc == 0 && mismatched && !*summary_fresh) {
        snprintf(path, sizeof(path), "%s/summary.csv", o->dir);
        rc = rewrite_table(path, &sum, keep_sum);
    }
    if (rc < 0 && rc > -4096 && !*err)
        snprintf(err, OSW_ERRLEN, "--resume: repairing '%.160s': %s", o->dir, strerror(-rc));
    free(keep_sum);
    free(keep_smp);
    osw_table_free(&sum);
    osw_table_free(&smp);
    return rc;
}

/* ---- the final pass ---- */

/* Computes the derived columns of every row from the rows' baselines and
 * rewrites path atomically where that changes it. Rows 0..nold-1 come from
 * the file being resumed: their values, printed with 6 to 7 significant
 * digits, would give speedups that differ in the last digit from the ones
 * the earlier run computed at full precision; so such a row keeps the
 * derived values it has unless its baseline was measured in this run. */
static int final_pass(const char *path, osw_rowset *rows, size_t nold)
{
    for (size_t i = 0; i < rows->count; i++) {
        osw_row *r = &rows->rows[i], d = *r;
        osw_derive(&d, rows);
        long b = osw_baseline(rows, r, 0), st = osw_baseline(rows, r, 1);
        int keep_speedup = i < nold && b >= 0 && (size_t)b < nold && !isnan(r->speedup);
        int keep_overhead = i < nold && st >= 0 && (size_t)st < nold && !isnan(r->overhead_ns);
        if (!keep_speedup) {
            r->speedup = d.speedup;
            r->efficiency = d.efficiency;
            r->speedup_lo = d.speedup_lo;
            r->speedup_hi = d.speedup_hi;
        }
        if (!keep_overhead)
            r->overhead_ns = d.overhead_ns;
        /* A resumed row keeps its ratio; one without gets it now. */
        if (!(i < nold && !isnan(r->ceiling_ratio)))
            r->ceiling_ratio = d.ceiling_ratio;
    }
    char *data = NULL, *old = NULL;
    size_t len = 0, old_len = 0;
    FILE *m = open_memstream(&data, &len);
    if (!m)
        return -ENOMEM;
    int rc = osw_csv_summary_header(m);
    for (size_t i = 0; i < rows->count && rc == 0; i++)
        rc = osw_csv_summary_row(m, &rows->rows[i]);
    if (fclose(m) != 0 && rc == 0)
        rc = -ENOMEM;
    if (rc == 0 &&
        (osw_read_file(path, &old, &old_len) != 0 || old_len != len || memcmp(old, data, len) != 0))
        rc = replace_file(path, data, len);
    free(old);
    free(data);
    return rc;
}

/* ---- open, append, close ---- */

/* Writes data[0..len) to fd whole (a short write is retried). */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? -errno : -EIO;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Formats through fn (a csv.h writer) into memory, then appends it to fd in
 * one write. */
struct text {
    char *data;
    size_t len;
};

static int open_text(struct text *t, FILE **m)
{
    memset(t, 0, sizeof(*t));
    *m = open_memstream(&t->data, &t->len);
    return *m ? 0 : -ENOMEM;
}

static int close_text(FILE *m, int rc)
{
    if (fclose(m) != 0 && rc == 0)
        rc = -ENOMEM;
    return rc;
}

static int open_file(osw_rundir *d, const char *name, int fresh, int *fd, char *err)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", d->dir, name);
    *fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (fresh ? O_TRUNC : 0), 0644);
    if (*fd < 0) {
        int e = errno;
        snprintf(err, OSW_ERRLEN, "cannot write in '%.160s': %s", d->dir, strerror(e));
        return -e;
    }
    if (!fresh)
        return 0;
    struct text t;
    FILE *m;
    int rc = open_text(&t, &m);
    if (rc == 0)
        rc = close_text(m, strcmp(name, "summary.csv") == 0 ? osw_csv_summary_header(m)
                                                            : osw_csv_samples_header(m));
    if (rc == 0)
        rc = write_all(*fd, t.data, t.len);
    free(t.data);
    if (rc)
        snprintf(err, OSW_ERRLEN, "writing %.160s: %s", path, strerror(-rc));
    return rc;
}

int osw_rundir_open(osw_rundir *d, const osw_rundir_opts *o, cJSON **cpus, cJSON **migrations,
                    char *err)
{
    *cpus = *migrations = NULL;
    d->summary = d->samples = -1;
    snprintf(d->dir, sizeof(d->dir), "%s", o->dir);
    int rc = o->resume ? ensure_dir(o->dir, err)
                       : osw_prepare_out_dir(o->dir, o->force, o->extra_files, err);
    if (rc == 0 && o->resume)
        rc = osw_rundir_lock(o->dir, err);
    int summary_fresh = 1, samples_fresh = 1;
    if (rc == 0 && o->resume)
        rc = resume_load(d, o, cpus, migrations, &summary_fresh, &samples_fresh, err);
    d->nold = d->rows.count;
    if (rc == 0)
        rc = open_file(d, "summary.csv", summary_fresh, &d->summary, err);
    if (rc == 0)
        rc = open_file(d, "samples.csv", samples_fresh, &d->samples, err);
    d->opened = rc == 0;
    return rc;
}

int osw_rundir_append(osw_rundir *d, const osw_row *row, const double *seconds, const int *rounds,
                      char *err)
{
    struct text smp, sum;
    FILE *ms, *mm;
    int rc = open_text(&smp, &ms);
    if (rc == 0) {
        rc = close_text(ms, osw_csv_samples_rows(ms, row, seconds, rounds, (size_t)row->reps));
        if (rc == 0 && (rc = open_text(&sum, &mm)) == 0)
            rc = close_text(mm, osw_csv_summary_row(mm, row));
        else
            sum.data = NULL;
    } else {
        smp.data = sum.data = NULL;
    }
    /* Samples first, then the summary row that commits them; on a failed
     * write both files are cut back to their whole rows (disk full, a file
     * size limit). */
    off_t smp_end = lseek(d->samples, 0, SEEK_END), sum_end = lseek(d->summary, 0, SEEK_END);
    if (rc == 0 && (smp_end < 0 || sum_end < 0))
        rc = -errno;
    if (rc == 0)
        rc = write_all(d->samples, smp.data, smp.len);
    if (rc == 0)
        rc = write_all(d->summary, sum.data, sum.len);
    if (rc && smp_end >= 0 && sum_end >= 0) {
        int t1 = ftruncate(d->samples, smp_end), t2 = ftruncate(d->summary, sum_end);
        (void)t1;
        (void)t2;
    }
    free(smp.data);
    free(sum.data);
    d->broken |= rc != 0;
    if (rc)
        snprintf(err, OSW_ERRLEN, "writing results in '%.160s': %s (the row is not kept)", d->dir,
                 strerror(-rc));
    return rc;
}

int osw_rundir_close(osw_rundir *d, int rc, char *err)
{
    int *files[] = {&d->summary, &d->samples};
    const char *names[] = {"summary.csv", "samples.csv"};
    for (int i = 0; i < 2; i++) {
        if (*files[i] >= 0 && close(*files[i]) != 0 && rc == 0) {
            rc = -errno;
            snprintf(err, OSW_ERRLEN, "closing %s: %s", names[i], strerror(errno));
        }
        *files[i] = -1;
    }
    /* Whatever stopped the sweep, whole files get their derived columns
     * completed; files a write failed on are left as they were cut back. */
    if (d->opened && !d->broken) {
        char path[4200];
        snprintf(path, sizeof(path), "%s/summary.csv", d->dir);
        int frc = final_pass(path, &d->rows, d->nold);
        if (frc && (rc == 0 || rc == OSW_EINTR)) {
            rc = frc;
            snprintf(err, OSW_ERRLEN, "rewriting %.160s with speedups: %s", path, strerror(-frc));
        }
    }
    return rc;
}
