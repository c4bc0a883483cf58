package io.cqconnect.source;

import io.cqconnect.state.StateRow;
import io.cqconnect.state.StateTableMirror;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A mirrored state table in memory: what it holds, and each write as it arrives. */
final class FakeMirror implements StateTableMirror {

  final List<StateRow> rows = new ArrayList<>();
  final BlockingQueue<List<StateRow>> writes = new LinkedBlockingQueue<>();

  FakeMirror(StateRow... held) {
    rows.addAll(List.of(held));
  }

  /** The next write, waiting up to 10 s for the mirror thread; null when none came. */
  List<StateRow> nextWrite() throws InterruptedException {
    return writes.poll(10, TimeUnit.SECONDS);
  }

  @Override
  public String table() {
    return "cq_state";
  }

  @Override
  public void migrate() {}

  @Override
  public synchronized List<StateRow> read() {
    return new ArrayList<>(rows);
  }

  @Override
  public synchronized void write(List<StateRow> batch) {
    rows.addAll(batch);
    writes.add(List.copyOf(batch));
  }

  @Override
  public void close() {}
}
