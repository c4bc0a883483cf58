package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link StateStore} contract, run against every implementation. */
abstract class StateStoreContract {

  private static final AtomicInteger TABLES = new AtomicInteger();

  protected StateStore store;

  /** A new store on the implementation's storage (the same storage for the whole test). */
  protected abstract StateStore open();

  /** A fresh table name, so tests sharing a database never see each other's rows. */
  protected static String table() {
    return "cq_state_t" + TABLES.incrementAndGet();
  }

  @BeforeEach
  void openStore() {
    store = open();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void shouldReturnNothingWhenTableIsUnknown() {
    assertThat(store.read(table())).isEmpty();
  }

  @Test
  void shouldReturnOneRowPerKeyWhenWritten() {
    String t = table();
    store.migrate(t);
    store.write(t, List.of(new StateRow("a", "1", 1), new StateRow("b", "2", 1)));
    store.write(t, List.of(new StateRow("a", "5", 2)));

    assertThat(store.read(t))
        .containsExactlyInAnyOrder(new StateRow("a", "5", 2), new StateRow("b", "2", 1));
  }

  @Test
  void shouldIgnoreLowerVersionWhenWrittenAfterHigher() {
    String t = table();
    store.migrate(t);
    store.write(t, List.of(new StateRow("k", "new", 7)));
    store.write(t, List.of(new StateRow("k", "stale", 6)));

    assertThat(store.read(t)).containsExactly(new StateRow("k", "new", 7));
  }

  @Test
  void shouldReplaceRowWhenVersionIsEqual() {
    String t = table();
    store.migrate(t);
    store.write(t, List.of(new StateRow("k", "first", 3)));
    store.write(t, List.of(new StateRow("k", "second", 3)));

    assertThat(store.read(t)).containsExactly(new StateRow("k", "second", 3));
  }

  @Test
  void shouldLetTheLastRowWinWhenOneWriteRepeatsAKey() {
    String t = table();
    store.migrate(t);
    store.write(
        t,
        List.of(
            new StateRow("k", "v1", 1), new StateRow("k", "v2", 2), new StateRow("k", "v2b", 2)));

    assertThat(store.read(t)).containsExactly(new StateRow("k", "v2b", 2));
  }

  @Test
  void shouldKeepTablesApart() {
    String t1 = table();
    String t2 = table();
    store.migrate(t1);
    store.migrate(t2);
    store.write(t1, List.of(new StateRow("k", "one", 1)));
    store.write(t2, List.of(new StateRow("k", "two", 1)));

    assertThat(store.read(t1)).containsExactly(new StateRow("k", "one", 1));
    assertThat(store.read(t2)).containsExactly(new StateRow("k", "two", 1));
  }

  @Test
  void shouldKeepRowsWhenMigratedAgain() {
    String t = table();
    store.migrate(t);
    store.write(t, List.of(new StateRow("k", "v", 1)));
    store.migrate(t);

    assertThat(store.read(t)).containsExactly(new StateRow("k", "v", 1));
  }

  @Test
  void shouldStoreNullValue() {
    String t = table();
    store.migrate(t);
    store.write(t, List.of(new StateRow("k", null, 1)));

    assertThat(store.read(t)).containsExactly(new StateRow("k", null, 1));
  }

  @Test
  void shouldCreateTableWhenWrittenWithoutMigrate() {
    String t = table();
    store.write(t, List.of(new StateRow("k", "v", 1)));

    assertThat(store.read(t)).containsExactly(new StateRow("k", "v", 1));
  }

  @Test
  void shouldKeepHighestVersionWhenWrittenConcurrently() throws Exception {
    String t = table();
    store.migrate(t);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        int offset = thread;
        futures.add(
            pool.submit(
                () -> {
                  // Each thread writes every 4th version, in descending order to provoke
                  // overwrites.
                  for (int v = 40 - offset; v > 0; v -= 4) {
                    store.write(t, List.of(new StateRow("k", "v" + v, v)));
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.read(t)).containsExactly(new StateRow("k", "v40", 40));
  }

  @Test
  void shouldStoreAnUnversionedRowAsTheNewestVersionWhenAHigherVersionIsStored() {
    String t = table();
    store.migrate(t);
    store.write(t, List.of(new StateRow("k", "versioned", 5)));

    List<StateRow> stored =
        store.writeUnversioned(t, List.of(StateRow.of("k", "unversioned", null)));

    assertThat(stored).containsExactly(new StateRow("k", "unversioned", 6));
    assertThat(store.read(t)).containsExactly(new StateRow("k", "unversioned", 6));
  }

  @Test
  void shouldNumberUnversionedRowsFromOneAndLetTheLastOfABatchWin() {
    String t = table();
    store.writeUnversioned(t, List.of(StateRow.of("k", "first", null)));

    List<StateRow> stored =
        store.writeUnversioned(
            t, List.of(StateRow.of("k", "second", null), StateRow.of("k", "third", null)));

    assertThat(stored)
        .containsExactly(new StateRow("k", "second", 2), new StateRow("k", "third", 3));
    assertThat(store.read(t)).containsExactly(new StateRow("k", "third", 3));
  }

  @Test
  void shouldNotLoseAnUnversionedWriteWhenWrittenConcurrently() throws Exception {
    String t = table();
    store.migrate(t);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 10; i++) {
                    store.writeUnversioned(t, List.of(StateRow.of("k", "v", null)));
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store.read(t)).containsExactly(new StateRow("k", "v", 40));
  }

  @Test
  void shouldKnowATableOnlyOnceItExists() {
    String migrated = table();
    String written = table();
    store.migrate(migrated);
    store.write(written, List.of(new StateRow("k", "v", 1)));

    assertThat(store.exists(migrated)).isTrue();
    assertThat(store.exists(written)).isTrue();
    assertThat(store.exists(table())).isFalse();
  }
}
