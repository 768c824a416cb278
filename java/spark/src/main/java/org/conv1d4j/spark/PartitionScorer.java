package org.conv1d4j.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.conv1d4j.Conv1dNet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Scores one partition: reads up to {@code batchSize} rows, stacks the valid ones of equal width into one batch
 * {@code N} (rows of other widths form their own batches, so nothing is padded), runs the executor's shared network
 * and appends the output column, keeping the rows' order. Lazy: holds one window of rows at a time.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final String sha256;
    private final NetSettings settings;
    private final ScoreSpec spec;

    /**
     * @param model the model's bytes, fetched only by an executor that has not loaded it yet
     * @param sha256 the model's hash, the key of {@link NetRegistry}
     * @param settings how the network runs
     * @param spec which column, how to batch, what to do with invalid rows, how to shape the output
     */
    PartitionScorer(Broadcast<byte[]> model, String sha256, NetSettings settings, ScoreSpec spec) {
        this.model = model;
        this.sha256 = sha256;
        this.settings = settings;
        this.spec = spec;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Conv1dNet net = NetRegistry.net(sha256, settings, model::value);
        TaskContext task = TaskContext.get();
        int partition = task == null ? 0 : task.partitionId();
        return new Scored(rows, net, partition);
    }

    /** The partition's rows with the output column, computed one window at a time. */
    private final class Scored implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final Conv1dNet net;
        private final int partition;
        private final ArrayDeque<Row> ready = new ArrayDeque<>();
        private long position;

        Scored(Iterator<Row> rows, Conv1dNet net, int partition) {
            this.rows = rows;
            this.net = net;
            this.partition = partition;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && rows.hasNext()) {
                scoreWindow();
            }
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void scoreWindow() {
            List<Row> window = new ArrayList<>(spec.batchSize());
            while (window.size() < spec.batchSize() && rows.hasNext()) {
                window.add(rows.next());
            }
            Signal[] signals = new Signal[window.size()];
            Map<Integer, List<Integer>> byWidth = new LinkedHashMap<>();
            for (int i = 0; i < signals.length; i++) {
                signals[i] = read(window.get(i), position + i);
                if (signals[i] != null) {
                    byWidth.computeIfAbsent(signals[i].width(), w -> new ArrayList<>()).add(i);
                }
            }
            Object[] outputs = new Object[signals.length];
            byWidth.forEach((width, members) -> run(width, members, signals, outputs));
            for (int i = 0; i < signals.length; i++) {
                if (signals[i] != null || spec.handleInvalid() == HandleInvalid.KEEP) {
                    ready.add(append(window.get(i), outputs[i]));
                }
            }
            position += signals.length;
        }

        /** The row's signal, or null for an invalid row that is skipped or kept; throws for {@code error}. */
        private Signal read(Row row, long at) {
            try {
                Signal s = Signal.read(row.get(spec.inputIndex()), spec.channels(), settings.layout());
                net.outputShape(1, s.width());
                return s;
            } catch (IllegalArgumentException e) {
                if (spec.handleInvalid() == HandleInvalid.ERROR) {
                    throw new IllegalArgumentException("Conv1dTransformer: inputCol '" + spec.inputCol() + "', row "
                            + at + " of partition " + partition + ": " + e.getMessage()
                            + " (handleInvalid = error; 'skip' drops such rows, 'keep' gives them a null output)", e);
                }
                return null;
            }
        }

        private void run(int width, List<Integer> members, Signal[] signals, Object[] outputs) {
            int n = members.size();
            int sample = signals[members.get(0)].values().length;
            float[] input = new float[n * sample];
            for (int k = 0; k < n; k++) {
                System.arraycopy(signals[members.get(k)].values(), 0, input, k * sample, sample);
            }
            int[] shape = net.outputShape(n, width);
            float[] output = net.forward(input, n, width);
            for (int k = 0; k < n; k++) {
                outputs[members.get(k)] = spec.shape(output, k, shape[1], shape[2]);
            }
        }

        private Row append(Row row, Object output) {
            int n = row.length();
            Object[] values = new Object[n + 1];
            for (int i = 0; i < n; i++) {
                values[i] = row.get(i);
            }
            values[n] = output;
            return RowFactory.create(values);
        }
    }
}
