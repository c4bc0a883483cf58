package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextFormsTest {

  @Test
  void shouldFormatMacLikeGoAndParseItBack() {
    byte[] mac = {0x00, 0x1a, 0x2b, (byte) 0xc3, (byte) 0xd4, (byte) 0xff};

    String text = TextForms.mac(mac, mac.length);

    assertThat(text).isEqualTo("00:1a:2b:c3:d4:ff");
    assertThat(TextForms.macBytes(text)).containsExactly(mac);
    assertThat(TextForms.macBytes("00-1A-2B-C3-D4-FF")).containsExactly(mac);
    assertThat(TextForms.macBytes("001a.2bc3.d4ff")).containsExactly(mac);
    assertThat(TextForms.mac(new byte[0], 0)).isEmpty();
    assertThat(TextForms.macBytes("")).isEmpty();
  }

  @Test
  void shouldRejectMalformedMacAddresses() {
    for (String bad : new String[] {"00:1a:2", "00:1a-2b", "0g:00", "00;11", "001a.2bc"}) {
      assertThatThrownBy(() -> TextForms.macBytes(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid MAC address");
    }
  }

  @Test
  void shouldEncodeUuidAsBigEndianBytes() {
    byte[] bytes = TextForms.uuidBytes("01020304-0506-0708-090a-0b0c0d0e0f10");

    assertThat(bytes).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
  }
}
