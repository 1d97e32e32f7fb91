/* fail_threads.c: an LD_PRELOAD module for cli.team_runtime_exit. Every
 * pthread_create of the process that loaded it fails with EAGAIN (as when
 * the system grants no more stack or threads); a forked child, whose pid
 * differs, creates threads as usual. So `ompsweep run` passes its thread
 * check (which forks) and then meets a runtime that cannot create a thread
 * in the middle of the sweep. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

static pid_t loader;

__attribute__((constructor)) static void remember_loader(void)
{
    loader = getpid();
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
