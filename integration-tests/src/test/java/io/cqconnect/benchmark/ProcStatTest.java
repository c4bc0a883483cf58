package io.cqconnect.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcStatTest {

  @Test
  void shouldAddUserAndSystemTicksWhenTheCommandNameHoldsSpacesAndParentheses() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime stime cutime cstime priority ...
    ProcStat.Line l =
        ProcStat.parse(
            "4242 (GC Thread (#0)) S 17 4242 17 0 -1 4194560 100 0 0 0 1234 56 789 10 20 0 1 0");

    assertThat(l.pid()).isEqualTo(4242);
    assertThat(l.comm()).isEqualTo("GC Thread (#0)");
    assertThat(l.ppid()).isEqualTo(17);
    assertThat(l.ticks()).isEqualTo(1234 + 56);
    assertThat(l.childTicks()).isEqualTo(789 + 10);
  }

  @Test
  void shouldReadThisJvmsOwnStatWhenItHasRunCode() {
    long self = ProcessHandle.current().pid();

    ProcStat.Line l = ProcStat.process(self);

    assertThat(l.pid()).isEqualTo(self);
    assertThat(l.ticks()).isPositive();
    assertThat(ProcStat.threads(self)).extracting(ProcStat.Line::pid).contains(self);
  }

  @Test
  void shouldCountEverythingButIdleAndIowaitAsBusyWhenGuestTimeIsAlsoListed() {
    ProcStat.Machine m = ProcStat.parseMachine("cpu  100 5 50 800 40 3 2 1 70 0");

    assertThat(m.total()).isEqualTo(100 + 5 + 50 + 800 + 40 + 3 + 2 + 1);
    assertThat(m.busy()).isEqualTo(100 + 5 + 50 + 3 + 2 + 1);
  }

  @Test
  void shouldRejectALineWithoutTheCommandInParentheses() {
    assertThatThrownBy(() -> ProcStat.parse("4242 S 17"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldFoldNumbersWhenThreadsOfOnePoolAreGrouped() {
    assertThat(ProcStat.threadGroup("GC Thread#1")).isEqualTo("GC Thread#N");
    assertThat(ProcStat.threadGroup("kafka-producer-")).isEqualTo("kafka-producer-");
  }

  @Test
  void shouldNameProcessesByRoleWhenTheyAreTheBrokerTheWorkerThePluginsOrTheCli() {
    assertThat(CpuMeter.role(1, 1, 2, List.of("java"), "java")).isEqualTo(CpuMeter.BENCHMARK);
    assertThat(CpuMeter.role(2, 1, 2, List.of("java"), "java")).isEqualTo(CpuMeter.WORKER);
    assertThat(
            CpuMeter.role(
                3, 1, 2, List.of("/usr/bin/java", "-cp", "x", "kafka.Kafka", "p"), "java"))
        .isEqualTo(CpuMeter.BROKER);
    assertThat(
            CpuMeter.role(
                4, 1, 2, List.of("/r/fixtures/bin/cq-source-test", "serve"), "cq-source-test"))
        .isEqualTo("plugin cq-source-test");
    assertThat(CpuMeter.role(5, 1, 2, List.of("/r/fixtures/bin/cloudquery", "sync"), "cloudquery"))
        .isEqualTo("CLI");
    // A zombie (exiting, not yet waited for) has an empty command line.
    assertThat(CpuMeter.role(6, 1, 2, List.of(""), "cq-source-test"))
        .isEqualTo("plugin cq-source-test");
  }
}
