package io.cqconnect.arrow;

import java.util.UUID;

/** Text forms of CloudQuery extension values: canonical UUIDs and colon-separated MAC addresses. */
final class TextForms {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TextForms() {}

  /** Parses a canonical UUID string into its 16 big-endian bytes. */
  static byte[] uuidBytes(String text) {
    UUID uuid = UUID.fromString(text);
    byte[] out = new byte[16];
    long msb = uuid.getMostSignificantBits();
    long lsb = uuid.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (msb >>> (56 - 8 * i));
      out[8 + i] = (byte) (lsb >>> (56 - 8 * i));
    }
    return out;
  }

  /** Formats hardware-address bytes like Go's {@code net.HardwareAddr.String()}: aa:bb:cc. */
  static String mac(byte[] bytes, int length) {
    if (length == 0) {
      return "";
    }
    char[] out = new char[length * 3 - 1];
    int p = 0;
    for (int i = 0; i < length; i++) {
      if (i > 0) {
        out[p++] = ':';
      }
      out[p++] = HEX[(bytes[i] >> 4) & 0xf];
      out[p++] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /**
   * Parses a MAC address written as hex byte pairs separated by ':' or '-' (aa:bb:cc:dd:ee:ff), or
   * as dot-separated groups of four hex digits (aabb.ccdd.eeff).
   *
   * @throws IllegalArgumentException if the text is neither
   */
  static byte[] macBytes(String text) {
    if (text.isEmpty()) {
      return new byte[0];
    }
    if (text.indexOf('.') >= 0) {
      String hex = text.replace(".", "");
      if (hex.length() != text.length() - text.length() / 5 || hex.length() % 4 != 0) {
        throw new IllegalArgumentException("invalid MAC address '" + text + "'");
      }
      return hexBytes(hex, text);
    }
    if ((text.length() + 1) % 3 != 0) {
      throw new IllegalArgumentException("invalid MAC address '" + text + "'");
    }
    int n = (text.length() + 1) / 3;
    byte[] out = new byte[n];
    char separator = n > 1 ? text.charAt(2) : ':';
    if (separator != ':' && separator != '-') {
      throw new IllegalArgumentException("invalid MAC address '" + text + "'");
    }
    for (int i = 0; i < n; i++) {
      if (i > 0 && text.charAt(3 * i - 1) != separator) {
        throw new IllegalArgumentException("invalid MAC address '" + text + "'");
      }
      out[i] =
          (byte) (hexDigit(text.charAt(3 * i), text) << 4 | hexDigit(text.charAt(3 * i + 1), text));
    }
    return out;
  }

  private static byte[] hexBytes(String hex, String original) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          (byte)
              (hexDigit(hex.charAt(2 * i), original) << 4
                  | hexDigit(hex.charAt(2 * i + 1), original));
    }
    return out;
  }

  private static int hexDigit(char c, String text) {
    int d = Character.digit(c, 16);
    if (d < 0) {
      throw new IllegalArgumentException("invalid MAC address '" + text + "'");
    }
    return d;
  }
}
