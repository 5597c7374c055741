/*
 * VERIFICATION ONLY, NOT DEPLOYABLE. Linked by bin/native-verify into the image's executable, in place of the C
 * support libraries a GraalVM distribution ships under lib/svm/clibraries (libchelper.a, libsvm_container.a) and of
 * the static JDK libraries' JNI_OnLoad_<lib> entry points. The Maven Central builder jars come without them, so
 * each function the image's .o calls is written here, small, with what GraalVM's real one does and why this one is
 * enough to run the functions once under a local Lambda runtime API (docs/native.md, "bin/native-verify").
 *
 * Compiled with the stand-in headers bin/native-build-check generates from the builder jar's own declarations
 * (native-check/CHeaders.java): the image was compiled against the same headers, so struct layouts and constants
 * agree between the image and these functions.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <locale.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "amd64cpufeatures.h"
#include "svm_locale.h"

/* ---- CPU features (GraalVM: libchelper's cpuid.c) ----------------------------------------------------------------
 *
 * determineCPUFeatures: GraalVM's reads every CPUID leaf HotSpot reads (and XCR0) and sets every feature flag of
 * the struct (AVX, AVX-512, BMI, ...), so that the image picks its fastest code paths at run time. This one sets
 * only the flags of CPUID leaf 1 (the x86-64-v2 baseline the image is compiled for: quarkus.native.march=x86-64-v2)
 * and reports everything newer as absent. An absent feature only makes the image take its portable code path, never
 * a wrong one, so the functions behave the same; their speed on vector code is not what is being verified.
 */
void determineCPUFeatures(CPUFeatures *features) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return;
    }
    features->fTSC = (edx >> 4) & 1;
    features->fCX8 = (edx >> 8) & 1;
    features->fCMOV = (edx >> 15) & 1;
    features->fFLUSH = (edx >> 19) & 1;
    features->fMMX = (edx >> 23) & 1;
    features->fFXSR = (edx >> 24) & 1;
    features->fSSE = (edx >> 25) & 1;
    features->fSSE2 = (edx >> 26) & 1;
    features->fSSE3 = ecx & 1;
    features->fCLMUL = (ecx >> 1) & 1;
    features->fSSSE3 = (ecx >> 9) & 1;
    features->fSSE4_1 = (ecx >> 19) & 1;
    features->fSSE4_2 = (ecx >> 20) & 1;
    features->fPOPCNT = (ecx >> 23) & 1;
    features->fAES = (ecx >> 25) & 1;
}

/*
 * checkCPUFeatures: the image passes the features it was compiled to require as an inverted mask of the struct
 * (a byte ~1 where the feature is required, 0xff where it is not). GraalVM's answers 0 when every required feature
 * is present (mask | host is all ones) and 1 otherwise; so does this one, from determineCPUFeatures above.
 */
int checkCPUFeatures(const uint8_t *buildtimeFeatures) {
    CPUFeatures host;
    memset(&host, 0, sizeof host);
    determineCPUFeatures(&host);
    const uint8_t *h = (const uint8_t *) &host;
    for (size_t i = 0; i < sizeof host; i++) {
        if ((uint8_t) (buildtimeFeatures[i] | h[i]) != 0xff) {
            return 1;
        }
    }
    return 0;
}

/* checkCPUFeaturesOrExit: as GraalVM's, prints the image's message and exits when a required feature is missing. */
int checkCPUFeaturesOrExit(const uint8_t *buildtimeFeatures, const char *errorMessage) {
    if (checkCPUFeatures(buildtimeFeatures)) {
        fputs(errorMessage, stderr);
        exit(1);
    }
    return 0;
}

/* ---- locale (GraalVM: libchelper's locale.c) ---------------------------------------------------------------------
 *
 * GraalVM's runs setlocale(LC_ALL, "") and parses LC_CTYPE and LC_MESSAGES as the JDK's java_props_md.c does,
 * including the JDK's alias tables (e.g. "iw" to "he"). This one parses them the same way but without the alias
 * tables: "C" and "POSIX" become en_US as in the JDK, and a name like de_DE.UTF-8 gives language de, country DE. The
 * functions run with LANG=C.UTF-8 under bin/invoke (en_US in both) and write JSON and ISO-8601, which do not depend
 * on the locale.
 */
static svm_locale_props_t locale_props;

static int parse_locale(int category, void **language, void **country) {
    const char *lc = setlocale(category, NULL);
    if (lc == NULL || strcmp(lc, "C") == 0 || strcmp(lc, "POSIX") == 0 || strncmp(lc, "C.", 2) == 0) {
        lc = "en_US";
    }
    char *copy = strdup(lc);
    if (copy == NULL) {
        return SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
    }
    copy[strcspn(copy, ".@")] = '\0';
    char *underscore = strchr(copy, '_');
    if (underscore != NULL) {
        *underscore = '\0';
        *country = underscore + 1;
    }
    *language = copy;
    return SVM_LOCALE_INITIALIZATION_SUCCEEDED;
}

int svm_initialize_locale(void) {
    setlocale(LC_ALL, "");
    int result = parse_locale(LC_CTYPE, &locale_props.format_language, &locale_props.format_country);
    if (result == SVM_LOCALE_INITIALIZATION_SUCCEEDED) {
        result = parse_locale(LC_MESSAGES, &locale_props.display_language, &locale_props.display_country);
    }
    return result;
}

svm_locale_props_t *svm_get_locale(void) {
    return &locale_props;
}

/* ---- time zone (GraalVM: libchelper's timeZone.c) ----------------------------------------------------------------
 *
 * GraalVM's is the JDK's TimeZone_md.c: TZ, else /etc/timezone, else the zoneinfo file /etc/localtime links to or
 * equals, else a GMT offset ID. This one takes TZ (without a leading ':' or "posix/", as the JDK does), else the
 * /etc/localtime link, else "GMT". Lambda and bin/invoke set TZ=:UTC, so both give "UTC". The mappings argument is
 * for Windows only.
 */
char *SVM_FindJavaTZmd(const char *tzmappings, int length) {
    (void) tzmappings;
    (void) length;
    const char *tz = getenv("TZ");
    if (tz != NULL && *tz != '\0') {
        if (*tz == ':') {
            tz++;
        }
        if (strncmp(tz, "posix/", 6) == 0) {
            tz += 6;
        }
        return strdup(tz);
    }
    static char link[4096];
    ssize_t n = readlink("/etc/localtime", link, sizeof link - 1);
    if (n > 0) {
        link[n] = '\0';
        const char *zone = strstr(link, "zoneinfo/");
        if (zone != NULL) {
            return strdup(zone + strlen("zoneinfo/"));
        }
    }
    return strdup("GMT");
}

/* ---- Java signal handling (GraalVM: libchelper's cSunMiscSignal.c) -----------------------------------------------
 *
 * The same mechanism as GraalVM's, which is small: a C signal handler (it must not touch the Java heap) counts each
 * signal in a table and posts a semaphore; the image's "Signal Dispatcher" thread waits on the semaphore and takes
 * pending signals one at a time. Quarkus registers SIGINT/SIGTERM/SIGHUP through it for its shutdown, so this must
 * work rather than fail. Unlike GraalVM's, open() does not refuse a second opener (the image opens it once).
 */
static volatile long signal_counts[NSIG];
static sem_t signal_semaphore;
static volatile int signal_open;

static void counting_handler(int signal) {
    int saved = errno;
    if (signal > 0 && signal < NSIG) {
        __atomic_fetch_add(&signal_counts[signal], 1, __ATOMIC_SEQ_CST);
        sem_post(&signal_semaphore);
    }
    errno = saved;
}

int cSunMiscSignal_open(void) {
    memset((void *) signal_counts, 0, sizeof signal_counts);
    if (sem_init(&signal_semaphore, 0, 0) != 0) {
        return -1;
    }
    signal_open = 1;
    return 0;
}

int cSunMiscSignal_close(void) {
    if (signal_open) {
        signal_open = 0;
        return sem_destroy(&signal_semaphore);
    }
    return 0;
}

int cSunMiscSignal_awaitSemaphore(void) {
    if (!signal_open) {
        errno = EINVAL;
        return -1;
    }
    while (sem_wait(&signal_semaphore) != 0) {
        if (errno != EINTR) {
            return -1;
        }
    }
    return 0;
}

int cSunMiscSignal_signalSemaphore(void) {
    if (!signal_open) {
        errno = EINVAL;
        return -1;
    }
    return sem_post(&signal_semaphore);
}

jboolean cSunMiscSignal_signalRangeCheck(int signal) {
    return signal > 0 && signal < NSIG;
}

/* A signal with a pending count, whose count is decremented; -1 when none is pending. */
int cSunMiscSignal_checkPendingSignal(void) {
    for (int s = 1; s < NSIG; s++) {
        long n = signal_counts[s];
        while (n > 0) {
            if (__atomic_compare_exchange_n(&signal_counts[s], &n, n - 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
                return s;
            }
        }
    }
    return -1;
}

void (*cSunMiscSignal_signalHandlerFunctionPointer(void))(int) {
    return counting_handler;
}

/* ---- macros and varargs as functions (GraalVM: libchelper's macrosAsFunctions.c, varargs_helper.c) ---------------
 *
 * The image cannot call a C variadic function or a macro directly, so GraalVM wraps each one it needs in a fixed
 * signature. These are the same one-line wrappers: there is nothing to leave out.
 */
int fprintfSD(FILE *stream, const char *format, const char *s, int d) {
    return fprintf(stream, format, s, d);
}

int openSII(const char *path, int flags, int mode) {
    return open(path, flags, mode);
}

void *mremapP(void *old_address, size_t old_size, size_t new_size, int flags, void *new_address) {
    return mremap(old_address, old_size, new_size, flags, new_address);
}

/* getThreadId (libchelper's getThreadId.c): the kernel's thread id, as GraalVM's. */
int getThreadId(void) {
    return (int) syscall(SYS_gettid);
}

/* ---- containers (GraalVM: libsvm_container.a, HotSpot's cgroup v1/v2 code) ----------------------------------------
 *
 * GraalVM's reads the cgroup hierarchy (as HotSpot does) so that a containerised image sizes its heap and thread
 * pools from the container's limits. This one reports "not containerised" (svm_container_initialize's 0,
 * ContainerLibrary.SUCCESS_IS_NOT_CONTAINERIZED), so the image uses the machine's memory and processors, which
 * these two answer from sysconf and the affinity mask. Enough to run an invocation; it is not how the image would
 * size itself inside a Lambda sandbox (which is one reason the binary is not deployable).
 */
int svm_container_initialize(int version) {
    (void) version;
    return 0;
}

uint64_t svm_container_physical_memory(void) {
    return (uint64_t) sysconf(_SC_PHYS_PAGES) * (uint64_t) sysconf(_SC_PAGESIZE);
}

int svm_container_active_processor_count(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        return CPU_COUNT(&set);
    }
    return (int) sysconf(_SC_NPROCESSORS_ONLN);
}

/* ---- JNI_OnLoad_<lib> (the static JDK libraries' entry points) ---------------------------------------------------
 *
 * GraalVM links the JDK's static libraries (libjava.a, ...), whose JNI_OnLoad is compiled as JNI_OnLoad_java,
 * JNI_OnLoad_net, ... (JEP 178), and the image calls those when it first uses a library. Here the JDK's shared
 * libraries are linked instead, and each has a plain JNI_OnLoad (or none): each stub calls the shared library's own
 * JNI_OnLoad, so the library initialises exactly as it does in a JVM. A built-in library must answer
 * JNI_VERSION_1_8 or later (JEP 178; the image refuses less), while a shared one may answer less (libjava's says
 * JNI_VERSION_1_2): a successful initialisation is therefore answered as JNI_VERSION_1_8, as the static build does.
 * A library without one (libzip, libextnet) needs no initialisation, and is answered the same.
 */
typedef jint (*on_load_t)(JavaVM *, void *);

static jint on_load(const char *library, JavaVM *vm, void *reserved) {
    void *handle = dlopen(library, RTLD_NOW | RTLD_NOLOAD);
    if (handle == NULL) {
        fprintf(stderr, "native-verify stubs: %s is not loaded: %s\n", library, dlerror());
        return JNI_ERR;
    }
    /* dlsym on the library's handle looks in the library first, so this is its own JNI_OnLoad, if it has one. */
    Dl_info info;
    on_load_t f = (on_load_t) dlsym(handle, "JNI_OnLoad");
    if (f != NULL && dladdr((void *) f, &info) != 0 && info.dli_fname != NULL
            && strstr(info.dli_fname, library) != NULL) {
        jint version = f(vm, reserved);
        if (version < JNI_VERSION_1_1) {
            return version; /* JNI_ERR: the library's initialisation failed, and the image reports it */
        }
    }
    return JNI_VERSION_1_8;
}

jint JNI_OnLoad_java(JavaVM *vm, void *reserved) { return on_load("libjava.so", vm, reserved); }
jint JNI_OnLoad_nio(JavaVM *vm, void *reserved) { return on_load("libnio.so", vm, reserved); }
jint JNI_OnLoad_net(JavaVM *vm, void *reserved) { return on_load("libnet.so", vm, reserved); }
jint JNI_OnLoad_zip(JavaVM *vm, void *reserved) { return on_load("libzip.so", vm, reserved); }
jint JNI_OnLoad_extnet(JavaVM *vm, void *reserved) { return on_load("libextnet.so", vm, reserved); }
