package io.cqconnect.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;

class ArrowTypeNamesTest {

  @Test
  void shouldParseWhatItFormats() {
    ArrowType[] types = {
      new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC"),
      new ArrowType.Timestamp(TimeUnit.SECOND, null),
      new ArrowType.Timestamp(TimeUnit.MILLISECOND, "+01:00"),
      new ArrowType.Time(TimeUnit.MICROSECOND, 64),
      new ArrowType.Time(TimeUnit.SECOND, 32),
      new ArrowType.Duration(TimeUnit.MILLISECOND),
      new ArrowType.Interval(IntervalUnit.DAY_TIME),
      new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO),
      new ArrowType.Interval(IntervalUnit.YEAR_MONTH),
      new ArrowType.Decimal(40, 10, 256),
      new ArrowType.Decimal(19, -2, 128),
    };
    for (ArrowType type : types) {
      String name;
      if (type instanceof ArrowType.Timestamp) {
        name = ArrowTypeNames.timestamp((ArrowType.Timestamp) type);
      } else if (type instanceof ArrowType.Time) {
        name = ArrowTypeNames.time((ArrowType.Time) type);
      } else if (type instanceof ArrowType.Duration) {
        name = ArrowTypeNames.duration((ArrowType.Duration) type);
      } else if (type instanceof ArrowType.Interval) {
        name = ArrowTypeNames.interval((ArrowType.Interval) type);
      } else {
        name = ArrowTypeNames.decimal((ArrowType.Decimal) type);
      }
      assertThat(ArrowTypeNames.parse(name)).as(name).isEqualTo(type);
    }
    assertThat(ArrowTypeNames.timestamp(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")))
        .isEqualTo("timestamp[us, tz=UTC]");
    assertThat(ArrowTypeNames.parse("fixed_size_list[3]"))
        .isEqualTo(new ArrowType.FixedSizeList(3));
    assertThat(ArrowTypeNames.parse("map[keys_sorted]")).isEqualTo(new ArrowType.Map(true));
    assertThat(ArrowTypeNames.parse("uint64")).isEqualTo(new ArrowType.Int(64, false));
  }

  @Test
  void shouldRejectUnknownNames() {
    assertThatThrownBy(() -> ArrowTypeNames.parse("timestamp[weeks]"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ArrowTypeNames.parse("varchar"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown Arrow type name 'varchar'");
  }
}
