/* crash.c: a program that dies of SIGSEGV, for the `ompsweep exec` tests. The
 * default action is restored first (a sanitizer's handler would turn the
 * signal into an exit status), and no core file is written. */
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>

int main(void)
{
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    signal(SIGSEGV, SIG_DFL);
    puts("crash: about to raise SIGSEGV");
    fflush(stdout);
    raise(SIGSEGV);
    return 0;
}
