/* omp_team.c: prints the size of the team of one parallel region
 * ("team N"), for the runtime-switch tests (tests/regions). */
#include <omp.h>
#include <stdio.h>

int main(void)
{
    int team = 0;
#pragma omp parallel
    {
#pragma omp single
        team = omp_get_num_threads();
    }
    printf("team %d\n", team);
    return 0;
}
