package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {

  @Test
  void shouldFindTheSelectedMetricsWhenFunctionsGroupingAndMatchersSurroundThem() {
    assertThat(
            PromQlNames.of(
                "sum by (connector, table) (rate(a_total{connector=~\"$connector\","
                    + " table!=\"x{y}\"}[$__rate_interval])) / on (connector) group_left (table)"
                    + " b_gauge offset 5m"))
        .containsExactly("a_total", "b_gauge");
  }

  @Test
  void shouldIgnoreNumbersKeywordsAndTimeWhenArithmeticJoinsTwoSelectors() {
    assertThat(
            PromQlNames.of(
                "(time() - last_sync / 1000 > 7.2e3) and last_sync > 0 or"
                    + " increase(restarts_total[15m]) > bool 0"))
        .containsExactly("last_sync", "restarts_total");
  }
}
