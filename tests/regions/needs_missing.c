/* needs_missing.c: an OpenMP program that needs GOMP_warning (gcc 12's
 * `#pragma omp error at(execution) severity(warning)`) and
 * omp_target_alloc, which LLVM's libomp 14 does not define: the symbols
 * check must name both (tests/regions). */
#include <omp.h>
#include <stdio.h>

int main(void)
{
    int sum = 0;
#pragma omp parallel reduction(+ : sum)
    sum += 1;
    if (sum < 0) {
#pragma omp error at(execution) severity(warning) message("never reached")
        printf("%p\n", omp_target_alloc(8, omp_get_initial_device()));
    }
    printf("sum %d\n", sum);
    return 0;
}
