/**
 * The native side of conv1d4j: the oneDNN presets and their natives, the runtime settings applied before the first
 * primitive, the OpenMP thread shim, and the owner of native objects.
 */
module org.conv1d4j.nativeconfig {
    requires transitive org.bytedeco.javacpp;
    requires transitive org.bytedeco.dnnl;

    exports org.conv1d4j.nativeconfig;
    // JavaCPP's Loader reads the OpenMP shim (a resource of this package) on this module's behalf.
    opens org.conv1d4j.nativeconfig to org.bytedeco.javacpp;
}
