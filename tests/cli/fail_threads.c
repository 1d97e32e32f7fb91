/* fail_threads.c: an LD_PRELOAD module for cli.team_runtime_exit. Every
 * pthread_create of the process that loaded it fails with EAGAIN (as when
 * the system grants no more stack or threads); a forked child, whose pid
 * differs, and the thread check's re-executed child (ompsweep
 * --internal-threads-probe N, which loads the module again) create threads
 * as usual. So `ompsweep run` passes its thread check and then meets a
 * runtime that cannot create a thread in the middle of the sweep. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

static pid_t loader;

/* Whether this process is the thread check's child: its second argument
 * (from /proc/self/cmdline, NUL-separated). */
static int is_thread_probe(void)
{
    char cmd[256] = "";
    int fd = open("/proc/self/cmdline", O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t got = read(fd, cmd, sizeof(cmd) - 1);
    close(fd);
    if (got <= 0)
        return 0;
    cmd[got] = '\0';
    size_t first = strlen(cmd);
    return (ssize_t)first + 1 < got && strcmp(cmd + first + 1, "--internal-threads-probe") == 0;
}

__attribute__((constructor)) static void remember_loader(void)
{
    loader = is_thread_probe() ? -1 : getpid();
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
    if (getpid() == loader)
        return EAGAIN;
    void *sym = dlsym(RTLD_NEXT, "pthread_create");
    create_fn real;
    if (!sym)
        return EAGAIN;
    memcpy(&real, &sym, sizeof(real));
    return real(thread, attr, start, arg);
}
