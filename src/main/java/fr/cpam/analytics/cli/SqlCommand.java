package fr.cpam.analytics.cli;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Iterator;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs Spark SQL over the warehouse tables, by name, and prints CSV.",
                "A header line, ',' separator, '.' decimals, no thousands separators, nulls as empty fields."})
public final class SqlCommand extends JobCommand {

    @Parameters(arity = "1..*", paramLabel = "QUERY",
            description = {"The SQL query, e.g. \"SELECT poste, sum(amount) FROM claims GROUP BY poste\".",
                    "Several queries run in one session; their results are separated by an empty line."})
    java.util.List<String> queries;

    @Override
    protected String commandName() {
        return "sql";
    }

    @Override
    protected boolean recordsRun() {
        return false;
    }

    @Override
    protected int execute() {
        warehouse.registerViews();
        for (int q = 0; q < queries.size(); q++) {
            if (q > 0) {
                out().println();
            }
            print(warehouse.spark().sql(queries.get(q)));
        }
        out().flush();
        return ExitCodes.OK;
    }

    private void print(Dataset<Row> result) {
        PrintWriter out = out();
        String[] cols = result.columns();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cols.length; i++) {
            sb.append(i == 0 ? "" : ",").append(csv(cols[i]));
        }
        out.println(sb);
        // streamed partition by partition: the result is printed, so it must reach the driver
        Iterator<Row> it = result.toLocalIterator();
        while (it.hasNext()) {
            Row r = it.next();
            sb.setLength(0);
            for (int i = 0; i < r.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(csv(format(r.get(i))));
            }
            out.println(sb);
        }
    }

    static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (v instanceof scala.collection.Iterable<?> it) {
            return it.mkString("[", ";", "]");
        }
        return v.toString();
    }

    static String csv(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
