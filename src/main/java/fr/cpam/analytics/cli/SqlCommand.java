package fr.cpam.analytics.cli;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.Iterator;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs Spark SQL over the warehouse tables, by name, and prints CSV.",
                "A header line, ',' separator, '.' decimals, no thousands separators, nulls as empty fields."})
public final class SqlCommand extends JobCommand {

    @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL query, e.g. \"SELECT poste, sum(amount) FROM claims GROUP BY poste\".")
    String query;

    static PrintStream out = System.out;

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
        Dataset<Row> result = warehouse.spark().sql(query);
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
        out.flush();
        return ExitCodes.OK;
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
