package fr.cpam.analytics.reporting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.cpam.analytics.spark.Warehouse;
import fr.cpam.analytics.support.GeneratedWarehouse;
import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The analysts' notebooks never rot: every Spark SQL query of every notebook runs against a
 * generated warehouse (the tables the job writes, under their names, as the notebooks' setup
 * cell registers them), with the notebook's own parameter values, and returns rows.
 */
@Order(3) // where it starts in the two-at-a-time run: see junit-platform.properties
class NotebooksTest extends SparkTestBase {

    private static final Pattern QUERY = Pattern.compile("spark\\.sql\\((f?)\"\"\"(.*?)\"\"\"\\)", Pattern.DOTALL);
    private static final Pattern PARAMETER = Pattern.compile("^([A-Z][A-Z_]*) = \"([^\"]*)\"", Pattern.MULTILINE);

    @Test
    void everyQueryOfEveryNotebookRunsAndReturnsRows() throws Exception {
        SparkSession views = viewsSession(); // the tables' names are this test's alone
        new Warehouse(views, GeneratedWarehouse.full()).registerViews();
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(Path.of("notebooks"))) {
            notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertEquals(3, notebooks.size(), "the annual review, the Covid effect and the fraud triage");
        int queries = 0;
        for (Path nb : notebooks) {
            StringBuilder code = new StringBuilder();
            for (JsonNode cell : new ObjectMapper().readTree(nb.toFile()).get("cells")) {
                if (cell.get("cell_type").asText().equals("code")) {
                    cell.get("source").forEach(line -> code.append(line.asText()));
                    code.append('\n');
                }
            }
            Map<String, String> parameters = new HashMap<>();
            Matcher p = PARAMETER.matcher(code);
            while (p.find()) {
                parameters.put(p.group(1), p.group(2));
            }
            List<String> found = new ArrayList<>();
            Matcher q = QUERY.matcher(code);
            while (q.find()) {
                String sql = q.group(2);
                if (!q.group(1).isEmpty()) {
                    for (Map.Entry<String, String> e : parameters.entrySet()) {
                        sql = sql.replace("{" + e.getKey() + "}", e.getValue());
                    }
                }
                assertFalse(sql.matches("(?s).*\\{[A-Z_]+}.*"), nb + ": a parameter is not set in the notebook: " + sql);
                found.add(sql);
            }
            assertTrue(found.size() >= 4, nb + " has " + found.size() + " queries");
            for (String sql : found) {
                long rows = views.sql(sql).count();
                assertTrue(rows > 0, nb.getFileName() + ": no row from\n" + sql);
                queries++;
            }
        }
        assertTrue(queries >= 15, "queries run: " + queries);
    }
}
