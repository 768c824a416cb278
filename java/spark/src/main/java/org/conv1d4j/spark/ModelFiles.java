package org.conv1d4j.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.conv1d4j.Conv1dNet;

import java.io.IOException;

/** Reads a model file through Hadoop's file systems ({@code file:}, {@code hdfs:}, {@code s3a:}, ...). */
final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * Reads a whole model file.
     *
     * @param param the param that names the file (for messages)
     * @param path the file
     * @param conf the Hadoop configuration that resolves {@code path}'s file system
     * @return its bytes
     * @throws IllegalArgumentException naming {@code param} and the path when it cannot be read or is too large
     */
    static byte[] read(String param, String path, Configuration conf) {
        Path p;
        FileSystem fs;
        long size;
        try {
            p = new Path(path);
            fs = p.getFileSystem(conf);
            size = fs.getFileStatus(p).getLen();
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable(param, path, e);
        }
        if (size > Conv1dNet.MAX_MODEL_BYTES) {
            throw new IllegalArgumentException(param + ": '" + path + "' is " + size + " bytes, more than the "
                    + Conv1dNet.MAX_MODEL_BYTES + " a model may have");
        }
        byte[] bytes = new byte[(int) size];
        try (FSDataInputStream in = fs.open(p)) {
            in.readFully(0, bytes);
        } catch (IOException e) {
            throw unreadable(param, path, e);
        }
        return bytes;
    }

    private static IllegalArgumentException unreadable(String param, String path, Exception e) {
        return new IllegalArgumentException(param + ": cannot read the model '" + path + "': " + e, e);
    }
}
