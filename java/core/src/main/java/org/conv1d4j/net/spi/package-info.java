/**
 * The service interface through which core finds a model reader; exported to {@code org.conv1d4j.onnx} only.
 */
package org.conv1d4j.net.spi;
