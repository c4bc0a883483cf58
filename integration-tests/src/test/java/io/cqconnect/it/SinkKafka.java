package io.cqconnect.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Plain Kafka clients for sink tests: a producer writing rows the way the JSON converter with
 * schemas encodes them (and raw garbage), and a consumer reading any topic as raw bytes.
 */
final class SinkKafka implements AutoCloseable {

  /** Value schema of the rows produced here: {@code id} (the key) and {@code name}. */
  static final Schema VALUE =
      SchemaBuilder.struct()
          .name("plain.Row")
          .field("id", Schema.INT64_SCHEMA)
          .field("name", Schema.OPTIONAL_STRING_SCHEMA)
          .build();

  static final Schema KEY =
      SchemaBuilder.struct().name("plain.Key").field("id", Schema.INT64_SCHEMA).build();

  private final String bootstrap;
  private final KafkaProducer<byte[], byte[]> producer;
  private final JsonConverter keys = new JsonConverter();
  private final JsonConverter values = new JsonConverter();

  SinkKafka(String bootstrap) {
    this.bootstrap = bootstrap;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    // Rows sent without waiting must still land in send order (retries cannot reorder them).
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    this.producer = new KafkaProducer<>(props);
    keys.configure(Map.of("schemas.enable", "true"), true);
    values.configure(Map.of("schemas.enable", "true"), false);
  }

  /** Sends one row with schema-carrying JSON key and value. */
  void row(String topic, long id, String name) {
    Struct key = new Struct(KEY).put("id", id);
    Struct value = new Struct(VALUE).put("id", id).put("name", name);
    send(topic, keys.fromConnectData(topic, KEY, key), values.fromConnectData(topic, VALUE, value));
  }

  /**
   * Sends rows {@code first..last} (id and {@code prefix + id}) in id order, without waiting for
   * each one: one partition and the idempotent producer keep the order, and the flush at the end
   * waits for all of them (a row-by-row wait costs the linger time per row).
   */
  void rows(String topic, long first, long last, String prefix) {
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    for (long id = first; id <= last; id++) {
      Struct key = new Struct(KEY).put("id", id);
      Struct value = new Struct(VALUE).put("id", id).put("name", prefix + id);
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  topic,
                  keys.fromConnectData(topic, KEY, key),
                  values.fromConnectData(topic, VALUE, value))));
    }
    producer.flush();
    for (java.util.concurrent.Future<?> f : sent) {
      try {
        f.get();
      } catch (Exception e) {
        throw new IllegalStateException("could not produce rows to " + topic, e);
      }
    }
  }

  /** Sends a tombstone: the key of row {@code id} and a null value. */
  void tombstone(String topic, long id) {
    send(topic, keys.fromConnectData(topic, KEY, new Struct(KEY).put("id", id)), null);
  }

  /** Sends raw bytes (for example a value no converter can read). */
  void send(String topic, byte[] key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("could not produce to " + topic, e);
    }
  }

  /** Every record now in the topic: value as UTF-8 text and headers as text. */
  List<Raw> readAll(String topic, Duration timeout) {
    List<Raw> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r :
        ConnectHarness.records(bootstrap, topic, timeout, false)) {
      out.add(
          new Raw(
              r.offset(),
              r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8),
              ConnectHarness.headers(r)));
    }
    return out;
  }

  @Override
  public void close() {
    producer.close();
  }

  /** One record as text. */
  record Raw(long offset, String value, Map<String, String> headers) {}
}
