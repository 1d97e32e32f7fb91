/* test_regions.c: the runtime switch (lib/runtime.h) and the region
 * profile reader and writer (lib/regions.h). One CTest test per case:
 *   test_regions CASE [PROGRAM...]
 * Exit 0 passed, 1 failed, 77 skipped (what the case needs is missing). */
#define _GNU_SOURCE
#include "error.h"
#include "parse.h"
#include "regions.h"
#include "runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static char tmp_dir[] = "/tmp/osw-regions-XXXXXX";

static void remove_tree(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

/* Runs argv[0] with extra environment settings (NULL-terminated), its
 * stdout and stderr into out (NUL-terminated). Returns its exit status or
 * -1. */
static int run_capture(const char *prog, char *const *extra, char *out, size_t len)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        for (char *const *e = extra; *e; e++)
            putenv(*e);
        execl(prog, prog, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    size_t used = 0;
    ssize_t n;
    while (used + 1 < len && (n = read(fds[0], out + used, len - 1 - used)) > 0)
        used += (size_t)n;
    out[used] = '\0';
    close(fds[0]);
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A gcc-built program run through the swap folder is served by libomp,
 * with the team it asked for under OMP_PROC_BIND=close OMP_PLACES=cores
 * (the case the preload trap gets wrong); without the folder by libgomp. */
static int case_swap_llvm(int argc, char **argv)
{
    char libomp[4096], err[OSW_ERRLEN];
    if (argc < 1 || osw_runtime_libomp(libomp, sizeof(libomp)) != 0) {
        fprintf(stderr, "skip: no libomp.so.5\n");
        return 77;
    }
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
        fprintf(stderr, "skip: fewer than 2 CPUs\n");
        return 77;
    }
    char swap[256], link[300], target[4096];
    snprintf(swap, sizeof(swap), "%s/cache/swap", tmp_dir);
    CHECK(osw_runtime_swap_dir(swap, err) == 0);
    snprintf(link, sizeof(link), "%s/libgomp.so.1", swap);
    ssize_t tl = readlink(link, target, sizeof(target) - 1);
    CHECK(tl > 0 && (size_t)tl == strlen(libomp) && strncmp(target, libomp, (size_t)tl) == 0);
    /* A link to something else is replaced; a second call changes nothing. */
    CHECK(unlink(link) == 0 && symlink("/nonexistent", link) == 0);
    CHECK(osw_runtime_swap_dir(swap, err) == 0);
    CHECK(osw_runtime_swap_dir(swap, err) == 0);
    tl = readlink(link, target, sizeof(target) - 1);
    CHECK(tl > 0 && strncmp(target, libomp, (size_t)tl) == 0);

    char ld[8400], out[65536];
    CHECK(osw_runtime_env(OSW_RUNTIME_LLVM, swap, getenv("LD_LIBRARY_PATH"), ld, sizeof(ld)) == 0);
    char *llvm_env[] = {ld,
                        (char *)"OMP_DISPLAY_ENV=TRUE",
                        (char *)"OMP_NUM_THREADS=2",
                        (char *)"OMP_PROC_BIND=close",
                        (char *)"OMP_PLACES=cores",
                        NULL};
    CHECK(run_capture(argv[0], llvm_env, out, sizeof(out)) == 0);
    CHECK(osw_runtime_from_display_env(out, strlen(out)) == OSW_RUNTIME_LLVM);
    CHECK(strstr(out, "team 2\n") != NULL);
    if (failures)
        fprintf(stderr, "output on libomp:\n%s\n", out);
    char *gomp_env[] = {(char *)"OMP_DISPLAY_ENV=TRUE", (char *)"OMP_NUM_THREADS=2",
                        (char *)"OMP_PROC_BIND=close", (char *)"OMP_PLACES=cores", NULL};
    CHECK(run_capture(argv[0], gomp_env, out, sizeof(out)) == 0);
    CHECK(osw_runtime_from_display_env(out, strlen(out)) == OSW_RUNTIME_GOMP);
    CHECK(strstr(out, "team 2\n") != NULL);
    return failures != 0;
}

/* The symbols check names what libomp lacks, and nothing for a program
 * that needs only what it has. */
static int case_symbols(int argc, char **argv)
{
    char libomp[4096], buf[512], err[OSW_ERRLEN];
    if (argc < 2 || osw_runtime_libomp(libomp, sizeof(libomp)) != 0) {
        fprintf(stderr, "skip: no libomp.so.5\n");
        return 77;
    }
    int n = osw_runtime_missing_symbols(argv[1], libomp, buf, sizeof(buf), err);
    if (n == -ENOSYS) {
        fprintf(stderr, "skip: %s\n", err);
        return 77;
    }
    CHECK(n == 2);
    CHECK(strcmp(buf, "GOMP_warning omp_target_alloc") == 0);
    CHECK(osw_runtime_missing_symbols(argv[0], libomp, buf, sizeof(buf), err) == 0);
    CHECK(buf[0] == '\0');
    /* A buffer too small for the names ends in "...". */
    char small[16];
    CHECK(osw_runtime_missing_symbols(argv[1], libomp, small, sizeof(small), err) == 2);
    CHECK(strstr(small, "...") != NULL && strlen(small) < sizeof(small));
    /* Not ELF, not there. */
    char text[300];
    snprintf(text, sizeof(text), "%s/not-elf", tmp_dir);
    FILE *f = fopen(text, "w");
    CHECK(f && fputs("#!/bin/sh\n", f) >= 0 && fclose(f) == 0);
    CHECK(osw_runtime_missing_symbols(text, libomp, buf, sizeof(buf), err) == OSW_EFORMAT);
    CHECK(strstr(err, "not an ELF file") != NULL);
    CHECK(osw_runtime_missing_symbols("/nonexistent/program", libomp, buf, sizeof(buf), err) ==
          -ENOENT);
    return failures != 0;
}

static int case_display_env(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    const char *llvm = "x\nOPENMP DISPLAY ENVIRONMENT BEGIN\n   _OPENMP='201611'\n"
                       "  [host] OMP_AFFINITY_FORMAT='x'\nOPENMP DISPLAY ENVIRONMENT END\n";
    const char *gomp = "\nOPENMP DISPLAY ENVIRONMENT BEGIN\n  _OPENMP = '201511'\n"
                       "  OMP_DYNAMIC = 'FALSE'\nOPENMP DISPLAY ENVIRONMENT END\n";
    const char *other = "OPENMP DISPLAY ENVIRONMENT BEGIN\n  OMP_DYNAMIC='FALSE'\n";
    const char *after = "OPENMP DISPLAY ENVIRONMENT BEGIN\nOPENMP DISPLAY ENVIRONMENT END\n"
                        "  OMP_DYNAMIC = 'FALSE'\n";
    CHECK(osw_runtime_from_display_env(llvm, strlen(llvm)) == OSW_RUNTIME_LLVM);
    CHECK(osw_runtime_from_display_env(gomp, strlen(gomp)) == OSW_RUNTIME_GOMP);
    CHECK(osw_runtime_from_display_env(other, strlen(other)) == OSW_RUNTIME_UNKNOWN);
    CHECK(osw_runtime_from_display_env(after, strlen(after)) == OSW_RUNTIME_UNKNOWN);
    CHECK(osw_runtime_from_display_env("team 2\n", 7) == OSW_RUNTIME_UNKNOWN);
    CHECK(osw_runtime_parse("llvm") == OSW_RUNTIME_LLVM);
    CHECK(osw_runtime_parse("gomp") == OSW_RUNTIME_GOMP);
    CHECK(osw_runtime_parse("intel") == OSW_RUNTIME_UNKNOWN);
    CHECK(strcmp(osw_runtime_name(OSW_RUNTIME_LLVM), "llvm") == 0);
    return failures != 0;
}

static int case_env(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char buf[64];
    CHECK(osw_runtime_env(OSW_RUNTIME_LLVM, "/s", NULL, buf, sizeof(buf)) == 0);
    CHECK(strcmp(buf, "LD_LIBRARY_PATH=/s") == 0);
    CHECK(osw_runtime_env(OSW_RUNTIME_LLVM, "/s", "", buf, sizeof(buf)) == 0);
    CHECK(strcmp(buf, "LD_LIBRARY_PATH=/s") == 0);
    CHECK(osw_runtime_env(OSW_RUNTIME_LLVM, "/s", "/a:/b", buf, sizeof(buf)) == 0);
    CHECK(strcmp(buf, "LD_LIBRARY_PATH=/s:/a:/b") == 0);
    CHECK(osw_runtime_env(OSW_RUNTIME_GOMP, "/s", "/a", buf, sizeof(buf)) == 0);
    CHECK(buf[0] == '\0');
    CHECK(osw_runtime_env(OSW_RUNTIME_UNKNOWN, "/s", "/a", buf, sizeof(buf)) == OSW_EUSAGE);
    CHECK(osw_runtime_env(OSW_RUNTIME_LLVM, "/a/long/swap/folder", NULL, buf, 20) == -ENAMETOOLONG);
    return failures != 0;
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int rc = fputs(text, f) < 0;
    return fclose(f) != 0 || rc ? -1 : 0;
}

static const char three_blocks[] =
    "osw_ompt 1 pid=1 wall_s=9.0 dropped=0\n"
    "region vaddr=0x10 calls=99 total_s=9.0 team_req=8 team_ran_min=8 team_ran_max=8 threads=8 "
    "task_s=1 barrier_s=1 busy_max_s=1 busy_mean_s=1 work=- nested=0 module=/bin/a b\n"
    "end\n"
    "osw_ompt 1 pid=2 wall_s=1.0 dropped=0\n"
    "region vaddr=0x10 calls=4 total_s=0.4 team_req=2 team_ran_min=2 team_ran_max=2 threads=2 "
    "task_s=0.8 barrier_s=0.2 busy_max_s=0.35 busy_mean_s=0.3 work=loop nested=0 module=/bin/a b\n"
    "region vaddr=0x20 calls=2 total_s=0.2 team_req=2 team_ran_min=2 team_ran_max=2 threads=2 "
    "task_s=0.4 barrier_s=0.1 busy_max_s=0.2 busy_mean_s=0.15 work=- nested=0 module=/bin/a b\n"
    "region vaddr=0x30 calls=2 total_s=0.1 team_req=2 team_ran_min=1 team_ran_max=1 threads=1 "
    "task_s=0.1 barrier_s=0 busy_max_s=0.1 busy_mean_s=0.1 work=- nested=1 module=/bin/a b\n"
    "end\n"
    "osw_ompt 1 pid=3 wall_s=3.0 dropped=2\n"
    "region vaddr=0x10 calls=4 total_s=1.2 team_req=2 team_ran_min=1 team_ran_max=2 threads=2 "
    "task_s=2.4 barrier_s=0.6 busy_max_s=1.05 busy_mean_s=0.9 work=- nested=0 module=/bin/a b\n"
    "end\n";

/* The reader keeps the last blocks and averages them per run. */
static int case_read(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char path[300], err[OSW_ERRLEN];
    snprintf(path, sizeof(path), "%s/profile.txt", tmp_dir);
    CHECK(write_file(path, three_blocks) == 0);
    osw_regions r;
    CHECK(osw_regions_read(path, 2, &r, err) == 0);
    CHECK(r.runs == 2 && r.n == 3 && r.dropped == 2);
    CHECK(fabs(r.wall_s - 2.0) < 1e-12);
    const osw_region *a = &r.v[0];
    CHECK(a->vaddr == 0x10 && strcmp(a->module, "/bin/a b") == 0);
    CHECK(fabs(a->calls - 4) < 1e-12 && fabs(a->total_s - 0.8) < 1e-12);
    CHECK(a->team_req == 2 && a->team_ran_min == 1 && a->team_ran_max == 2);
    CHECK(strcmp(a->work, "loop") == 0);
    CHECK(r.v[2].nested == 1 && r.v[1].nested == 0);
    osw_regions_free(&r);
    /* All blocks. */
    CHECK(osw_regions_read(path, 0, &r, err) == 0);
    CHECK(r.runs == 3 && r.v[0].team_req == 8);
    osw_regions_free(&r);
    /* Empty, missing, malformed. */
    CHECK(write_file(path, "") == 0);
    CHECK(osw_regions_read(path, 0, &r, err) == 0 && r.runs == 0 && r.n == 0);
    CHECK(osw_regions_read("/nonexistent/profile.txt", 0, &r, err) == -ENOENT);
    CHECK(write_file(path, "osw_ompt 1 pid=1 wall_s=1 dropped=0\nregion vaddr=0x1 calls=x\n") == 0);
    CHECK(osw_regions_read(path, 0, &r, err) == OSW_EFORMAT);
    CHECK(strstr(err, ":2: ") != NULL);
    CHECK(write_file(path, "osw_ompt 2 pid=1 wall_s=1 dropped=0\nend\n") == 0);
    CHECK(osw_regions_read(path, 0, &r, err) == OSW_EFORMAT);
    CHECK(write_file(path, "hello\n") == 0);
    CHECK(osw_regions_read(path, 0, &r, err) == OSW_EFORMAT);
    return failures != 0;
}

/* The rows: per-run figures, the derived columns, serial time without the
 * nested region, quoting. */
static int case_write(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char path[300], err[OSW_ERRLEN];
    snprintf(path, sizeof(path), "%s/profile.txt", tmp_dir);
    CHECK(write_file(path, three_blocks) == 0);
    osw_regions r;
    CHECK(osw_regions_read(path, 2, &r, err) == 0);
    osw_regions_map(&r); /* /bin/a b does not exist: unmapped */
    CHECK(strcmp(r.v[0].where, "a b+0x10") == 0);
    osw_regions_sort(&r);
    CHECK(r.v[0].vaddr == 0x10 && r.v[1].vaddr == 0x20 && r.v[2].vaddr == 0x30);
    osw_regions_key key = {"prog", 5, 2, "dynamic", 4, "llvm", "A=1,2 B=\"x\""};
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    CHECK(f && osw_regions_write(f, &key, &r) == 0);
    CHECK(fclose(f) == 0);
    /* region 0x10: total 0.8, calls 4, share 0.4, imbalance (0.7-0.6)/0.7,
     * barrier 0.8 - 0.6; serial 2.0 - (0.8 + 0.1) (0x30 is nested). */
    const char *row0 =
        "prog,5,2,dynamic,4,llvm,\"A=1,2 B=\"\"x\"\"\",a b+0x10,,/bin/a b,0x10,4,0.8,"
        "0.2,0.4,2,1,1,0.142857143,0.2,loop,0,2,1.1,2\n";
    if (!text || strncmp(text, row0, strlen(row0)) != 0)
        fprintf(stderr, "got:\n%s\nwant first:\n%s", text ? text : "", row0);
    CHECK(text && strncmp(text, row0, strlen(row0)) == 0);
    CHECK(text && strstr(text, ",0x30,1,0.05,0.05,0.025,2,1,1,0,") != NULL);
    int lines = 0;
    for (const char *p = text; p && *p; p++)
        lines += *p == '\n';
    CHECK(lines == 3);
    /* The header names as many columns as a row has (outside quotes). */
    int cols = 1, row_cols = 1, quoted = 0;
    for (const char *p = osw_regions_header; *p; p++)
        cols += *p == ',';
    for (const char *p = text; p && *p && *p != '\n'; p++) {
        quoted ^= *p == '"';
        row_cols += *p == ',' && !quoted;
    }
    CHECK(cols == row_cols);
    free(text);
    osw_regions_free(&r);
    return failures != 0;
}

static const struct {
    const char *name;
    int (*fn)(int, char **);
} cases[] = {
    {"swap_llvm", case_swap_llvm},
    {"symbols", case_symbols},
    {"display_env", case_display_env},
    {"env", case_env},
    {"read", case_read},
    {"write", case_write},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_regions CASE [PROGRAM...]\n");
        return 2;
    }
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    int rc = -1;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (strcmp(cases[i].name, argv[1]) == 0)
            rc = cases[i].fn(argc - 2, argv + 2);
    remove_tree(tmp_dir);
    if (rc < 0) {
        fprintf(stderr, "test_regions: no case '%s'\n", argv[1]);
        return 2;
    }
    return rc;
}
