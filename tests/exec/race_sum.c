/* race_sum [N]: the classic user bug, a parallel loop that adds into a
 * shared sum without `reduction(+ : sum)`. Each iteration reads the shared
 * sum, does its work (about 100 ns) and writes sum back plus 1; another
 * thread's updates in between are lost. Prints sum=N on one thread; on
 * more, less: with N = 10^6 a run lasts about 0.1 s, long enough for the
 * scheduler to run both threads (on two cores at once, or by turns), and
 * whenever a thread runs or is preempted inside that window, updates are
 * lost, so a correct sum on 2 threads is near-impossible. sum is volatile
 * so that the compiler keeps the read and the write where they are written.
 * For exec's --check tests (tests/exec/check_tests.py). */
#include <stdio.h>
#include <stdlib.h>

static volatile long long sum;
static volatile unsigned long long sink;

/* About 100 ns of work that the compiler cannot drop; returns 1. The empty
 * asm keeps every step: 64 steps of an affine recurrence are otherwise one
 * multiply-add to clang, whose race_sum then ran 8x shorter than gcc's and
 * sometimes finished on one thread before the second started, so that the
 * race lost nothing and exec.check_tune failed about one run in ten. */
static long long work(long long i)
{
    unsigned long long x = (unsigned long long)i;
    for (int k = 0; k < 64; k++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        __asm__ volatile("" : "+r"(x));
    }
    sink = x;
    return 1;
}

int main(int argc, char **argv)
{
    long long n = argc > 1 ? atoll(argv[1]) : 1000000;
#pragma omp parallel for schedule(static)
    for (long long i = 0; i < n; i++) {
        long long seen = sum; /* the bug: no reduction(+ : sum), no atomic */
        seen += work(i);
        sum = seen;
    }
    printf("sum=%lld\n", (long long)sum);
    return 0;
}
