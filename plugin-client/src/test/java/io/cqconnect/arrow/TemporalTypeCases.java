package io.cqconnect.arrow;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.IntervalDayVector;
import org.apache.arrow.vector.IntervalMonthDayNanoVector;
import org.apache.arrow.vector.IntervalYearVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Cases for dates, times, timestamps (every unit and zone), durations and intervals. */
final class TemporalTypeCases {

  private TemporalTypeCases() {}

  static List<TypeCases.TypeCase> temporal() {
    List<TypeCases.TypeCase> cases = new ArrayList<>();
    cases.add(
        new TypeCases.TypeCase(
            "date32",
            TypeCases.nullable("c", new ArrowType.Date(DateUnit.DAY)),
            v -> {
              DateDayVector x = (DateDayVector) v;
              x.setSafe(0, 19471);
              x.setSafe(1, -1);
              x.setNull(2);
            },
            TypeCases.values(
                TypeCases.date(19471L * 86_400_000L), TypeCases.date(-86_400_000L), null)));
    cases.add(
        new TypeCases.TypeCase(
            "date64",
            TypeCases.nullable("c", new ArrowType.Date(DateUnit.MILLISECOND)),
            v -> {
              DateMilliVector x = (DateMilliVector) v;
              x.setSafe(0, 19500L * 86_400_000L);
              x.setNull(1);
            },
            TypeCases.values(TypeCases.date(19500L * 86_400_000L), null)));
    cases.add(
        new TypeCases.TypeCase(
            "time32[s]",
            TypeCases.nullable("c", new ArrowType.Time(TimeUnit.SECOND, 32)),
            v -> {
              TimeSecVector x = (TimeSecVector) v;
              x.setSafe(0, 86399);
              x.setNull(1);
            },
            TypeCases.values(TypeCases.date(86_399_000L), null)));
    cases.add(
        new TypeCases.TypeCase(
            "time32[ms]",
            TypeCases.nullable("c", new ArrowType.Time(TimeUnit.MILLISECOND, 32)),
            v -> {
              TimeMilliVector x = (TimeMilliVector) v;
              x.setSafe(0, 45_296_789);
              x.setNull(1);
            },
            TypeCases.values(TypeCases.date(45_296_789L), null)));
    cases.add(
        new TypeCases.TypeCase(
            "time64[us]",
            TypeCases.nullable("c", new ArrowType.Time(TimeUnit.MICROSECOND, 64)),
            v -> {
              TimeMicroVector x = (TimeMicroVector) v;
              x.setSafe(0, 45_296_789_123L);
              x.setNull(1);
            },
            TypeCases.values(45_296_789_123L, null)));
    cases.add(
        new TypeCases.TypeCase(
            "time64[ns]",
            TypeCases.nullable("c", new ArrowType.Time(TimeUnit.NANOSECOND, 64)),
            v -> {
              TimeNanoVector x = (TimeNanoVector) v;
              x.setSafe(0, 86_399_999_999_999L);
              x.setNull(1);
            },
            TypeCases.values(86_399_999_999_999L, null)));
    for (TimeUnit unit : TimeUnit.values()) {
      long perMilli =
          unit == TimeUnit.SECOND
              ? 0
              : unit == TimeUnit.MILLISECOND ? 1 : unit == TimeUnit.MICROSECOND ? 1000 : 1_000_000;
      long millis = unit == TimeUnit.SECOND ? 1_700_000_000_000L : 1_700_000_000_123L;
      long raw = unit == TimeUnit.SECOND ? millis / 1000 : millis * perMilli;
      long before1970 = unit == TimeUnit.SECOND ? -1 : -5 * perMilli;
      long before1970Millis = unit == TimeUnit.SECOND ? -1000 : -5;
      for (String zone : new String[] {"UTC", null, "America/New_York"}) {
        cases.add(
            new TypeCases.TypeCase(
                "timestamp[" + unit + ", " + zone + "]",
                TypeCases.nullable("c", new ArrowType.Timestamp(unit, zone)),
                v -> {
                  TimeStampVector x = (TimeStampVector) v;
                  x.setSafe(0, raw);
                  x.setNull(1);
                  x.setSafe(2, before1970);
                },
                TypeCases.values(TypeCases.date(millis), null, TypeCases.date(before1970Millis))));
      }
    }
    for (TimeUnit unit : TimeUnit.values()) {
      cases.add(
          new TypeCases.TypeCase(
              "duration[" + unit + "]",
              TypeCases.nullable("c", new ArrowType.Duration(unit)),
              v -> {
                DurationVector x = (DurationVector) v;
                x.setSafe(0, 9_999_999L);
                x.setSafe(1, -3L);
                x.setNull(2);
              },
              TypeCases.values(9_999_999L, -3L, null)));
    }
    cases.add(
        new TypeCases.TypeCase(
            "interval[month]",
            TypeCases.nullable("c", new ArrowType.Interval(IntervalUnit.YEAR_MONTH)),
            v -> {
              IntervalYearVector x = (IntervalYearVector) v;
              x.setSafe(0, 14);
              x.setNull(1);
            },
            TypeCases.values(14, null)));
    cases.add(
        new TypeCases.TypeCase(
            "interval[day_time]",
            TypeCases.nullable("c", new ArrowType.Interval(IntervalUnit.DAY_TIME)),
            v -> {
              IntervalDayVector x = (IntervalDayVector) v;
              x.setSafe(0, 3, 4000);
              x.setNull(1);
            },
            null));
    cases.add(
        new TypeCases.TypeCase(
            "interval[month_day_nano]",
            TypeCases.nullable("c", new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO)),
            v -> {
              IntervalMonthDayNanoVector x = (IntervalMonthDayNanoVector) v;
              x.setSafe(0, 1, 2, 3_000_000_000_000L);
              x.setNull(1);
              x.setSafe(2, -1, -2, -3L);
            },
            null));
    return cases;
  }
}
