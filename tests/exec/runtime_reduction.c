/* runtime_reduction [N]: sum = 0.5 * (0 + 1 + ... + N-1) by a
 * schedule(runtime) reduction over a loop that also writes an array. Every
 * partial sum is a multiple of 0.5 below 2^52, so the result is exact in any
 * order and on any number of threads: sum=249999750000 for N = 10^6.
 * Debian's clang 14 at -O2 miscompiles this loop and returns 1/4 of it (on
 * any thread count, 1 included); gcc 12 is right. exec --check's
 * --check-ref-cmd demonstration (tests/exec/check_tests.py) builds it with
 * both at test time. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    if (n < 0)
        return 2;
    double *a = malloc((size_t)(n > 0 ? n : 1) * sizeof(*a));
    if (!a)
        return 1;
    double s = 0;
#pragma omp parallel for schedule(runtime) reduction(+ : s)
    for (long i = 0; i < n; i++) {
        a[i] = (double)i * 0.5;
        s += a[i];
    }
    printf("sum=%.17g\n", s);
    free(a);
    return 0;
}
