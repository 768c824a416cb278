/**
 * conv1d4j-onnx: reads ONNX models (opsets 13 to 21) into {@link org.conv1d4j.net.NetGraph}s. Users do not call it
 * directly: {@link org.conv1d4j.Conv1dNet#load(java.nio.file.Path)} finds it as a service.
 */
// protobuf-java has no module-info; it is an automatic module (its manifest names it com.google.protobuf)
@SuppressWarnings("requires-automatic")
module org.conv1d4j.onnx {
    requires org.conv1d4j;
    requires com.google.protobuf;

    provides org.conv1d4j.net.spi.NetReader with org.conv1d4j.onnx.OnnxNetReader;
}
