/* test_adaptive.c: the pure pieces behind --reps auto and --order shuffled
 * (label adaptive): the CI width rule, the counter-based shuffle, the core
 * sharing check, the config key. Exit 0 pass, 1 fail. */
#include "stats.h"
#include "measure.h"
#include "sysinfo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond);                       \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static void test_ci_width(void)
{
    double x[200];
    for (int i = 0; i < 200; i++)
        x[i] = 1.0;
    /* Fewer than 6 samples never reach 95% coverage. */
    CHECK(isinf(osw_median_ci_rel_width(x, 5, 0.95)));
    CHECK(osw_median_ci_rel_width(x, 6, 0.95) == 0);
    CHECK(isinf(osw_median_ci_rel_width(x, 0, 0.95)));
    /* 10 sorted values 1..10: the 95% interval is [x(1), x(8)] (0-based),
     * median 5.5: width (9 - 2) / 5.5. */
    for (int i = 0; i < 10; i++)
        x[i] = i + 1;
    size_t lo, hi;
    osw_median_ci(10, 0.95, &lo, &hi);
    CHECK(lo == 1 && hi == 8);
    CHECK(fabs(osw_median_ci_rel_width(x, 10, 0.95) - 7 / 5.5) < 1e-12);
    /* A non-positive median has no relative width. */
    for (int i = 0; i < 10; i++)
        x[i] = i - 5;
    CHECK(isinf(osw_median_ci_rel_width(x, 10, 0.95)));
}

static void test_shuffle(void)
{
    size_t a[100], b[100], seen[100];
    for (size_t i = 0; i < 100; i++)
        a[i] = b[i] = i;
    osw_shuffle(a, 100, 42);
    osw_shuffle(b, 100, 42);
    CHECK(memcmp(a, b, sizeof(a)) == 0); /* a seed replays its order */
    memset(seen, 0, sizeof(seen));
    size_t fixed = 0;
    for (size_t i = 0; i < 100; i++) {
        CHECK(a[i] < 100);
        if (a[i] < 100)
            seen[a[i]]++;
        fixed += a[i] == i;
    }
    for (size_t i = 0; i < 100; i++)
        CHECK(seen[i] == 1); /* a permutation */
    CHECK(fixed < 10);
    for (size_t i = 0; i < 100; i++)
        b[i] = i;
    osw_shuffle(b, 100, 43);
    CHECK(memcmp(a, b, sizeof(a)) != 0);
    CHECK(osw_rng(1, 2) == osw_rng(1, 2) && osw_rng(1, 2) != osw_rng(1, 3) &&
          osw_rng(1, 2) != osw_rng(2, 2));

    /* All 6 orders of 3 items, 6000 seeds: each near 1000 (deterministic
     * for these seeds; a biased draw would be far off). */
    int count[6] = {0};
    for (uint64_t seed = 0; seed < 6000; seed++) {
        size_t p[3] = {0, 1, 2};
        osw_shuffle(p, 3, seed);
        count[p[0] * 2 + (p[1] > p[2])]++;
    }
    for (int i = 0; i < 6; i++)
        CHECK(count[i] > 850 && count[i] < 1150);
    size_t one = 7;
    osw_shuffle(&one, 1, 5);
    CHECK(one == 7);
    osw_shuffle(NULL, 0, 5);
}

static void test_shared_core(void)
{
    /* CPUs 0-3 on cores 0, 0, 1, 1 (two hardware threads a core). */
    int map[4] = {0, 0, 1, 1};
    int a = -1, b = -1;
    int apart[2] = {0, 2}, together[3] = {1, 2, 0}, unknown[2] = {7, -1};
    CHECK(!osw_shared_core(apart, 2, map, 4, &a, &b));
    CHECK(osw_shared_core(together, 3, map, 4, &a, &b) && a == 0 && b == 2);
    CHECK(!osw_shared_core(unknown, 2, map, 4, &a, &b));
    int unmapped[4] = {-1, -1, 0, 1};
    int same[2] = {0, 0};
    CHECK(!osw_shared_core(same, 2, unmapped, 4, &a, &b));
    CHECK(osw_shared_core(same, 2, map, 4, &a, &b) && a == 0 && b == 1);
    CHECK(!osw_shared_core(same, 2, NULL, 0, &a, &b));
    int ncpu = 0;
    int *real = osw_cpu_core_map(&ncpu);
    if (real) {
        CHECK(ncpu > 0);
        CHECK(osw_cores_available(real, ncpu) >= 1);
        for (int i = 0; i < ncpu; i++)
            CHECK(real[i] >= -1 && real[i] < ncpu);
    }
    free(real);
}

static void test_config_key(void)
{
    osw_sysinfo sys;
    memset(&sys, 0, sizeof(sys));
    strcpy(sys.host, "hostA");
    osw_sampling fixed = {.reps = 10};
    osw_key_settings o = {
        .sys = &sys, .sampling = &fixed, .warmup = 1, .min_sample_s = 1e-4, .huge_pages = 1};
    char k1[4096], k2[4096];
    osw_config_key(&o, k1, sizeof(k1));
    CHECK(strstr(k1, ";host=hostA;") && strstr(k1, ";reps=10;") && strstr(k1, ";warmup=1;") &&
          strstr(k1, "min_time=0.0001;") && strstr(k1, "commit=") && strstr(k1, "flags="));
    /* The order and its seed are not part of the key: osw_key_settings has
     * no field for them. */
    osw_config_key(&o, k2, sizeof(k2));
    CHECK(strcmp(k1, k2) == 0);
    osw_sampling adaptive = {
        .reps = 10, .ci_target = 0.02, .min_reps = 10, .max_reps = 200, .max_time_s = 10};
    o.sampling = &adaptive;
    osw_config_key(&o, k2, sizeof(k2));
    CHECK(strstr(k2, ";reps=auto(ci=2%,min=10,max=200,time=10s);"));
    CHECK(osw_config_key(&o, NULL, 0) == (int)strlen(k2));
}

int main(void)
{
    test_ci_width();
    test_shuffle();
    test_shared_core();
    test_config_key();
    if (failures)
        fprintf(stderr, "%d failure(s)\n", failures);
    else
        puts("ok");
    return failures != 0;
}
