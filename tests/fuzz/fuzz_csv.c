/* fuzz_csv: libFuzzer target for reading results back (csv.h).
 *
 * The input is the whole file: it is written to an in-memory file (memfd)
 * and read by path (/proc/self/fd/N) with osw_csv_read, as `ompsweep compare`
 * reads summary.csv; every row then goes through osw_row_from_table (and,
 * in a samples table, osw_sample_from_table). A read that succeeds must give
 * rows of the header's width, a row read only cells the writer writes, and
 * a samples table only good samples; a failure must leave a terminated
 * message of one line. Everything is freed, so leaks are findings too.
 * Memory: the heap in use while reading may exceed the input's size by a
 * constant factor plus the read buffer (LIMIT_FACTOR x size + LIMIT_BASE),
 * not more; the sanitizer's allocation hooks count it, so a reader whose
 * memory grows faster than the file is a finding with a small input.
 * OSW_FUZZ_NO_MEMCHECK=1 in the environment turns that check off (to look
 * for other findings while one of this kind is being fixed). */
#define _GNU_SOURCE
#include "csv.h"
#include "error.h"

#include <math.h>
#include <sanitizer/allocator_interface.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_csv: broken promise: %s\n", what);
        abort();
    }
}

#define LIMIT_FACTOR 64
#define LIMIT_BASE   (256 * 1024)

/* Bytes this target's calls hold on the heap, and the most held at once. */
static size_t held, peak;
static int counting, memcheck;

static void on_malloc(const volatile void *p, size_t size)
{
    (void)p;
    if (!counting)
        return;
    held += size;
    if (held > peak)
        peak = held;
}

static void on_free(const volatile void *p)
{
    if (!counting || !p || !__sanitizer_get_ownership((const void *)p))
        return;
    size_t size = __sanitizer_get_allocated_size((const void *)p);
    held = size < held ? held - size : 0;
}

static int memfd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memfd < 0) {
        memfd = memfd_create("fuzz_csv", 0);
        require(memfd >= 0, "memfd_create works");
        snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
        const char *off = getenv("OSW_FUZZ_NO_MEMCHECK");
        memcheck = !(off && strcmp(off, "1") == 0);
        if (memcheck)
            __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
    }
    require(ftruncate(memfd, 0) == 0, "ftruncate works");
    size_t done = 0;
    while (done < size) {
        ssize_t w = pwrite(memfd, data + done, size - done, (off_t)done);
        require(w > 0, "pwrite works");
        done += (size_t)w;
    }
    osw_table t;
    char err[256];
    memset(err, 0, sizeof(err));
    held = peak = 0;
    counting = 1;
    int rc = osw_csv_read(path, &t, err);
    counting = 0;
    if (memcheck && peak > LIMIT_BASE + LIMIT_FACTOR * size) {
        fprintf(stderr, "fuzz_csv: reading %zu bytes held %zu bytes of heap at once\n", size, peak);
        require(0, "memory linear in the input");
    }
    if (rc != 0) {
        require(rc < 0, "failure code is negative");
        require(strnlen(err, sizeof(err)) < sizeof(err), "message is terminated");
        require(strchr(err, '\n') == NULL, "message is one line");
        require(rc != OSW_EFORMAT || err[0] != '\0', "format error has a message");
        require(osw_strerror(rc) != NULL, "osw_strerror names the code");
        return 0;
    }
    require(t.header != NULL && t.ncols >= 1, "a read table has a header");
    for (size_t c = 0; c < t.ncols; c++)
        require(osw_table_col(&t, t.header[c]) >= 0, "every header name is found");
    for (size_t i = 0; i < t.nrows; i++) {
        size_t total = 0;
        for (size_t c = 0; c < t.ncols; c++)
            total += strlen(t.rows[i][c]);
        require(total <= size, "cells come from the input");
        osw_row row;
        memset(err, 0, sizeof(err));
        int r = osw_row_from_table(&t, i, &row, err);
        if (r == 0) {
            require(row.threads >= 1, "row: threads >= 1");
            require(row.chunk >= 0, "row: chunk >= 0");
            require(memchr(row.kernel, '\0', sizeof(row.kernel)) != NULL, "row: kernel terminated");
            require(memchr(row.schedule, '\0', sizeof(row.schedule)) != NULL,
                    "row: schedule terminated");
            require(memchr(row.bound, '\0', sizeof(row.bound)) != NULL, "row: bound terminated");
            /* Only what the writer writes. */
            require(osw_cell_is_word(row.kernel), "row: kernel a word");
            require(osw_cell_is_schedule(row.schedule), "row: schedule one the writer writes");
            require(isnan(row.median_s) || (isfinite(row.median_s) && row.median_s > 0),
                    "row: median_s empty or a positive time");
        } else {
            require(r == OSW_EFORMAT && err[0] != '\0', "row error is a format error with text");
            require(strchr(err, '\n') == NULL, "row error is one line");
        }
        /* A samples table that reads has nothing but good samples. */
        if (osw_table_col(&t, "seconds") >= 0 && osw_table_col(&t, "kernel") >= 0 &&
            osw_table_col(&t, "n") >= 0 && osw_table_col(&t, "threads") >= 0 &&
            osw_table_col(&t, "schedule") >= 0 && osw_table_col(&t, "chunk") >= 0) {
            osw_sample smp;
            require(osw_sample_from_table(&t, i, &smp, err) == 0, "samples table: rows checked");
            require(isfinite(smp.seconds) && smp.seconds > 0, "sample: seconds a positive time");
            require(osw_cell_is_schedule(smp.schedule), "sample: schedule one the writer writes");
        }
    }
    osw_table_free(&t);
    return 0;
}
