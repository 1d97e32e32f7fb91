/* test_spearman: prints osw_spearman_order of each sequence of a file (one
 * line of comma-separated numbers each, '#' lines skipped), one %.17g line
 * per sequence ("nan" where it is NaN), for spearman_scipy.py to check
 * against scipy.stats.spearmanr. Usage: test_spearman FILE. */
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_spearman FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        fprintf(stderr, "test_spearman: cannot open %s\n", argv[1]);
        return 2;
    }
    static char line[1 << 16];
    static double x[4096];
    int rc = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (!strchr(line, '\n')) {
            fprintf(stderr, "test_spearman: a line longer than %zu bytes\n", sizeof(line) - 1);
            rc = 2;
            break;
        }
        size_t n = 0;
        char *p = line, *end;
        for (;;) {
            double v = strtod(p, &end);
            if (end == p || n == sizeof(x) / sizeof(x[0])) {
                fprintf(stderr, "test_spearman: bad number at '%.20s'\n", p);
                fclose(f);
                return 2;
            }
            x[n++] = v;
            if (*end != ',')
                break;
            p = end + 1;
        }
        double rho = osw_spearman_order(x, n);
        if (isnan(rho))
            printf("nan\n");
        else
            printf("%.17g\n", rho);
    }
    fclose(f);
    return rc;
}
