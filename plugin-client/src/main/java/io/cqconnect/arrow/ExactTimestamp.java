package io.cqconnect.arrow;

import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * The Connect schema of a timestamp kept exact ({@code timestamp.precision=exact}): an INT64
 * counting the Arrow column's own unit since the epoch, named {@value #LOGICAL_NAME}, with the unit
 * and zone in the {@link SchemaParameters#ARROW_TYPE} parameter (for example {@code timestamp[us,
 * tz=UTC]}).
 */
public final class ExactTimestamp {

  /** The schema name; consumers that see it read the unit from {@code cq.arrow.type}. */
  public static final String LOGICAL_NAME = "io.cqconnect.data.Timestamp";

  private ExactTimestamp() {}

  /** A builder for the exact schema of an Arrow timestamp type. */
  static SchemaBuilder builder(ArrowType.Timestamp type) {
    return SchemaBuilder.int64()
        .name(LOGICAL_NAME)
        .version(1)
        .parameter(SchemaParameters.ARROW_TYPE, ArrowTypeNames.timestamp(type));
  }

  /** Whether {@code schema} is an exact timestamp. */
  public static boolean is(Schema schema) {
    return schema != null && LOGICAL_NAME.equals(schema.name());
  }
}
