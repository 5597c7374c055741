/*
 * Stand-in for GraalVM's libreporterchelper.so (bin/native-build-check): the two JNI functions that
 * com.oracle.svm.hosted.ProgressReporterCHelper declares, for the builder's progress output. A GraalVM
 * distribution ships this library under lib/svm/builder/lib; the Maven Central jars do not.
 */
#include <jni.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

JNIEXPORT jint JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *env, jclass c) {
    struct winsize w;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0) {
        return w.ws_col;
    }
    return -1;
}

JNIEXPORT jlong JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(JNIEnv *env, jclass c) {
    struct rusage u;
    if (getrusage(RUSAGE_SELF, &u) == 0) {
        return (jlong) u.ru_maxrss * 1024; /* kilobytes on Linux */
    }
    return -1;
}
