package org.conv1d4j.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.encoders.AgnosticEncoder;
import org.apache.spark.sql.catalyst.encoders.AgnosticEncoders;
import org.apache.spark.sql.catalyst.encoders.RowEncoder$;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.List;

/**
 * Row encoders that hand array columns over as {@code float[]} / {@code double[]} (and arrays of them) instead of
 * Scala sequences of boxed numbers: Spark's own {@code Encoders.row} boxes every element on the way in and out,
 * which costs as much as a fair part of a small network's run (a 1 s clip is 16000 boxes in, the features 25000
 * out). Only columns whose elements cannot be null qualify: a primitive array cannot say "null".
 */
final class PrimitiveRows {
    private PrimitiveRows() {
    }

    /**
     * Spark's lenient row encoder of {@code schema}, with the listed columns as primitive arrays where their type
     * allows it.
     *
     * @param schema the rows' schema
     * @param columns positions of array columns to hand over as primitive arrays
     * @return the encoder
     */
    static AgnosticEncoder<Row> encoder(StructType schema, int... columns) {
        AgnosticEncoders.RowEncoder base = (AgnosticEncoders.RowEncoder) RowEncoder$.MODULE$.encoderFor(schema, true);
        List<AgnosticEncoders.EncoderField> fields = new ArrayList<>(CollectionConverters.asJava(base.fields()));
        for (int i : columns) {
            AgnosticEncoder<?> primitive = primitive(schema.fields()[i].dataType());
            if (primitive != null) {
                AgnosticEncoders.EncoderField f = fields.get(i);
                fields.set(i, new AgnosticEncoders.EncoderField(f.name(), primitive, f.nullable(), f.metadata(),
                        f.readMethod(), f.writeMethod()));
            }
        }
        return new AgnosticEncoders.RowEncoder(CollectionConverters.asScala(fields).toList());
    }

    /**
     * @param type a column's type
     * @return whether {@link #encoder} hands that column over as a primitive array
     */
    static boolean isPrimitive(DataType type) {
        return primitive(type) != null;
    }

    /** {@code array<float|double>} and arrays of them, elements never null; else null. */
    private static AgnosticEncoder<?> primitive(DataType type) {
        if (!(type instanceof ArrayType a) || a.containsNull()) {
            return null;
        }
        if (a.elementType().equals(DataTypes.FloatType)) {
            return new AgnosticEncoders.ArrayEncoder<>(AgnosticEncoders.PrimitiveFloatEncoder$.MODULE$, false);
        }
        if (a.elementType().equals(DataTypes.DoubleType)) {
            return new AgnosticEncoders.ArrayEncoder<>(AgnosticEncoders.PrimitiveDoubleEncoder$.MODULE$, false);
        }
        AgnosticEncoder<?> inner = primitive(a.elementType());
        return inner == null ? null : new AgnosticEncoders.ArrayEncoder<>(inner, false);
    }
}
