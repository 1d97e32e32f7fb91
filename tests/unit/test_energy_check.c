/* test_energy_check CASE FIXTURES_DIR: unit tests of lib/energy.c (the
 * powercap counters, on the trees of tests/fixtures/powercap) and of
 * lib/check.c (exec --check's numbers and their comparison).
 * Exit 0 pass, 1 fail, 2 unknown case. */
#define _GNU_SOURCE
#include "check.h"
#include "energy.h"
#include "error.h"
#include "parse.h"

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

static const char *fixtures;

static void fixture(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/powercap/%s", fixtures, name);
}

/* Two package domains found, sorted, their subdomains and mmio left out; a
 * reading; joules between readings, one counter wrapping. */
static void case_energy_fixture(void)
{
    char root[4096];
    fixture(root, sizeof(root), "two-packages");
    osw_energy e;
    CHECK(osw_energy_open(&e, root) == 1);
    CHECK(e.ndomains == 2);
    CHECK(strstr(e.path[0], "/intel-rapl:0/energy_uj") != NULL);
    CHECK(strstr(e.path[1], "/intel-rapl:1/energy_uj") != NULL);
    CHECK(e.range_uj[0] == 262143328850.0 && e.range_uj[1] == 65532610987.0);
    osw_energy_snap a, b;
    CHECK(osw_energy_read(&e, &a) == 0);
    CHECK(a.ndomains == 2 && a.uj[0] == 262143000000.0 && a.uj[1] == 1500000.0);
    /* The same reading twice: no energy. */
    CHECK(osw_energy_joules(&e, &a, &a) == 0.0);
    /* Package 0 wraps: 262143000000 -> 671150 is 328850 + 671150 = 1000000
     * uJ; package 1 grows by 2.5 J. */
    b = a;
    b.uj[0] = 671150;
    b.uj[1] = 4000000;
    double j = osw_energy_joules(&e, &a, &b);
    CHECK(fabs(j - 3.5) < 1e-12);
    /* A failed reading gives NaN, never a number. */
    osw_energy_snap bad = {0};
    CHECK(isnan(osw_energy_joules(&e, &a, &bad)));
    CHECK(isnan(osw_energy_joules(&e, &bad, &a)));
}

/* No domain, a domain without its range, no directory: unavailable, with a
 * reason; readings fail and joules are NaN. */
static void case_energy_unavailable(void)
{
    static const char *const trees[] = {"empty", "no-range", "absent"};
    for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
        char root[4096];
        fixture(root, sizeof(root), trees[i]);
        osw_energy e;
        CHECK(osw_energy_open(&e, root) == 0);
        CHECK(e.ndomains == 0);
        CHECK(e.why[0] != '\0');
        osw_energy_snap a, b;
        CHECK(osw_energy_read(&e, &a) == -1 && a.ndomains == 0);
        CHECK(osw_energy_read(&e, &b) == -1);
        CHECK(isnan(osw_energy_joules(&e, &a, &b)));
    }
    char root[4096];
    fixture(root, sizeof(root), "absent");
    osw_energy e;
    osw_energy_open(&e, root);
    CHECK(strstr(e.why, "no powercap interface") != NULL);
    fixture(root, sizeof(root), "no-range");
    osw_energy_open(&e, root);
    CHECK(strstr(e.why, "1 of 1 RAPL package counter(s)") != NULL);
    fixture(root, sizeof(root), "empty");
    osw_energy_open(&e, root);
    CHECK(strstr(e.why, "no RAPL package domain") != NULL);
}

/* Searches text with pattern; the numbers into *v. 0 or -1. */
static int found(const char *pattern, const char *text, osw_check_values *v, char *why)
{
    osw_check *c;
    char err[OSW_ERRLEN];
    if (osw_check_new(&c, pattern, -1, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        return -2;
    }
    osw_check_found f;
    osw_check_search(c, text, strlen(text), &f);
    int rc = osw_check_values_of(&f, v, why, 200);
    osw_check_free(c);
    return rc;
}

/* The groups' numbers, integers told apart; what is no number. */
static void case_check_values(void)
{
    osw_check_values v;
    char why[200];
    CHECK(found("sum=(\\S+) n=(\\S+)", "x\nsum=2.5e3 n=-42\n", &v, why) == 0);
    CHECK(v.count == 2 && v.v[0] == 2500 && v.v[1] == -42);
    CHECK(!v.integer[0] && v.integer[1]);
    CHECK(found("sum=(\\S+)", "sum=nan\n", &v, why) == -1 && strstr(why, "not a number"));
    CHECK(found("sum=(\\S+)", "sum=12abc\n", &v, why) == -1 && strstr(why, "not a number"));
    CHECK(found("sum=(\\S+)", "total=1\n", &v, why) == -1 && strstr(why, "did not match"));
    /* An optional group that took no part: no number. */
    CHECK(found("sum=(\\d+)(?: n=(\\d+))?", "sum=1\n", &v, why) == -1);
    /* ^ and $ at every line, as --metric. */
    CHECK(found("^r=(\\d+)$", "a\nr=7\nb\n", &v, why) == 0 && v.v[0] == 7);
    osw_check *c;
    char err[OSW_ERRLEN];
    CHECK(osw_check_new(&c, "sum=\\d+", -1, err, sizeof(err)) == OSW_EUSAGE);
    CHECK(strstr(err, "groups") != NULL);
    CHECK(osw_check_new(&c, "(", -1, err, sizeof(err)) == OSW_EUSAGE);
}

static osw_check_values values(int n, const double *x, const int *integer)
{
    osw_check_values v = {.count = n};
    for (int i = 0; i < n; i++) {
        v.v[i] = x[i];
        v.integer[i] = integer[i];
    }
    return v;
}

/* Integers exact, other numbers 1e-12 relative, --rtol for all; rel_err. */
static void case_check_compare(void)
{
    double e;
    osw_check_values a = values(1, (double[]){400000}, (int[]){1});
    osw_check_values b = values(1, (double[]){399999}, (int[]){1});
    CHECK(osw_check_compare(&a, &a, -1, &e) == 1 && e == 0);
    CHECK(osw_check_compare(&a, &b, -1, &e) == 0 && fabs(e - 1.0 / 400000) < 1e-18);
    CHECK(osw_check_compare(&a, &b, 1e-5, &e) == 1);
    osw_check_values x = values(1, (double[]){1.0}, (int[]){0});
    osw_check_values y = values(1, (double[]){1.0 + 1e-13}, (int[]){0});
    osw_check_values z = values(1, (double[]){1.0 + 1e-11}, (int[]){0});
    CHECK(osw_check_compare(&x, &y, -1, &e) == 1);
    CHECK(osw_check_compare(&x, &z, -1, &e) == 0);
    CHECK(osw_check_compare(&x, &z, 0, &e) == 0);
    /* An integer against a decimal: the decimal tolerance. */
    osw_check_values i1 = values(1, (double[]){1.0}, (int[]){1});
    CHECK(osw_check_compare(&i1, &y, -1, &e) == 1);
    /* A zero reference: the absolute difference. */
    osw_check_values zero = values(1, (double[]){0}, (int[]){0});
    osw_check_values small = values(1, (double[]){1e-3}, (int[]){0});
    CHECK(osw_check_compare(&zero, &small, -1, &e) == 0 && e == 1e-3);
    /* The largest error of several; counts that differ. */
    osw_check_values p = values(2, (double[]){10, 20}, (int[]){1, 1});
    osw_check_values q = values(2, (double[]){10, 25}, (int[]){1, 1});
    CHECK(osw_check_compare(&p, &q, -1, &e) == 0 && e == 0.25);
    CHECK(osw_check_compare(&p, &a, -1, &e) == 0 && isinf(e));
}

/* The reference: --expect's; else the 1-thread run's of the same key. */
static void case_check_reference(void)
{
    osw_check *c;
    char err[OSW_ERRLEN];
    CHECK(osw_check_new(&c, "s=(\\d+)", -1, err, sizeof(err)) == 0);
    osw_check_values one = values(1, (double[]){5}, (int[]){1});
    osw_check_values two = values(1, (double[]){6}, (int[]){1});
    CHECK(osw_check_reference(c, "k|a", 2, &two) == NULL); /* no 1-thread run yet */
    const osw_check_values *r = osw_check_reference(c, "k|a", 1, &one);
    CHECK(r && r->v[0] == 5);
    r = osw_check_reference(c, "k|a", 2, &two);
    CHECK(r && r->v[0] == 5);
    r = osw_check_reference(c, "k|a", 1, &two); /* a later 1-thread run compares */
    CHECK(r && r->v[0] == 5);
    CHECK(osw_check_reference(c, "k|b", 2, &two) == NULL);
    CHECK(!osw_check_fixed(c));
    CHECK(osw_check_expect(c, "7", err, sizeof(err)) == 0 && osw_check_fixed(c));
    r = osw_check_reference(c, "k|b", 2, &two);
    CHECK(r && r->v[0] == 7 && r->integer[0]);
    CHECK(osw_check_expect(c, "1,2", err, sizeof(err)) == OSW_EUSAGE);
    CHECK(osw_check_expect(c, "", err, sizeof(err)) == OSW_EUSAGE);
    CHECK(osw_check_expect(c, "1,", err, sizeof(err)) == OSW_EUSAGE);
    CHECK(osw_check_expect(c, "inf", err, sizeof(err)) == OSW_EUSAGE);
    /* A reference command: its output's numbers; failures are usage errors. */
    CHECK(osw_check_ref_cmd(c, "echo s=12; echo s=13 >&2", 10, err, sizeof(err)) == 0);
    r = osw_check_reference(c, "k|b", 2, &two);
    CHECK(r && r->v[0] == 12);
    CHECK(osw_check_ref_cmd(c, "echo s=1; exit 4", 10, err, sizeof(err)) == OSW_EUSAGE);
    CHECK(strstr(err, "exit status 4") != NULL);
    CHECK(osw_check_ref_cmd(c, "echo none", 10, err, sizeof(err)) == OSW_EUSAGE);
    CHECK(strstr(err, "did not match") != NULL);
    CHECK(osw_check_ref_cmd(c, "sleep 5", 0.2, err, sizeof(err)) == OSW_EUSAGE);
    CHECK(strstr(err, "killed") != NULL);
    CHECK(osw_check_ref_cmd(c, "kill -9 $$", 10, err, sizeof(err)) == OSW_EUSAGE);
    CHECK(strstr(err, "signal 9") != NULL);
    r = osw_check_reference(c, "k|b", 2, &two); /* a failed command changes nothing */
    CHECK(r && r->v[0] == 12);
    cJSON *j = osw_check_json(c);
    char *text = cJSON_PrintUnformatted(j);
    CHECK(text && strstr(text, "\"reference\":\"command\"") &&
          strstr(text, "\"reference_values\":[12]"));
    free(text);
    cJSON_Delete(j);
    osw_check_free(c);
}

static const struct {
    const char *name;
    void (*fn)(void);
} cases[] = {
    {"energy_fixture", case_energy_fixture},   {"energy_unavailable", case_energy_unavailable},
    {"check_values", case_check_values},       {"check_compare", case_check_compare},
    {"check_reference", case_check_reference},
};

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_energy_check CASE FIXTURES_DIR\n");
        return 2;
    }
    fixtures = argv[2];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (strcmp(cases[i].name, argv[1]) == 0) {
            cases[i].fn();
            return failures ? 1 : 0;
        }
    }
    fprintf(stderr, "test_energy_check: unknown case '%s'\n", argv[1]);
    return 2;
}
