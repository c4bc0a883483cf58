package io.cqconnect.source;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.TransactionContext;

/** A task's exactly-once transaction context that remembers which records ended transactions. */
final class FakeTransactions implements TransactionContext {

  final List<SourceRecord> committedAfter = new ArrayList<>();
  final List<SourceRecord> abortedAfter = new ArrayList<>();

  @Override
  public void commitTransaction() {
    throw new AssertionError("the task commits after a record, never at the end of a batch");
  }

  @Override
  public void commitTransaction(SourceRecord record) {
    committedAfter.add(record);
  }

  @Override
  public void abortTransaction() {
    throw new AssertionError("the task aborts after a record, never at the end of a batch");
  }

  @Override
  public void abortTransaction(SourceRecord record) {
    abortedAfter.add(record);
  }
}
