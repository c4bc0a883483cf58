import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from the beginning until it holds at least MIN_ROWS records with distinct keys, or
 * the timeout passes; prints the counts and one record. Exit status 0 when enough rows arrived,
 * 1 otherwise. Run with Java's source launcher and Kafka's jars (build-and-run.sh runs it in the
 * Kafka base image):
 *
 * <pre>java -cp '/opt/kafka/libs/*' TopicRows.java BOOTSTRAP TOPIC MIN_ROWS TIMEOUT_SECONDS</pre>
 */
public final class TopicRows {

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: TopicRows BOOTSTRAP TOPIC MIN_ROWS TIMEOUT_SECONDS");
      System.exit(2);
    }
    String topic = args[1];
    int wanted = Integer.parseInt(args[2]);
    long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    long records = 0;
    Set<String> keys = new HashSet<>();
    String sample = null;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      while (partitions.isEmpty() && System.nanoTime() < deadline) {
        List<PartitionInfo> infos = consumer.listTopics(Duration.ofSeconds(5)).get(topic);
        if (infos == null) {
          Thread.sleep(1000);
          continue;
        }
        infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      if (partitions.isEmpty()) {
        System.out.println("topic " + topic + ": does not exist after " + args[3] + " s");
        System.exit(1);
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (keys.size() < wanted && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
          if (r.value() == null) {
            continue;
          }
          records++;
          keys.add(r.key());
          if (sample == null) {
            // JsonConverter's envelope: the payload says more than the schema.
            int payload = r.value().indexOf("\"payload\":");
            sample = payload < 0 ? r.value() : r.value().substring(payload);
            sample = sample.length() > 600 ? sample.substring(0, 600) + "..." : sample;
          }
        }
      }
    }
    System.out.println(
        "topic " + topic + ": " + records + " records, " + keys.size() + " distinct keys");
    if (sample != null) {
      System.out.println("first record: " + sample);
    }
    System.exit(keys.size() >= wanted ? 0 : 1);
  }
}
