package fr.cpam.analytics.reporting;

import fr.cpam.analytics.spark.Warehouse;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the HTML report of each fund (or of one) for a year (or its latest), to any Hadoop
 * path: a local file, HDFS or S3. With several funds, {@code out} gets the fund's code before
 * its extension ({@code report.html -> report_092.html}).
 */
public final class Reports {

    /** One written report. */
    public record Written(String source, String org, int year, String path) {
    }

    private Reports() {
    }

    public static List<Written> write(Warehouse wh, String out, String org, Integer year, String runId) {
        if (!wh.exists("spending_evolution")) {
            throw new IllegalStateException("no spending_evolution table in " + wh.root() + ": run compute first");
        }
        List<String[]> funds = ReportData.funds(wh);
        // a fund's own report: DCIR data when there is some, Open DAMIR regions otherwise
        boolean dcir = funds.stream().anyMatch(f -> f[0].equals("DCIR"));
        List<String[]> chosen = funds.stream().filter(f -> f[0].equals(dcir ? "DCIR" : "OPENDAMIR"))
                .filter(f -> org == null || f[1].equals(org)).toList();
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no fund " + org + " in spending_evolution; funds: "
                    + String.join(", ", funds.stream().map(f -> f[1]).distinct().toList()));
        }
        List<Written> written = new ArrayList<>();
        for (String[] f : chosen) {
            Integer y = year != null ? year : ReportData.latestYear(wh, f[0], f[1]);
            if (y == null) {
                continue;
            }
            String html = HtmlReport.render(ReportData.load(wh, f[0], f[1], y), runId);
            String path = chosen.size() == 1 ? out : withSuffix(out, "_" + f[1]);
            save(wh, path, html);
            written.add(new Written(f[0], f[1], y, path));
        }
        return written;
    }

    static String withSuffix(String path, String suffix) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash ? path.substring(0, dot) + suffix + path.substring(dot) : path + suffix + ".html";
    }

    private static void save(Warehouse wh, String path, String html) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(wh.spark().sparkContext().hadoopConfiguration());
            try (FSDataOutputStream o = fs.create(p, true)) {
                o.write(html.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + path, e);
        }
    }
}
