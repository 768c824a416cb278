package org.conv1d4j.internal.net;

import org.conv1d4j.net.AddNode;
import org.conv1d4j.net.BatchNormNode;
import org.conv1d4j.net.ConcatNode;
import org.conv1d4j.net.GlobalPoolNode;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.PReluNode;
import org.conv1d4j.net.PadNode;
import org.conv1d4j.net.PointwiseNode;
import org.conv1d4j.net.PoolNode;
import org.conv1d4j.net.SliceNode;

import java.util.List;

/**
 * Every node but the conv, in plain loops: each output element computed in double from the float inputs and
 * rounded once to float, as the reference engine defines the network's answer.
 */
final class ReferenceOps {
    private ReferenceOps() {
    }

    /**
     * Runs a node that is not a conv.
     *
     * @param node the node
     * @param in its inputs, in order
     * @return its output
     */
    static Tensor apply(NetNode node, List<Tensor> in) {
        Tensor x = in.get(0);
        if (node instanceof BatchNormNode b) {
            return batchNorm(b, x);
        } else if (node instanceof PointwiseNode p) {
            return pointwise(p, x);
        } else if (node instanceof PReluNode p) {
            return prelu(p, x);
        } else if (node instanceof AddNode) {
            return add(x, in.get(1));
        } else if (node instanceof PadNode p) {
            return pad(p, x);
        } else if (node instanceof SliceNode s) {
            return slice(s, x);
        } else if (node instanceof ConcatNode) {
            return concat(in);
        } else if (node instanceof PoolNode p) {
            return pool(p, x);
        } else if (node instanceof GlobalPoolNode g) {
            return globalPool(g, x);
        }
        throw new IllegalStateException("no reference for " + node.opType());
    }

    static Tensor batchNorm(BatchNormNode node, Tensor x) {
        float[] scale = node.scale();
        float[] bias = node.bias();
        float[] mean = node.mean();
        float[] var = node.variance();
        Tensor y = Tensor.zeros(x.batch(), x.channels(), x.width());
        for (int n = 0; n < x.batch(); n++) {
            for (int c = 0; c < x.channels(); c++) {
                double inv = 1 / Math.sqrt(var[c] + node.epsilon());
                for (int t = 0; t < x.width(); t++) {
                    int i = x.at(n, c, t);
                    y.data()[i] = (float) ((double) scale[c] * ((x.data()[i] - (double) mean[c]) * inv) + bias[c]);
                }
            }
        }
        return y;
    }

    static Tensor pointwise(PointwiseNode node, Tensor x) {
        Tensor y = Tensor.zeros(x.batch(), x.channels(), x.width());
        for (int i = 0; i < x.data().length; i++) {
            y.data()[i] = (float) node.function().apply(x.data()[i], node.alpha(), node.beta());
        }
        return y;
    }

    static Tensor prelu(PReluNode node, Tensor x) {
        float[] slope = node.slope();
        Tensor y = Tensor.zeros(x.batch(), x.channels(), x.width());
        for (int n = 0; n < x.batch(); n++) {
            for (int c = 0; c < x.channels(); c++) {
                double s = slope[slope.length == 1 ? 0 : c];
                for (int t = 0; t < x.width(); t++) {
                    int i = x.at(n, c, t);
                    double v = x.data()[i];
                    y.data()[i] = (float) (v >= 0 ? v : s * v);
                }
            }
        }
        return y;
    }

    static Tensor add(Tensor a, Tensor b) {
        Tensor y = Tensor.zeros(a.batch(), a.channels(), a.width());
        for (int i = 0; i < a.data().length; i++) {
            y.data()[i] = (float) ((double) a.data()[i] + b.data()[i]);
        }
        return y;
    }

    static Tensor pad(PadNode node, Tensor x) {
        int ow = x.width() + node.left() + node.right();
        Tensor y = Tensor.zeros(x.batch(), x.channels(), ow);
        for (int n = 0; n < x.batch(); n++) {
            for (int c = 0; c < x.channels(); c++) {
                for (int p = 0; p < ow; p++) {
                    int src = node.mode().sourceIndex(p - node.left(), x.width());
                    y.data()[y.at(n, c, p)] = src < 0 ? 0f : x.data()[x.at(n, c, src)];
                }
            }
        }
        return y;
    }

    static Tensor slice(SliceNode node, Tensor x) {
        int from = node.first(x.width());
        int ow = node.outputWidth(x.width());
        Tensor y = Tensor.zeros(x.batch(), x.channels(), ow);
        for (int n = 0; n < x.batch(); n++) {
            for (int c = 0; c < x.channels(); c++) {
                System.arraycopy(x.data(), x.at(n, c, from), y.data(), y.at(n, c, 0), ow);
            }
        }
        return y;
    }

    static Tensor concat(List<Tensor> parts) {
        int channels = 0;
        for (Tensor p : parts) {
            channels += p.channels();
        }
        Tensor first = parts.get(0);
        Tensor y = Tensor.zeros(first.batch(), channels, first.width());
        for (int n = 0; n < y.batch(); n++) {
            int c0 = 0;
            for (Tensor p : parts) {
                int len = p.channels() * p.width();
                System.arraycopy(p.data(), p.at(n, 0, 0), y.data(), y.at(n, c0, 0), len);
                c0 += p.channels();
            }
        }
        return y;
    }

    static Tensor pool(PoolNode node, Tensor x) {
        int ow = node.outputWidth(x.width());
        int w = x.width();
        Tensor y = Tensor.zeros(x.batch(), x.channels(), ow);
        for (int n = 0; n < x.batch(); n++) {
            for (int c = 0; c < x.channels(); c++) {
                for (int t = 0; t < ow; t++) {
                    long start = (long) t * node.stride() - node.padLeft();
                    double max = Double.NEGATIVE_INFINITY;
                    double sum = 0;
                    int inside = 0;
                    int padded = 0;
                    for (int k = 0; k < node.kernel(); k++) {
                        long p = start + (long) k * node.dilation();
                        if (p < (long) w + node.padRight()) {
                            padded++;
                        }
                        if (p < 0 || p >= w) {
                            continue;
                        }
                        double v = x.data()[x.at(n, c, (int) p)];
                        max = Math.max(max, v);
                        sum += v;
                        inside++;
                    }
                    double v = node.max() ? max : sum / (node.countIncludePad() ? padded : inside);
                    y.data()[y.at(n, c, t)] = (float) v;
                }
            }
        }
        return y;
    }

    static Tensor globalPool(GlobalPoolNode node, Tensor x) {
        Tensor y = Tensor.zeros(x.batch(), x.channels(), 1);
        for (int n = 0; n < x.batch(); n++) {
            for (int c = 0; c < x.channels(); c++) {
                double max = Double.NEGATIVE_INFINITY;
                double sum = 0;
                for (int t = 0; t < x.width(); t++) {
                    double v = x.data()[x.at(n, c, t)];
                    max = Math.max(max, v);
                    sum += v;
                }
                y.data()[y.at(n, c, 0)] = (float) (node.max() ? max : sum / x.width());
            }
        }
        return y;
    }
}
