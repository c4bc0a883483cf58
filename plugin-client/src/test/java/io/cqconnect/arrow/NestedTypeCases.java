package io.cqconnect.arrow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** Cases for lists (plain, large, fixed), structs, lists of structs and maps. */
final class NestedTypeCases {

  private NestedTypeCases() {}

  static List<TypeCases.TypeCase> nested() {
    List<TypeCases.TypeCase> cases = new ArrayList<>();
    cases.add(
        new TypeCases.TypeCase(
            "list<int64>",
            TypeCases.nullable(
                "c",
                ArrowType.List.INSTANCE,
                TypeCases.nullable("item", new ArrowType.Int(64, true))),
            v -> {
              ListVector x = (ListVector) v;
              BigIntVector data = (BigIntVector) x.getDataVector();
              int start = x.startNewValue(0);
              data.setSafe(start, 1);
              data.setNull(start + 1);
              data.setSafe(start + 2, -3);
              x.endValue(0, 3);
              x.setNull(1);
              x.startNewValue(2);
              x.endValue(2, 0);
            },
            TypeCases.values(Arrays.asList(1L, null, -3L), null, List.of())));
    cases.add(
        new TypeCases.TypeCase(
            "large_list<utf8>",
            TypeCases.nullable(
                "c",
                ArrowType.LargeList.INSTANCE,
                TypeCases.nullable("item", ArrowType.Utf8.INSTANCE)),
            v -> {
              LargeListVector x = (LargeListVector) v;
              VarCharVector data = (VarCharVector) x.getDataVector();
              long start = x.startNewValue(0);
              data.setSafe((int) start, TypeCases.utf8("a"));
              data.setSafe((int) start + 1, TypeCases.utf8("bc"));
              x.endValue(0, 2);
              x.setNull(1);
            },
            TypeCases.values(List.of("a", "bc"), null)));
    cases.add(
        new TypeCases.TypeCase(
            "fixed_size_list[2]<int32>",
            TypeCases.nullable(
                "c",
                new ArrowType.FixedSizeList(2),
                TypeCases.nullable("item", new ArrowType.Int(32, true))),
            v -> {
              FixedSizeListVector x = (FixedSizeListVector) v;
              IntVector data = (IntVector) x.getDataVector();
              int start = x.startNewValue(0);
              data.setSafe(start, 5);
              data.setNull(start + 1);
              x.setNull(1);
              start = x.startNewValue(2);
              data.setSafe(start, 7);
              data.setSafe(start + 1, 8);
            },
            TypeCases.values(Arrays.asList(5, null), null, List.of(7, 8))));
    Field structField =
        TypeCases.nullable(
            "c",
            ArrowType.Struct.INSTANCE,
            TypeCases.nullable("id", new ArrowType.Int(64, true)),
            TypeCases.nullable("name", ArrowType.Utf8.INSTANCE),
            TypeCases.extension(
                "uid", new ArrowType.FixedSizeBinary(16), "uuid", "uuid-serialized"));
    cases.add(
        new TypeCases.TypeCase(
            "list<struct>",
            TypeCases.nullable(
                "c",
                ArrowType.List.INSTANCE,
                new Field(
                    "item",
                    FieldType.nullable(ArrowType.Struct.INSTANCE),
                    structField.getChildren())),
            v -> {
              ListVector x = (ListVector) v;
              StructVector data = (StructVector) x.getDataVector();
              BigIntVector id = (BigIntVector) data.getChildByOrdinal(0);
              VarCharVector name = (VarCharVector) data.getChildByOrdinal(1);
              FixedSizeBinaryVector uid = (FixedSizeBinaryVector) data.getChildByOrdinal(2);
              int start = x.startNewValue(0);
              data.setIndexDefined(start);
              id.setSafe(start, 1);
              name.setSafe(start, TypeCases.utf8("one"));
              uid.setNull(start);
              data.setNull(start + 1);
              id.setNull(start + 1);
              name.setNull(start + 1);
              uid.setNull(start + 1);
              data.setIndexDefined(start + 2);
              id.setNull(start + 2);
              name.setSafe(start + 2, TypeCases.utf8("three"));
              uid.setSafe(start + 2, new byte[16]);
              x.endValue(0, 3);
              x.setNull(1);
            },
            null));
    cases.add(
        new TypeCases.TypeCase(
            "struct",
            structField,
            v -> {
              StructVector x = (StructVector) v;
              x.setIndexDefined(0);
              ((BigIntVector) x.getChildByOrdinal(0)).setSafe(0, 42);
              ((VarCharVector) x.getChildByOrdinal(1)).setNull(0);
              ((FixedSizeBinaryVector) x.getChildByOrdinal(2)).setSafe(0, new byte[16]);
              x.setNull(1);
              ((BigIntVector) x.getChildByOrdinal(0)).setNull(1);
              ((VarCharVector) x.getChildByOrdinal(1)).setNull(1);
              ((FixedSizeBinaryVector) x.getChildByOrdinal(2)).setNull(1);
            },
            null));
    cases.add(
        new TypeCases.TypeCase(
            "map<utf8,int64>",
            TypeCases.mapField("c", ArrowType.Utf8.INSTANCE, new ArrowType.Int(64, true)),
            v -> {
              MapVector x = (MapVector) v;
              StructVector entries = (StructVector) x.getDataVector();
              VarCharVector keys = (VarCharVector) entries.getChildByOrdinal(0);
              BigIntVector values = (BigIntVector) entries.getChildByOrdinal(1);
              int start = x.startNewValue(0);
              entries.setIndexDefined(start);
              keys.setSafe(start, TypeCases.utf8("a"));
              values.setSafe(start, 1);
              entries.setIndexDefined(start + 1);
              keys.setSafe(start + 1, TypeCases.utf8("b"));
              values.setNull(start + 1);
              x.endValue(0, 2);
              x.setNull(1);
              x.startNewValue(2);
              x.endValue(2, 0);
            },
            TypeCases.values(TypeCases.linkedMap("a", 1L, "b", null), null, Map.of())));
    cases.add(
        new TypeCases.TypeCase(
            "map<int64,list<utf8>>",
            new Field(
                "c",
                FieldType.nullable(new ArrowType.Map(false)),
                List.of(
                    new Field(
                        "entries",
                        FieldType.notNullable(ArrowType.Struct.INSTANCE),
                        List.of(
                            new Field(
                                "key", FieldType.notNullable(new ArrowType.Int(64, true)), null),
                            TypeCases.nullable(
                                "value",
                                ArrowType.List.INSTANCE,
                                TypeCases.nullable("item", ArrowType.Utf8.INSTANCE)))))),
            v -> {
              MapVector x = (MapVector) v;
              StructVector entries = (StructVector) x.getDataVector();
              BigIntVector keys = (BigIntVector) entries.getChildByOrdinal(0);
              ListVector values = (ListVector) entries.getChildByOrdinal(1);
              VarCharVector strings = (VarCharVector) values.getDataVector();
              int start = x.startNewValue(0);
              entries.setIndexDefined(start);
              keys.setSafe(start, 7);
              int s = values.startNewValue(start);
              strings.setSafe(s, TypeCases.utf8("x"));
              values.endValue(start, 1);
              entries.setIndexDefined(start + 1);
              keys.setSafe(start + 1, -7);
              values.setNull(start + 1);
              x.endValue(0, 2);
            },
            TypeCases.values(TypeCases.linkedMap(7L, List.of("x"), -7L, null))));
    return cases;
  }
}
