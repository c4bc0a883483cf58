package io.cqconnect.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.cqconnect.arrow.CqMetadata;
import io.cqconnect.arrow.CqTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class TableAssignerTest {

  private static CqTable table(String name, String parent) {
    Map<String, String> metadata = new HashMap<>();
    metadata.put(CqMetadata.TABLE_NAME, name);
    if (parent != null) {
      metadata.put(CqMetadata.TABLE_DEPENDS_ON, parent);
    }
    Field id = new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null);
    return CqTable.fromSchema(new Schema(List.of(id), metadata));
  }

  @Test
  void shouldKeepChildrenWithTheirParent() {
    List<CqTable> tables =
        List.of(
            table("a", null),
            table("a_child", "a"),
            table("a_grandchild", "a_child"),
            table("b", null));

    List<List<String>> tasks = TableAssigner.assign(tables, 3);

    assertThat(tasks).hasSize(2);
    assertThat(tasks)
        .anySatisfy(t -> assertThat(t).containsExactlyInAnyOrder("a", "a_child", "a_grandchild"));
    assertThat(tasks).anySatisfy(t -> assertThat(t).containsExactly("b"));
  }

  @Test
  void shouldUseEveryTaskAndAssignEachTableOnce() {
    List<CqTable> tables = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      tables.add(table("t" + i, null));
    }

    List<List<String>> tasks = TableAssigner.assign(tables, 3);

    assertThat(tasks).hasSize(3);
    assertThat(tasks.stream().flatMap(List::stream))
        .containsExactlyInAnyOrder("t0", "t1", "t2", "t3", "t4", "t5", "t6");
    assertThat(tasks).allSatisfy(t -> assertThat(t.size()).isBetween(2, 3));
  }

  @Test
  void shouldTreatAChildWhoseParentIsNotSelectedAsItsOwnGroup() {
    List<List<String>> tasks = TableAssigner.assign(List.of(table("child", "unselected")), 2);

    assertThat(tasks).containsExactly(List.of("child"));
  }
}
