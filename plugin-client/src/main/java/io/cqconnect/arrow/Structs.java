package io.cqconnect.arrow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Fills Connect {@link Struct}s on the decode hot path.
 *
 * <p>{@link Struct#put(Field, Object)} re-validates every value against its schema and builds an
 * error-location string on every call, which costs more than the decoding itself. The values the
 * readers produce have the right Java type by construction (tests validate them with {@link
 * Struct#validate()}), so the fast mode writes straight into the struct's value array and only
 * keeps the null check of required fields. If a Kafka version lacks that array, it falls back to
 * {@code put}.
 */
final class Structs {

  private static final VarHandle VALUES = findValues();

  /** Fast when the running Kafka allows it; else validating. */
  static final Structs DEFAULT = new Structs(VALUES != null);

  /** Always through {@link Struct#put(Field, Object)}. */
  static final Structs VALIDATING = new Structs(false);

  private final boolean fast;

  private Structs(boolean fast) {
    this.fast = fast;
  }

  boolean fast() {
    return fast;
  }

  void set(Struct struct, Field field, Object value) {
    if (fast) {
      if (value == null && !field.schema().isOptional()) {
        throw new DataException(
            "Null value for required field '"
                + field.name()
                + "' of "
                + (struct.schema().name() == null ? "a struct" : struct.schema().name()));
      }
      ((Object[]) VALUES.get(struct))[field.index()] = value;
    } else {
      struct.put(field, value);
    }
  }

  private static VarHandle findValues() {
    try {
      return MethodHandles.privateLookupIn(Struct.class, MethodHandles.lookup())
          .findVarHandle(Struct.class, "values", Object[].class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
