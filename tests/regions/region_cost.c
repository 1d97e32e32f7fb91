/* region_cost.c: CALLS parallel regions of WORK units each, for measuring
 * the OMPT tool's cost per region (docs/regions.md, "What the tool
 * costs"): region_cost CALLS WORK. Prints a checksum. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long calls = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
    long work = argc > 2 ? strtol(argv[2], NULL, 10) : 1000;
    if (calls < 1 || work < 1) {
        fprintf(stderr, "usage: region_cost CALLS WORK (both positive)\n");
        return 2;
    }
    double total = 0;
    for (long c = 0; c < calls; c++) {
        double sum = 0;
#pragma omp parallel for reduction(+ : sum) schedule(static)
        for (long i = 0; i < work; i++) {
            double x = (double)((i + c) % 89) * 1e-3;
            for (int k = 0; k < 8; k++)
                x = x * 0.999 + 1e-4;
            sum += x;
        }
        total += sum;
    }
    printf("checksum %.6f\n", total);
    return 0;
}
