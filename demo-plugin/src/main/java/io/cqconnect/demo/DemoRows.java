package io.cqconnect.demo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The demo data: event {@code n} (n = 1, 2, ...) happened at {@link #EPOCH} + n seconds, so the
 * event sequence is the same on every run and the cursor (the {@code ts} of the last event sent, as
 * an ISO-8601 instant) says exactly where the next sync resumes.
 */
final class DemoRows {

  /** Time of event 0; event n is n seconds later. */
  static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  static final List<String> KINDS = List.of("signup", "login", "purchase", "logout");

  private DemoRows() {}

  /** When event {@code id} happened. */
  static Instant eventTime(long id) {
    return EPOCH.plusSeconds(id);
  }

  /** The cursor value stored after sending event {@code id}. */
  static String cursorOf(long id) {
    return eventTime(id).toString();
  }

  /**
   * The id of the last event covered by a stored cursor value; 0 for no cursor.
   *
   * @throws IllegalArgumentException if the value is not an instant written by {@link #cursorOf}
   */
  static long lastEventId(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    Instant at;
    try {
      at = Instant.parse(cursor);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "stored cursor '"
              + cursor
              + "' of state key '"
              + DemoTables.EVENTS
              + "' is not an ISO-8601 instant such as "
              + cursorOf(1)
              + "; fix or delete the key in the state table (or the connector's offsets)");
    }
    long seconds = at.getEpochSecond() - EPOCH.getEpochSecond();
    if (seconds < 0 || at.getNano() != 0) {
      throw new IllegalArgumentException(
          "stored cursor '"
              + cursor
              + "' of state key '"
              + DemoTables.EVENTS
              + "' is not a demo event time (whole seconds from "
              + EPOCH
              + ")");
    }
    return seconds;
  }

  /** Events {@code first .. first+count-1} as one record of {@code demo_events}. */
  static VectorSchemaRoot events(BufferAllocator allocator, long first, int count) {
    VectorSchemaRoot root = VectorSchemaRoot.create(DemoTables.events(), allocator);
    try {
      BigIntVector id = (BigIntVector) root.getVector("id");
      TimeStampMicroTZVector ts = (TimeStampMicroTZVector) root.getVector("ts");
      VarCharVector kind = (VarCharVector) root.getVector("kind");
      VarCharVector payload = (VarCharVector) root.getVector("payload");
      root.allocateNew();
      for (int i = 0; i < count; i++) {
        long n = first + i;
        String k = KINDS.get((int) ((n - 1) % KINDS.size()));
        id.setSafe(i, n);
        ts.setSafe(i, eventTime(n).getEpochSecond() * 1_000_000L);
        kind.setSafe(i, utf8(k));
        payload.setSafe(i, utf8("{\"user_id\":" + ((n - 1) % 5 + 1) + ",\"kind\":\"" + k + "\"}"));
      }
      root.setRowCount(count);
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /** Users {@code first .. first+count-1} as one record of {@code demo_users}. */
  static VectorSchemaRoot users(BufferAllocator allocator, int first, int count) {
    VectorSchemaRoot root = VectorSchemaRoot.create(DemoTables.users(), allocator);
    try {
      BigIntVector id = (BigIntVector) root.getVector("id");
      VarCharVector name = (VarCharVector) root.getVector("name");
      VarCharVector email = (VarCharVector) root.getVector("email");
      TimeStampMicroTZVector created = (TimeStampMicroTZVector) root.getVector("created_at");
      root.allocateNew();
      for (int i = 0; i < count; i++) {
        int n = first + i;
        id.setSafe(i, n);
        name.setSafe(i, utf8("user-" + n));
        email.setSafe(i, utf8("user-" + n + "@example.com"));
        created.setSafe(i, EPOCH.minusSeconds(86_400L * n).getEpochSecond() * 1_000_000L);
      }
      root.setRowCount(count);
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
