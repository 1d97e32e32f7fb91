/* fuzz_parse: libFuzzer target for the command-line parsers (parse.h).
 *
 * Input: byte 0 picks the parser (t threads, n one size, z sizes, s
 * schedules, o OMP_SCHEDULE, k kernels; any other byte by its value mod 6);
 * for threads, byte 1 gives ncores = 1 + byte % 64. The rest, copied and
 * NUL-terminated, is the text. Besides the sanitizers' findings, a parse
 * that succeeds must return what parse.h promises, and one that fails must
 * leave a one-line message; either breach aborts (a finding). */
#define _GNU_SOURCE
#include "error.h"
#include "parse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_parse: broken promise: %s\n", what);
        abort();
    }
}

/* A failed parse returns a negative code; OSW_EUSAGE with a non-empty,
 * terminated, single-line message. */
static void check_failure(int rc, const char *err, const char *text)
{
    require(rc < 0, "failure code is negative");
    if (rc == OSW_EUSAGE) {
        size_t len = strnlen(err, OSW_ERRLEN);
        require(len > 0 && len < OSW_ERRLEN, "usage error has a terminated message");
        /* The message quotes the input verbatim, so a newline in the input
         * shows in it (reported, not counted as a finding). */
        require(!strchr(err, '\n') || strchr(text, '\n'), "usage error message is one line");
    }
    require(osw_strerror(rc) != NULL, "osw_strerror names the code");
}

static void check_schedule(const osw_schedule *s)
{
    require(s->kind == omp_sched_static || s->kind == omp_sched_dynamic ||
                s->kind == omp_sched_guided || s->kind == omp_sched_auto,
            "schedule kind is one of four");
    require(s->modifier >= -1 && s->modifier <= 1, "modifier in -1..1");
    require(s->chunk >= 0, "chunk >= 0");
    require(!(s->kind == omp_sched_auto && (s->chunk || s->modifier)),
            "auto has no chunk and no modifier");
    require(s->taskloop >= OSW_TASKLOOP_NONE && s->taskloop <= OSW_TASKLOOP_NUM_TASKS,
            "taskloop is an enum osw_taskloop_mode");
    require(!s->taskloop || (s->chunk >= 1 && s->modifier == 0 && s->kind == omp_sched_static),
            "a taskloop schedule has its value, no modifier");
    char name[32];
    osw_schedule_name(s, name, sizeof(name));
    require(strlen(name) > 0, "schedule has a name");
    osw_schedule back;
    char err[OSW_ERRLEN];
    require(osw_parse_schedule_name(name, &back, err) == 0 && back.kind == s->kind &&
                back.modifier == s->modifier && back.taskloop == s->taskloop,
            "a schedule's name reads back");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char letters[] = "tnzsok";
    const char *letter = data[0] ? strchr(letters, data[0]) : NULL;
    int which = letter ? (int)(letter - letters) : data[0] % 6;
    size_t skip = 1;
    int ncores = 1;
    if (which == 0 && size >= 2) {
        ncores = 1 + data[1] % 64;
        skip = 2;
    }
    /* An exact-size copy, so that reading past the NUL is caught. */
    size_t len = size - (size < skip ? size : skip);
    char *text = malloc(len + 1);
    if (!text)
        return 0;
    memcpy(text, data + (size - len), len);
    text[len] = '\0';
    char err[OSW_ERRLEN];
    memset(err, 0, sizeof(err));
    int rc;
    switch (which) {
    case 0: {
        int *threads = NULL;
        size_t count = 0;
        rc = osw_parse_threads(text, ncores, &threads, &count, err);
        if (rc == 0) {
            require(count >= 1, "threads: at least one count");
            for (size_t i = 0; i < count; i++) {
                require(threads[i] >= 1 && threads[i] <= OSW_MAX_THREADS, "threads in range");
                for (size_t j = 0; j < i; j++)
                    require(threads[j] != threads[i], "threads: no duplicates");
            }
            free(threads);
        }
        break;
    }
    case 1: {
        size_t n = 0;
        rc = osw_parse_size(text, &n, err);
        if (rc == 0)
            require(n <= OSW_MAX_SIZE, "size <= 2^48");
        break;
    }
    case 2: {
        size_t *sizes = NULL, count = 0;
        rc = osw_parse_sizes(text, &sizes, &count, err);
        if (rc == 0) {
            require(count >= 1, "sizes: at least one");
            for (size_t i = 0; i < count; i++)
                require(sizes[i] >= 1 && sizes[i] <= OSW_MAX_SIZE, "sizes in 1..2^48");
            free(sizes);
        }
        break;
    }
    case 3: {
        osw_schedule *list = NULL;
        size_t count = 0;
        rc = osw_parse_schedules(text, &list, &count, err);
        if (rc == 0) {
            require(count >= 1, "schedules: at least one");
            for (size_t i = 0; i < count; i++)
                check_schedule(&list[i]);
            free(list);
        }
        break;
    }
    case 4: {
        osw_schedule s;
        rc = osw_parse_omp_schedule(text, &s, err);
        if (rc == 0)
            check_schedule(&s);
        require(rc != 0 || s.taskloop == OSW_TASKLOOP_NONE, "OMP_SCHEDULE is never a taskloop");
        break;
    }
    default: {
        const osw_kernel **list = NULL;
        size_t count = 0;
        rc = osw_parse_kernels(text, &list, &count, err);
        if (rc == 0) {
            require(count >= 1 && count <= osw_kernel_count, "kernels: 1..registry size");
            for (size_t i = 0; i < count; i++)
                require(list[i] && osw_kernel_find(list[i]->name) == list[i],
                        "kernels: registry entries");
            free(list);
        }
        break;
    }
    }
    if (rc != 0)
        check_failure(rc, err, text);
    free(text);
    return 0;
}
