/* shim.cpp: ompsweep-gbench, every registered kernel as a Google Benchmark.
 *
 * The one C++ file of the project. It walks the kernel registry at run time
 * and registers one benchmark family per (kernel, schedule), with arguments
 * n and threads, so a new kernel needs no change here. Names look like
 *
 *     triad/schedule:static/chunk:0/n:16777216/threads:2/real_time
 *
 * OpenMP threads are set with omp_set_num_threads() inside the benchmark
 * (Google Benchmark's own ->Threads() would run the kernel several times at
 * once), the schedule with omp_set_schedule(); both before setup, which
 * first-touches the data under them. Time is wall-clock (UseRealTime).
 *
 * Builds against Google Benchmark 1.7 and 1.8: only APIs common to both
 * (SkipWithError takes a const char *, errors are tracked here rather than
 * read back from the reporter, whose Run struct changed in 1.8). */
#include <omp.h>

#include <benchmark/benchmark.h>

extern "C" {
#include "error.h"
#include "kernel.h"
#include "parse.h"
}

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
/* GCC 12 with the sanitizers at -O2 warns -Wmaybe-uninitialized inside
 * libstdc++'s <regex> (the std::function of its NFA states), a false
 * positive in the library's code: silenced for that header alone. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <string>
#include <vector>

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

namespace
{

/* What went wrong in any benchmark of this process: the exit status. */
bool g_setup_failed = false;
bool g_verify_failed = false;

double now_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* (max - mean) / max of the per-thread busy time the kernels' probes
 * recorded; NaN when no thread recorded any. */
double probe_imbalance(int threads)
{
    double max = 0, sum = 0;
    int count = threads < OSW_MAX_THREADS ? threads : OSW_MAX_THREADS;
    for (int i = 0; i < count; i++) {
        double b = osw_probe[i].busy_s;
        sum += b;
        if (b > max)
            max = b;
    }
    if (!(max > 0))
        return NAN;
    return (max - sum / count) / max;
}

/* Physical memory in bytes, or 0 when unknown. */
double phys_bytes()
{
    long pages = sysconf(_SC_PHYS_PAGES);
    long page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (double)pages * (double)page : 0;
}

void run_kernel(benchmark::State &state, const osw_kernel *k, osw_schedule sched)
{
    const size_t n = (size_t)state.range(0);
    const int threads = (int)state.range(1);
    char msg[OSW_ERRLEN];
    char sched_name[32];
    osw_schedule_name(&sched, sched_name, sizeof sched_name);

    omp_set_num_threads(threads);
    osw_schedule_apply(&sched);

    double need = k->alloc_bytes_per_elem * (double)n;
    double have = phys_bytes();
    if (have > 0 && need > 0.9 * have) {
        snprintf(msg, sizeof msg,
                 "%s: n=%zu needs %.3g GB, more than 90%% of the %.3g GB of memory", k->name, n,
                 need / 1e9, have / 1e9);
        g_setup_failed = true;
        state.SkipWithError(msg);
        return;
    }

    void *ctx = nullptr;
    int rc = k->setup(&ctx, n);
    if (rc != 0) {
        snprintf(msg, sizeof msg, "%s: setup failed for n=%zu: %s", k->name, n, osw_strerror(rc));
        g_setup_failed = true;
        state.SkipWithError(msg);
        return;
    }

    /* One untimed call: page faults and cold caches stay out of the loop. */
    k->run(ctx);
    osw_probe_reset();

    double cpu0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    double wall0 = now_s(CLOCK_MONOTONIC);
    for (auto _ : state)
        k->run(ctx);
    double wall = now_s(CLOCK_MONOTONIC) - wall0;
    double cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;

    /* Outside the timed loop from here on. */
    double imbalance = probe_imbalance(threads);
    double rel_err = NAN;
    int ok = k->verify(ctx, &rel_err);
    k->teardown(ctx);

    const int64_t iters = (int64_t)state.iterations();
    if (k->bytes_per_elem > 0)
        state.SetBytesProcessed((int64_t)(k->bytes_per_elem * (double)n) * iters);
    state.SetItemsProcessed((int64_t)n * iters);
    state.counters["n"] = (double)n;
    /* Not "threads": the JSON reporter already writes a "threads" key (its
     * own thread count, always 1 here) and a counter would duplicate it. */
    state.counters["omp_threads"] = threads;
    state.counters["chunk"] = sched.chunk;
    state.counters["cpu_per_wall"] = wall > 0 ? cpu / wall : NAN;
    state.counters["imbalance"] = imbalance;
    state.counters["rel_err"] = rel_err;
    state.SetLabel(sched_name);

    if (!ok) {
        snprintf(msg, sizeof msg, "%s: verification failed for n=%zu threads=%d: rel_err %.3g",
                 k->name, n, threads, rel_err);
        g_verify_failed = true;
        state.SkipWithError(msg);
    }
}

/* Takes the value of --NAME=VALUE or --NAME VALUE at argv[*i]; advances *i
 * past a separate value. Returns nullptr when argv[*i] is not that flag. */
const char *flag_value(int argc, char **argv, int *i, const char *name)
{
    size_t len = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, len) != 0)
        return nullptr;
    if (a[len] == '=')
        return a + len + 1;
    if (a[len] == '\0' && *i + 1 < argc)
        return argv[++*i];
    return nullptr;
}

void usage(FILE *f)
{
    fputs("ompsweep-gbench: every ompsweep kernel as a Google Benchmark.\n"
          "ompsweep flags (the Google Benchmark flags follow):\n"
          "  --osw_kernels=LIST    all (default) or comma-separated kernel names\n"
          "  --osw_sizes=LIST      problem sizes, e.g. 2^24,16Mi,1e6 (default: each kernel's)\n"
          "  --osw_threads=LIST    OpenMP thread counts: N, A-B, A-B:S, pow2, all (default pow2)\n"
          "  --osw_schedules=LIST  [monotonic:|nonmonotonic:]KIND[:CHUNK],... (default static)\n"
          "Exit status: 0 all verified, 1 a verification failed, 2 usage (a bad flag, a\n"
          "--benchmark_filter that is not a regular expression or matches nothing), 3\n"
          "setup failed or --benchmark_out cannot be written (docs/errors.md).\n\n",
          f);
}

struct options {
    const char *kernels = "all";
    const char *sizes = nullptr;
    const char *threads = "pow2";
    const char *schedules = "static";
};

/* Removes the --osw_* flags from argv. Returns 0, or OSW_EUSAGE with err set. */
int take_own_flags(int *argc, char **argv, options *o, char *err)
{
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *v;
        if ((v = flag_value(*argc, argv, &i, "--osw_kernels")))
            o->kernels = v;
        else if ((v = flag_value(*argc, argv, &i, "--osw_sizes")))
            o->sizes = v;
        else if ((v = flag_value(*argc, argv, &i, "--osw_threads")))
            o->threads = v;
        else if ((v = flag_value(*argc, argv, &i, "--osw_schedules")))
            o->schedules = v;
        else if (strncmp(argv[i], "--osw_", 6) == 0) {
            snprintf(err, OSW_ERRLEN, "unknown or incomplete flag '%s'", argv[i]);
            return OSW_EUSAGE;
        } else
            argv[out++] = argv[i];
    }
    *argc = out;
    argv[out] = nullptr;
    return 0;
}

int register_all(const options &o, char *err)
{
    const osw_kernel **kernels = nullptr;
    size_t *sizes = nullptr;
    int *threads = nullptr;
    osw_schedule *scheds = nullptr;
    size_t nkernels = 0, nsizes = 0, nthreads = 0, nscheds = 0;

    int rc = osw_parse_kernels(o.kernels, &kernels, &nkernels, err);
    if (rc == 0 && o.sizes)
        rc = osw_parse_sizes(o.sizes, &sizes, &nsizes, err);
    if (rc == 0)
        rc = osw_parse_threads(o.threads, omp_get_num_procs(), &threads, &nthreads, err);
    if (rc == 0)
        rc = osw_parse_schedules(o.schedules, &scheds, &nscheds, err);
    if (rc == 0)
        rc = osw_check_taskloop(kernels, nkernels, scheds, nscheds, err);
    for (size_t i = 0; rc == 0 && i < nsizes; i++)
        if (sizes[i] > (size_t)INT64_MAX) {
            snprintf(err, OSW_ERRLEN, "size %zu is too large", sizes[i]);
            rc = OSW_EUSAGE;
        }

    for (size_t ki = 0; rc == 0 && ki < nkernels; ki++) {
        const osw_kernel *k = kernels[ki];
        for (size_t si = 0; si < nscheds; si++) {
            osw_schedule s = scheds[si];
            char sched_name[32];
            osw_schedule_name(&s, sched_name, sizeof sched_name);
            std::string name = std::string(k->name) + "/schedule:" + sched_name +
                               "/chunk:" + std::to_string(s.chunk);
            auto *b = benchmark::RegisterBenchmark(
                name.c_str(), [k, s](benchmark::State &st) { run_kernel(st, k, s); });
            b->ArgNames({"n", "threads"});
            for (size_t zi = 0; zi < (o.sizes ? nsizes : 1); zi++) {
                size_t n = o.sizes ? sizes[zi] : k->default_n;
                for (size_t ti = 0; ti < nthreads; ti++)
                    b->Args({(int64_t)n, (int64_t)threads[ti]});
            }
            b->UseRealTime();
            b->Unit(benchmark::kMicrosecond);
        }
    }
    free(kernels);
    free(sizes);
    free(threads);
    free(scheds);
    return rc;
}

/* The value Google Benchmark will take for its flag --NAME: the last
 * --NAME=VALUE in argv, else the environment's NAME in capitals (its
 * default since 1.5), else nullptr. */
const char *gbench_flag(int argc, char **argv, const char *name)
{
    std::string prefix = std::string("--") + name + "=";
    const char *value = nullptr;
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], prefix.c_str(), prefix.size()) == 0)
            value = argv[i] + prefix.size();
    if (value)
        return value;
    std::string env(name);
    for (char &c : env)
        c = (char)toupper((unsigned char)c);
    return getenv(env.c_str());
}

/* Checks, before benchmark::Initialize, the flag values Google Benchmark 1.7
 * answers with its usage text and exit 0 (PrintUsageAndExit): the formats,
 * the time unit, an empty color. Returns 0, or OSW_EUSAGE with err set. */
int check_exiting_flags(int argc, char **argv, char *err)
{
    static const char *const formats[] = {"benchmark_format", "benchmark_out_format"};
    for (const char *name : formats) {
        const char *v = gbench_flag(argc, argv, name);
        if (v && strcmp(v, "console") != 0 && strcmp(v, "json") != 0 && strcmp(v, "csv") != 0) {
            snprintf(err, OSW_ERRLEN, "--%s '%s': accepted: console, json, csv", name, v);
            return OSW_EUSAGE;
        }
    }
    const char *unit = gbench_flag(argc, argv, "benchmark_time_unit");
    if (unit && *unit && strcmp(unit, "ns") != 0 && strcmp(unit, "us") != 0 &&
        strcmp(unit, "ms") != 0 && strcmp(unit, "s") != 0) {
        snprintf(err, OSW_ERRLEN, "--benchmark_time_unit '%s': accepted: ns, us, ms, s", unit);
        return OSW_EUSAGE;
    }
    const char *color = gbench_flag(argc, argv, "benchmark_color");
    if (color && !*color) {
        snprintf(err, OSW_ERRLEN, "--benchmark_color needs a value: true, false or auto");
        return OSW_EUSAGE;
    }
    return 0;
}

/* Google Benchmark's filter as it will match it (RunSpecifiedBenchmarks,
 * FindBenchmarks in 1.7 and 1.8): empty or "all" is ".", a leading '-'
 * negates; the rest a POSIX extended regular expression (std::regex).
 * Returns 0, or OSW_EUSAGE with err set when it does not compile (1.7
 * then runs nothing and exits 0). */
int check_filter(const std::string &filter, char *err)
{
    std::string spec = filter.empty() || filter == "all" ? "." : filter;
    if (spec[0] == '-')
        spec.erase(0, 1);
    try {
        std::regex re(spec, std::regex::extended);
    } catch (const std::regex_error &e) {
        snprintf(err, OSW_ERRLEN, "--benchmark_filter '%s' is not a regular expression: %s",
                 filter.c_str(), e.what());
        return OSW_EUSAGE;
    }
    return 0;
}

/* --benchmark_out must be a file we can write: opened (created, not
 * truncated) here, so that Google Benchmark's own check, which exits 1, is
 * never reached. Returns 0 or -errno. */
int check_out_file(const char *path)
{
    if (!path || !*path)
        return 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0)
        return -errno;
    close(fd);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    char err[OSW_ERRLEN] = "";
    options o;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            usage(stdout);
    int rc = take_own_flags(&argc, argv, &o, err);
    if (rc == 0)
        rc = check_exiting_flags(argc, argv, err);
    if (rc == 0)
        rc = register_all(o, err);
    if (rc != 0) {
        fprintf(stderr, "ompsweep-gbench: %s\n", err);
        return OSW_EXIT_USAGE;
    }
    const char *out = gbench_flag(argc, argv, "benchmark_out");
    std::string out_path = out ? out : "";

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return OSW_EXIT_USAGE;
    std::string filter = benchmark::GetBenchmarkFilter();
    if (check_filter(filter, err) != 0) {
        fprintf(stderr, "ompsweep-gbench: %s\n", err);
        return OSW_EXIT_USAGE;
    }
    rc = check_out_file(out_path.c_str());
    if (rc != 0) {
        fprintf(stderr, "ompsweep-gbench: --benchmark_out '%s': %s\n", out_path.c_str(),
                strerror(-rc));
        return OSW_EXIT_RESOURCE;
    }
    size_t matched = benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    if (matched == 0) {
        fprintf(stderr,
                "ompsweep-gbench: no benchmark matches --benchmark_filter '%s' "
                "(--benchmark_list_tests=true lists them): nothing ran\n",
                filter.c_str());
        return OSW_EXIT_USAGE;
    }

    if (g_setup_failed)
        return OSW_EXIT_RESOURCE;
    if (g_verify_failed)
        return OSW_EXIT_VERIFY;
    return OSW_EXIT_OK;
}
