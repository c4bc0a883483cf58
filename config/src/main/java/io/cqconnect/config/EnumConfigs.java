package io.cqconnect.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Parsing, validation and recommendation of {@link ConfigEnum} values for {@code ConfigDef}s. */
public final class EnumConfigs {

  private EnumConfigs() {}

  /**
   * Parses {@code value} (exact spelling, surrounding blanks ignored) into a constant of {@code
   * type}.
   *
   * @throws IllegalArgumentException naming the value and listing the valid ones
   */
  public static <E extends Enum<E> & ConfigEnum> E parse(Class<E> type, String what, String value) {
    String trimmed = value == null ? "" : value.trim();
    for (E constant : type.getEnumConstants()) {
      if (constant.value().equals(trimmed)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        "invalid "
            + what
            + " '"
            + value
            + "': valid values are "
            + String.join(", ", values(type)));
  }

  /** The valid spellings of {@code type}, in declaration order. */
  public static <E extends Enum<E> & ConfigEnum> List<String> values(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(ConfigEnum::value)
        .collect(Collectors.toUnmodifiableList());
  }

  /** A validator accepting exactly the spellings of {@code type}. */
  public static <E extends Enum<E> & ConfigEnum> ConfigDef.Validator validator(Class<E> type) {
    return new EnumValidator<>(type);
  }

  /** A recommender offering the spellings of {@code type}, for UIs built on {@code validate()}. */
  public static <E extends Enum<E> & ConfigEnum> ConfigDef.Recommender recommender(Class<E> type) {
    List<Object> valid = new ArrayList<>(values(type));
    return new ConfigDef.Recommender() {
      @Override
      public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
        return valid;
      }

      @Override
      public boolean visible(String name, Map<String, Object> parsedConfig) {
        return true;
      }
    };
  }

  private static final class EnumValidator<E extends Enum<E> & ConfigEnum>
      implements ConfigDef.Validator {
    private final Class<E> type;

    EnumValidator(Class<E> type) {
      this.type = type;
    }

    @Override
    public void ensureValid(String name, Object value) {
      try {
        parse(type, name, value == null ? null : value.toString());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            name, value, "valid values are " + String.join(", ", values(type)));
      }
    }

    @Override
    public String toString() {
      return String.join(", ", values(type));
    }
  }
}
