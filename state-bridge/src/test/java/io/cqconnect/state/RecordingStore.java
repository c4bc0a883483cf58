package io.cqconnect.state;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A store that logs every call it gets (what the backend was asked to do), then delegates. */
final class RecordingStore implements StateStore {

  private final StateStore delegate;
  private final List<String> events = new CopyOnWriteArrayList<>();

  RecordingStore(StateStore delegate) {
    this.delegate = delegate;
  }

  List<String> events() {
    return List.copyOf(events);
  }

  @Override
  public void migrate(String table) {
    events.add("migrate " + table);
    delegate.migrate(table);
  }

  @Override
  public List<StateRow> read(String table) {
    List<StateRow> rows = delegate.read(table);
    events.add("read " + table + " -> " + rows);
    return rows;
  }

  @Override
  public void write(String table, List<StateRow> rows) {
    events.add("write " + table + " " + rows);
    delegate.write(table, rows);
  }

  @Override
  public List<StateRow> writeUnversioned(String table, List<StateRow> rows) {
    List<StateRow> stored = delegate.writeUnversioned(table, rows);
    events.add("writeUnversioned " + table + " " + stored);
    return stored;
  }

  @Override
  public boolean exists(String table) {
    boolean exists = delegate.exists(table);
    events.add("exists " + table + " -> " + exists);
    return exists;
  }

  @Override
  public void close() {
    delegate.close();
  }
}
