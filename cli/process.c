/* process.c: process set-up and the final check of stdout (process.h). */
#define _GNU_SOURCE
#include "process.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void osw_process_init(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        int nul = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (nul >= 0 && nul != fd) {
            dup2(nul, fd);
            close(nul);
        }
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
}

int osw_process_finish(const char *prefix, int status)
{
    errno = 0;
    int bad = fflush(stdout) != 0 || ferror(stdout);
    int e = errno;
    if (fclose(stdout) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad)
        return status;
    fprintf(stderr, "%s: writing to stdout: %s (the output is incomplete)\n", prefix,
            e ? strerror(e) : "write error");
    return status == OSW_EXIT_OK ? OSW_EXIT_RESOURCE : status;
}
