package io.cqconnect.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class ErrantRecordsTest {

  private static final SinkRecord RECORD =
      new SinkRecord("t", 1, null, null, Schema.STRING_SCHEMA, "v", 8);

  /** A runtime older than Kafka 2.6, where the context has no errantRecordReporter method. */
  private static final class OldRuntimeContext extends ForwardingContext {
    OldRuntimeContext() {
      super(new FakeContext(false));
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
      throw new NoSuchMethodError("errantRecordReporter");
    }
  }

  @Test
  void shouldFailTheTaskWithTheMessageWhenTheRuntimeHasNoReporter() {
    ErrantRecords errant = new ErrantRecords(new OldRuntimeContext(), () -> {});

    assertThat(errant.hasReporter()).isFalse();
    assertThatThrownBy(() -> errant.report(RECORD, new DataException("bad column x")))
        .isInstanceOf(DataException.class)
        .hasMessage("bad column x");
  }

  @Test
  void shouldHandTheRecordToTheReporterAndCountItWhenOneIsConfigured() {
    FakeContext context = new FakeContext(true);
    AtomicInteger counted = new AtomicInteger();
    ErrantRecords errant = new ErrantRecords(context, counted::incrementAndGet);

    errant.report(RECORD, new DataException("bad"));

    assertThat(context.reported).containsExactly(RECORD);
    assertThat(counted.get()).isEqualTo(1);
  }

  @Test
  void shouldFailWhenTheReporterRejectsTheRecord() {
    ForwardingContext context =
        new ForwardingContext(new FakeContext(false)) {
          @Override
          public ErrantRecordReporter errantRecordReporter() {
            return (record, error) ->
                CompletableFuture.failedFuture(new IllegalStateException("DLQ down"));
          }
        };
    ErrantRecords errant = new ErrantRecords(context, () -> {});

    assertThatThrownBy(() -> errant.report(RECORD, new DataException("bad")))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("topic 't' partition 1 offset 8")
        .hasRootCauseMessage("DLQ down");
  }
}
