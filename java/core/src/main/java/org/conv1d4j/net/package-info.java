/**
 * Conv1D networks: what {@link org.conv1d4j.Conv1dNet} computes. It loads an ONNX model (with the
 * {@code conv1d4j-onnx} artifact on the path) or runs a {@link org.conv1d4j.net.NetGraph} built from
 * {@link org.conv1d4j.net.NetNode}s, or layer by layer with {@link org.conv1d4j.net.NetBuilder} from arrays or a
 * safetensors file ({@link org.conv1d4j.io.SafeTensors}); {@link org.conv1d4j.net.NetPlanReport} says how the oneDNN
 * engine runs it.
 */
package org.conv1d4j.net;
