/* hang.c: a program that never finishes, for the `ompsweep exec` timeout
 * tests. `hang --ignore-term` also ignores SIGTERM, so only SIGKILL ends it. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--ignore-term") == 0)
        signal(SIGTERM, SIG_IGN);
    puts("hang: sleeping forever");
    fflush(stdout);
    for (;;)
        pause();
}
