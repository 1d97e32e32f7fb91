/* fail.c: a program that prints a line on each stream and exits with status
 * 3, for the `ompsweep exec` tests. */
#include <stdio.h>

int main(void)
{
    puts("fail: some output");
    fputs("fail: giving up with status 3\n", stderr);
    return 3;
}
