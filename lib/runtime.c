/* runtime.c: the OpenMP runtime switch (see runtime.h). */
#define _GNU_SOURCE
#include "runtime.h"
#include "error.h"
#include "parse.h"

#include "osw_runtime_config.h"

#include <dlfcn.h>
#include <errno.h>
#include <omp.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef OSW_HAVE_LIBELF
#include <gelf.h>
#include <libelf.h>
#endif

/* Where Debian's libomp-dev puts libomp.so.5, when CMake found none. */
static const char *const libomp_known[] = {
    "/usr/lib/x86_64-linux-gnu/libomp.so.5",
    "/usr/lib/llvm-14/lib/libomp.so.5",
    NULL,
};

void osw_runtime_fork_safe(void)
{
    int ours = getenv("KMP_INIT_AT_FORK") == NULL;
    if (ours)
        setenv("KMP_INIT_AT_FORK", "0", 1);
    (void)omp_get_max_threads(); /* libomp reads its environment here */
    if (ours)
        unsetenv("KMP_INIT_AT_FORK");
}

const char *osw_runtime_name(osw_runtime rt)
{
    return rt == OSW_RUNTIME_GOMP ? "gomp" : rt == OSW_RUNTIME_LLVM ? "llvm" : "unknown";
}

osw_runtime osw_runtime_parse(const char *name)
{
    if (name && strcmp(name, "gomp") == 0)
        return OSW_RUNTIME_GOMP;
    if (name && strcmp(name, "llvm") == 0)
        return OSW_RUNTIME_LLVM;
    return OSW_RUNTIME_UNKNOWN;
}

int osw_runtime_libomp(char *buf, size_t len)
{
    const char *configured = OSW_LIBOMP_PATH;
    if (configured[0] && access(configured, R_OK) == 0) {
        snprintf(buf, len, "%s", configured);
        return 0;
    }
    for (const char *const *p = libomp_known; *p; p++)
        if (access(*p, R_OK) == 0) {
            snprintf(buf, len, "%s", *p);
            return 0;
        }
    if (len)
        buf[0] = '\0';
    return -ENOENT;
}

int osw_runtime_ompt_tool(char *buf, size_t len)
{
    /* Beside an installed ompsweep (PREFIX/bin/ompsweep ->
     * PREFIX/lib/ompsweep/), wherever the prefix was moved to. */
    char exe[PATH_MAX], beside[PATH_MAX + 64] = "";
    ssize_t el = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (el > 0) {
        exe[el] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(beside, sizeof(beside), "%s/../lib/ompsweep/libosw_ompt.so", exe);
        }
    }
    const char *cands[] = {getenv("OSW_OMPT_LIBRARY"), OSW_OMPT_BUILD_PATH, beside,
                           OSW_OMPT_INSTALL_PATH};
    for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++)
        if (cands[i] && cands[i][0] && access(cands[i], R_OK) == 0) {
            snprintf(buf, len, "%s", cands[i]);
            return 0;
        }
    if (len)
        buf[0] = '\0';
    return -ENOENT;
}

/* mkdir -p. Returns 0 or -errno. */
static int make_dirs(const char *dir)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
        return -ENAMETOOLONG;
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p)
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return -errno;
        *p = c;
        if (!c)
            break;
    }
    struct stat st;
    if (stat(dir, &st) != 0)
        return -errno;
    return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int osw_runtime_swap_dir(const char *dir, char *err)
{
    char libomp[PATH_MAX], link[PATH_MAX + 16], target[PATH_MAX];
    if (osw_runtime_libomp(libomp, sizeof(libomp)) != 0) {
        snprintf(err, OSW_ERRLEN,
                 "LLVM's libomp.so.5 not found (install libomp-dev: scripts/install-deps.sh)");
        return -ENOENT;
    }
    int rc = make_dirs(dir);
    if (rc) {
        snprintf(err, OSW_ERRLEN, "cannot create the swap folder '%.200s': %s", dir, strerror(-rc));
        return rc;
    }
    snprintf(link, sizeof(link), "%s/libgomp.so.1", dir);
    ssize_t n = readlink(link, target, sizeof(target) - 1);
    if (n >= 0) {
        target[n] = '\0';
        if (strcmp(target, libomp) == 0)
            return 0;
    }
    if ((n >= 0 || errno == EINVAL) && unlink(link) != 0 && errno != ENOENT) {
        rc = -errno;
        snprintf(err, OSW_ERRLEN, "cannot replace '%.200s': %s", link, strerror(-rc));
        return rc;
    }
    if (symlink(libomp, link) != 0 && errno != EEXIST) {
        rc = -errno;
        snprintf(err, OSW_ERRLEN, "cannot create the link '%.200s': %s", link, strerror(-rc));
        return rc;
    }
    return 0;
}

int osw_runtime_env(osw_runtime rt, const char *swap_dir, const char *old_path, char *buf,
                    size_t len)
{
    int w;
    if (rt == OSW_RUNTIME_GOMP)
        w = snprintf(buf, len, "%s", "");
    else if (rt == OSW_RUNTIME_LLVM && old_path && *old_path)
        w = snprintf(buf, len, "LD_LIBRARY_PATH=%s:%s", swap_dir, old_path);
    else if (rt == OSW_RUNTIME_LLVM)
        w = snprintf(buf, len, "LD_LIBRARY_PATH=%s", swap_dir);
    else
        return OSW_EUSAGE;
    return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
}

/* ---- the symbols check ---- */

static int runtime_symbol(const char *name)
{
    return strncmp(name, "GOMP_", 5) == 0 || strncmp(name, "omp_", 4) == 0;
}

#ifdef OSW_HAVE_LIBELF
/* A sorted list of names. */
struct names {
    char **v;
    size_t n, cap;
};

static int names_add(struct names *s, const char *name)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        char **v = realloc(s->v, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        s->v = v;
        s->cap = cap;
    }
    if (!(s->v[s->n] = strdup(name)))
        return -ENOMEM;
    s->n++;
    return 0;
}

static void names_free(struct names *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof(*s));
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The runtime symbols of path's dynamic symbol table: undefined ones
 * (want_undefined) or defined ones, into s. Returns 0 or a negative code
 * with err set. */
static int dynamic_symbols(const char *path, int want_undefined, struct names *s, char *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(err, OSW_ERRLEN, "cannot open '%.200s': %s", path, strerror(e));
        return -e;
    }
    int rc = OSW_EFORMAT;
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    Elf_Scn *scn = NULL;
    int found = 0;
    if (!elf || elf_kind(elf) != ELF_K_ELF) {
        snprintf(err, OSW_ERRLEN, "'%.200s' is not an ELF file", path);
        goto done;
    }
    while ((scn = elf_nextscn(elf, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNSYM || !sh.sh_entsize)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        if (!data)
            continue;
        found = 1;
        size_t count = sh.sh_size / sh.sh_entsize;
        for (size_t i = 1; i < count; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, (int)i, &sym))
                continue;
            const char *name = elf_strptr(elf, sh.sh_link, sym.st_name);
            if (!name || !runtime_symbol(name))
                continue;
            if ((sym.st_shndx == SHN_UNDEF) != (want_undefined != 0))
                continue;
            if (names_add(s, name) != 0) {
                rc = -ENOMEM;
                snprintf(err, OSW_ERRLEN, "out of memory");
                goto done;
            }
        }
    }
    if (!found) {
        snprintf(err, OSW_ERRLEN, "'%.200s' has no dynamic symbol table (a static program?)", path);
        goto done;
    }
    qsort(s->v, s->n, sizeof(*s->v), name_cmp);
    rc = 0;
done:
    if (elf)
        elf_end(elf);
    close(fd);
    return rc;
}

int osw_runtime_missing_symbols(const char *program, const char *libomp, char *buf, size_t len,
                                char *err)
{
    struct names need = {0}, have = {0};
    if (len)
        buf[0] = '\0';
    if (elf_version(EV_CURRENT) == EV_NONE) {
        snprintf(err, OSW_ERRLEN, "libelf: %s", elf_errmsg(-1));
        return OSW_EFORMAT;
    }
    int rc = dynamic_symbols(program, 1, &need, err);
    if (rc == 0)
        rc = dynamic_symbols(libomp, 0, &have, err);
    if (rc) {
        names_free(&need);
        names_free(&have);
        return rc;
    }
    int missing = 0;
    size_t used = 0;
    for (size_t i = 0; i < need.n; i++) {
        if (i > 0 && strcmp(need.v[i], need.v[i - 1]) == 0)
            continue;
        if (bsearch(&need.v[i], have.v, have.n, sizeof(*have.v), name_cmp))
            continue;
        missing++;
        size_t nl = strlen(need.v[i]);
        if (used + nl + 2 + 4 < len) {
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " " : "", need.v[i]);
        } else if (len > 4 && !strstr(buf, "...")) {
            snprintf(buf + (used + 4 < len ? used : len - 5), 5, " ...");
            used = len;
        }
    }
    names_free(&need);
    names_free(&have);
    return missing;
}
#else
int osw_runtime_missing_symbols(const char *program, const char *libomp, char *buf, size_t len,
                                char *err)
{
    (void)program;
    (void)libomp;
    if (len)
        buf[0] = '\0';
    snprintf(err, OSW_ERRLEN,
             "the symbols check needs libelf: this ompsweep was built without it "
             "(install libelf-dev: scripts/install-deps.sh)");
    return -ENOSYS;
}
#endif

/* ---- which runtime served a process ---- */

osw_runtime osw_runtime_from_display_env(const char *text, size_t len)
{
    static const char begin[] = "OPENMP DISPLAY ENVIRONMENT BEGIN";
    const char *end = text + len;
    const char *p = memmem(text, len, begin, sizeof(begin) - 1);
    if (!p)
        return OSW_RUNTIME_UNKNOWN;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *q = p;
        while (q < le && *q == ' ')
            q++;
        size_t ll = (size_t)(le - q);
        if (ll >= 7 && strncmp(q, "[host] ", 7) == 0)
            return OSW_RUNTIME_LLVM;
        if (ll > 4 && strncmp(q, "OMP_", 4) == 0) {
            size_t name = strspn(q, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
            if (name < ll && q[name] == ' ')
                return OSW_RUNTIME_GOMP; /* "OMP_NAME = 'value'" */
            if (name < ll && q[name] == '=')
                return OSW_RUNTIME_UNKNOWN; /* some other runtime's form */
        }
        if (ll >= 30 && strncmp(q, "OPENMP DISPLAY ENVIRONMENT END", 30) == 0)
            break;
        p = nl ? nl + 1 : end;
    }
    return OSW_RUNTIME_UNKNOWN;
}

osw_runtime osw_runtime_of_env(const char *env)
{
    static const char key[] = OSW_RUNTIME_AXIS "=";
    for (const char *p = env; p && *p;) {
        size_t l = strcspn(p, ";");
        if (l > sizeof(key) - 1 && strncmp(p, key, sizeof(key) - 1) == 0) {
            char name[16];
            snprintf(name, sizeof(name), "%.*s", (int)(l - (sizeof(key) - 1)), p + sizeof(key) - 1);
            return osw_runtime_parse(name);
        }
        p += l + (p[l] == ';');
    }
    return OSW_RUNTIME_UNKNOWN;
}

osw_runtime osw_runtime_take(char **vars, size_t *nvars, const char *swap_dir, char *buf,
                             size_t len)
{
    static const char key[] = OSW_RUNTIME_AXIS "=";
    osw_runtime rt = OSW_RUNTIME_UNKNOWN;
    size_t w = 0;
    for (size_t r = 0; r < *nvars; r++) {
        if (strncmp(vars[r], key, sizeof(key) - 1) == 0)
            rt = osw_runtime_parse(vars[r] + sizeof(key) - 1);
        else
            vars[w++] = vars[r];
    }
    *nvars = w;
    if (rt == OSW_RUNTIME_LLVM &&
        osw_runtime_env(rt, swap_dir, getenv("LD_LIBRARY_PATH"), buf, len) == 0 && buf[0])
        vars[(*nvars)++] = buf;
    return rt;
}

osw_runtime osw_runtime_self(void)
{
    Dl_info info;
    char real[PATH_MAX];
    if (!dladdr((void *)omp_get_num_threads, &info) || !info.dli_fname)
        return OSW_RUNTIME_UNKNOWN;
    const char *path = realpath(info.dli_fname, real) ? real : info.dli_fname;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strncmp(base, "libomp", 6) == 0)
        return OSW_RUNTIME_LLVM;
    if (strncmp(base, "libgomp", 7) == 0)
        return OSW_RUNTIME_GOMP;
    return OSW_RUNTIME_UNKNOWN;
}

size_t osw_gomp_taskloop_tasks(int by_tasks, long value, size_t items)
{
    if (items == 0 || value < 1)
        return 0;
    if (by_tasks)
        return (size_t)value < items ? (size_t)value : items;
    size_t tasks = items / (size_t)value;
    return tasks ? tasks : 1;
}
