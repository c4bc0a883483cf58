package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * The worker JVM flag the README's Install section asks for: our Arrow IPC codec fails without it
 * and works with it, on the Java running this test (each case is a fresh JVM, since the test's own
 * JVM is started with the flag).
 */
class ArrowJvmFlagTest {

  /** The flag as the README, the Dockerfile and the test harness give it. */
  static final String FLAG =
      "--add-opens=java.base/java.nio=org.apache.arrow.memory.core,ALL-UNNAMED";

  @Test
  void shouldFailTheFirstIpcRoundTripWhenTheWorkerLacksTheFlag() throws Exception {
    Result result = roundTripInFreshJvm(List.of());

    assertThat(result.exit).as("exit code; output:%n%s", result.output).isNotZero();
    assertThat(result.output)
        .contains(
            "UnsupportedOperationException: sun.misc.Unsafe or"
                + " java.nio.DirectByteBuffer.<init>(long, int) not available");
  }

  @Test
  void shouldRoundTripARecordBatchWhenTheWorkerHasTheFlag() throws Exception {
    Result result = roundTripInFreshJvm(List.of(FLAG));

    assertThat(result.exit).as("exit code; output:%n%s", result.output).isZero();
    assertThat(result.output).contains("read back 42");
  }

  /** Writes one record batch with {@link ArrowIpc} and reads it back; run in a fresh JVM. */
  public static void main(String[] args) {
    try (BufferAllocator allocator = new RootAllocator();
        IntVector vector = new IntVector("n", allocator)) {
      vector.allocateNew(1);
      vector.set(0, 42);
      vector.setValueCount(1);
      ByteString bytes = ArrowIpc.recordToBytes(VectorSchemaRoot.of(vector));
      try (VectorSchemaRoot back = ArrowIpc.recordFromBytes(bytes, allocator)) {
        System.out.println("read back " + ((IntVector) back.getVector(0)).get(0));
      }
    }
  }

  private record Result(int exit, String output) {}

  private static Result roundTripInFreshJvm(List<String> jvmFlags)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ArrowJvmFlagTest.class.getName());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the JVM did not exit within 60 s: " + command);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
