package io.cqconnect.arrow;

import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/** Small helpers about Arrow columns shared by both mapping directions. */
final class Columns {

  private Columns() {}

  /** The Arrow extension name of a field, from a registered extension type or its metadata. */
  static String extensionName(Field field) {
    if (field.getType() instanceof ArrowType.ExtensionType) {
      return ((ArrowType.ExtensionType) field.getType()).extensionName();
    }
    Map<String, String> metadata = field.getMetadata();
    return metadata == null ? null : metadata.get(CqMetadata.EXTENSION_NAME);
  }

  /** The type that holds the data: the storage type of an extension type, else the type. */
  static ArrowType storageType(Field field) {
    ArrowType type = field.getType();
    return type instanceof ArrowType.ExtensionType
        ? ((ArrowType.ExtensionType) type).storageType()
        : type;
  }

  /**
   * The name of a CloudQuery extension (uuid, json, inet, mac) when the field is one with the
   * storage type CloudQuery uses, else null (the field is then mapped by its storage type).
   */
  static String knownExtension(Field field) {
    String name = extensionName(field);
    if (name == null) {
      return null;
    }
    ArrowType storage = storageType(field);
    switch (name) {
      case CqMetadata.EXT_UUID:
        return storage instanceof ArrowType.FixedSizeBinary
                && ((ArrowType.FixedSizeBinary) storage).getByteWidth() == 16
            ? name
            : null;
      case CqMetadata.EXT_JSON:
      case CqMetadata.EXT_INET:
      case CqMetadata.EXT_MAC:
        return storage instanceof ArrowType.Binary ? name : null;
      default:
        return null;
    }
  }

  /**
   * A name usable as an Avro name part: letters, digits and underscores, not starting with a digit;
   * other characters become underscores.
   */
  static String avroSafe(String name) {
    if (name == null || name.isEmpty()) {
      return "_";
    }
    StringBuilder sb = new StringBuilder(name.length() + 1);
    if (Character.isDigit(name.charAt(0))) {
      sb.append('_');
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }
}
