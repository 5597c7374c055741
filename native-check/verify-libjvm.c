/*
 * VERIFICATION ONLY, NOT DEPLOYABLE. A stand-in libjvm.so for bin/native-verify's executable.
 *
 * The JDK's shared libraries (libjava.so, libnet.so, libzip.so, ...) are linked against HotSpot's libjvm.so and
 * import ~160 JVM_* functions from it, all resolved when they are loaded (libjava.so is linked with -z now). A
 * native image has no HotSpot: GraalVM links the static JDK libraries with its own small libjvm shim (its
 * com.oracle.svm.native.jvm.posix JvmFuncs.c), which defines only the JVM_* functions that the JDK code an image
 * uses can reach. This file is that shim's counterpart: the functions below are the ones GraalVM's shim defines and
 * the JDK libraries import. bin/native-verify adds, generated, a definition for each other JVM_* function the
 * libraries import, which prints its name and aborts: such a call is a gap of this verification build (HotSpot
 * would be needed), never a silent success. The library carries HotSpot's symbol version (SUNWprivate_1.1), which
 * the JDK libraries require.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* GraalVM's shim has an empty initialize() that the image calls at start-up; nothing to initialise here either. */
void initialize(void) {
}

/* The processors this process may run on: the affinity mask (GraalVM's: HotSpot's os::active_processor_count). */
int JVM_ActiveProcessorCount(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        return CPU_COUNT(&set);
    }
    return (int) sysconf(_SC_NPROCESSORS_ONLN);
}

/* Wall-clock milliseconds, as GraalVM's (gettimeofday there; the same clock). */
jlong JVM_CurrentTimeMillis(JNIEnv *env, jclass ignored) {
    (void) env;
    (void) ignored;
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (jlong) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A monotonic nanosecond clock. GraalVM's shim uses gettimeofday; CLOCK_MONOTONIC is what HotSpot uses. */
jlong JVM_NanoTime(JNIEnv *env, jclass ignored) {
    (void) env;
    (void) ignored;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (jlong) t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Nanoseconds of the wall clock since offset_secs, -1 if that is out of range: as GraalVM's and HotSpot's. */
jlong JVM_GetNanoTimeAdjustment(JNIEnv *env, jclass ignored, jlong offset_secs) {
    (void) env;
    (void) ignored;
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    int64_t diff = (int64_t) t.tv_sec - offset_secs;
    if (diff >= 0x0100000000LL || diff <= -0x0100000000LL) {
        return -1;
    }
    return diff * 1000000000LL + t.tv_nsec;
}

/* System.arraycopy through JNI, as GraalVM's (HotSpot's copies directly; the result is the same). */
void JVM_ArrayCopy(JNIEnv *env, jclass ignored, jobject src, jint src_pos, jobject dst, jint dst_pos, jint length) {
    (void) ignored;
    jclass system = (*env)->FindClass(env, "java/lang/System");
    jmethodID arraycopy = system == NULL ? NULL
            : (*env)->GetStaticMethodID(env, system, "arraycopy", "(Ljava/lang/Object;ILjava/lang/Object;II)V");
    if (arraycopy == NULL) {
        (*env)->FatalError(env, "native-verify libjvm: JVM_ArrayCopy cannot find System.arraycopy");
        return;
    }
    (*env)->CallStaticVoidMethod(env, system, arraycopy, src, src_pos, dst, dst_pos, length);
}

/*
 * The address of a symbol: dlsym, as GraalVM's shim does in a dynamically linked image (libnet asks for inet_pton
 * to decide on IPv6 support).
 */
void *JVM_FindLibraryEntry(void *handle, const char *name) {
    return dlsym(handle, name);
}

/* Runtime.halt's end: exit, as GraalVM's. */
void JVM_Halt(jint code) {
    exit(code);
}

/* HotSpot's runs its "before halt" hooks (JFR, ...); GraalVM's does nothing, nor does this. */
void JVM_BeforeHalt(void) {
}

/* java.io.tmpdir's default: /tmp on Linux, as GraalVM's and HotSpot's. */
jstring JVM_GetTemporaryDirectory(JNIEnv *env) {
    return (*env)->NewStringUTF(env, "/tmp");
}

/* HotSpot's jio_* formatting helpers, which the JDK libraries use for messages: as GraalVM's (vfprintf, vsnprintf). */
int jio_vfprintf(FILE *f, const char *fmt, va_list args) {
    return vfprintf(f, fmt, args);
}

int jio_vsnprintf(char *str, size_t count, const char *fmt, va_list args) {
    if ((intptr_t) count <= 0) {
        return -1;
    }
    int result = vsnprintf(str, count, fmt, args);
    if ((result > 0 && (size_t) result >= count) || result == -1) {
        str[count - 1] = '\0';
        result = -1;
    }
    return result;
}
