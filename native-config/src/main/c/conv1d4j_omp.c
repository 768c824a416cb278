/*
 * conv1d4j's only native code: calls OpenMP's per-thread setters, whose addresses JavaCPP finds in the libgomp
 * that the oneDNN presets load. Linked against nothing, so it cannot load a second OpenMP runtime.
 */
#include <jni.h>
#include <stdint.h>

typedef void (*set_num_threads_fn)(int);
typedef int (*get_max_threads_fn)(void);

JNIEXPORT void JNICALL Java_org_conv1d4j_nativeconfig_OmpThreads_setNumThreads0(JNIEnv *env, jclass cls,
                                                                                 jlong fn, jint n) {
    (void) env;
    (void) cls;
    ((set_num_threads_fn) (intptr_t) fn)((int) n);
}

JNIEXPORT jint JNICALL Java_org_conv1d4j_nativeconfig_OmpThreads_getMaxThreads0(JNIEnv *env, jclass cls,
                                                                                 jlong fn) {
    (void) env;
    (void) cls;
    return (jint) ((get_max_threads_fn) (intptr_t) fn)();
}
