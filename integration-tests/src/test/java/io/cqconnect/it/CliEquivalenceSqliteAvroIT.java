package io.cqconnect.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CLI equivalence cases on CloudQuery's SQLite destination with Avro records: both connectors
 * use Apicurio's AvroConverter for keys and values against a real Apicurio Registry on loopback, so
 * every Connect schema the source produces must be a valid Avro schema and come back from Avro as
 * the sink needs it.
 */
class CliEquivalenceSqliteAvroIT extends CliEquivalenceSqliteIT {

  @RegisterExtension static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

  private long subjectsBefore;

  @BeforeEach
  void countSubjects() throws Exception {
    subjectsBefore = REGISTRY.artifactCount();
  }

  /** Each case writes topics of its own: their subjects show the connectors used Avro. */
  @AfterEach
  void checkTheCaseRegisteredSchemas() throws Exception {
    assertThat(REGISTRY.artifactCount())
        .as("subjects in the registry after the case (its connectors register theirs)")
        .isGreaterThan(subjectsBefore);
  }

  @Override
  EquivalenceRun.Format format() {
    return new EquivalenceRun.Format(
        "avro", REGISTRY.converters("io.apicurio.registry.utils.converter.AvroConverter"));
  }
}
