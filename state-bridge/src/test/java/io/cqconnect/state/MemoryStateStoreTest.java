package io.cqconnect.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStateStoreTest extends StateStoreContract {

  @Override
  protected StateStore open() {
    return new MemoryStateStore();
  }

  @Test
  void shouldKeepUnsignedVersionAboveLongMaxWhenLowerArrivesLater() {
    String t = table();
    long top = Long.parseUnsignedLong("18446744073709551000");
    store.write(t, List.of(new StateRow("k", "top", top)));
    store.write(t, List.of(new StateRow("k", "low", 1)));

    assertThat(store.read(t)).containsExactly(new StateRow("k", "top", top));
  }
}
