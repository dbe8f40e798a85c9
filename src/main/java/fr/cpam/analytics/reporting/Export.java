package fr.cpam.analytics.reporting;

import fr.cpam.analytics.spark.Warehouse;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.*;

/**
 * The reporting tables for downstream tools, small cells suppressed ({@link Suppression}), one
 * file per table and format under the output folder:
 * <ul>
 *   <li>{@code csv}: {@code ;} separator, decimal comma, UTF-8 with a byte-order mark, header,
 *   empty field for null: what a French spreadsheet opens as is;</li>
 *   <li>{@code parquet}: typed columns (decimals stay decimals), one file;</li>
 *   <li>{@code xlsx}: one sheet, typed numeric cells, header frozen (Apache POI, streamed).</li>
 * </ul>
 * Fraud tables are never exported: their identifiers stay in the warehouse.
 */
public final class Export {

    /** The tables exported, in this order. */
    public static final List<String> TABLES = List.of("spending_evolution", "covid_share", "ij_breakdown", "top_movers");
    public static final List<String> FORMATS = List.of("csv", "parquet", "xlsx");
    /** Excel's limit, header included. */
    static final int XLSX_MAX_ROWS = 1_048_576;

    /** One file written. */
    public record Written(String table, String format, String path, long rows, long suppressedRows) {
    }

    private Export() {
    }

    /** The table as published: sorted by its key, small cells suppressed, flags added. */
    public static Dataset<Row> prepared(Warehouse wh, String table) {
        Dataset<Row> df = wh.read(table);
        Suppression rule = Suppression.forReportingTables().get(table);
        if (rule != null) {
            df = rule.apply(df);
        } else {
            df = df.withColumn("suppressed", lit(false)).withColumn("suppressed_cells", lit(""));
        }
        List<Column> order = new ArrayList<>();
        for (String k : List.of("source", "org", "period_type", "period", "ordre", "poste", "sous_poste", "domain", "risk",
                "duration", "item_type", "rank", "item_code")) {
            if (List.of(df.columns()).contains(k)) {
                order.add(col(k));
            }
        }
        return df.orderBy(order.toArray(new Column[0]));
    }

    public static List<Written> write(Warehouse wh, String outDir, List<String> formats) {
        List<Written> out = new ArrayList<>();
        for (String table : TABLES) {
            if (!wh.exists(table)) {
                continue;
            }
            Dataset<Row> df = prepared(wh, table).cache();
            try {
                // rows and suppressed rows in one pass
                Row counts = df.agg(count(lit(1)), count_if(col("suppressed"))).first();
                long rows = counts.getLong(0);
                long suppressed = counts.getLong(1);
                for (String format : formats) {
                    String path = outDir + "/" + table + "." + format;
                    switch (format) {
                        case "csv" -> csv(wh, df, path);
                        case "parquet" -> parquet(wh, df, path);
                        case "xlsx" -> xlsx(wh, df, path, table, rows);
                        default -> throw new IllegalArgumentException("unknown export format " + format + "; known: " + FORMATS);
                    }
                    out.add(new Written(table, format, path, rows, suppressed));
                }
            } finally {
                df.unpersist();
            }
        }
        return out;
    }

    /** Every value as French spreadsheet text: decimal comma, ISO dates, nothing for null. */
    static Dataset<Row> frenchText(Dataset<Row> df) {
        List<Column> cols = new ArrayList<>();
        for (StructField f : df.schema().fields()) {
            Column c = col(f.name());
            if (f.dataType() instanceof DecimalType || f.dataType().equals(DataTypes.DoubleType) || f.dataType().equals(DataTypes.FloatType)) {
                c = translate(c.cast("string"), ".", ",");
            } else if (f.dataType() instanceof org.apache.spark.sql.types.ArrayType) {
                c = concat_ws(",", c);
            } else {
                c = c.cast("string");
            }
            cols.add(c.as(f.name()));
        }
        return df.select(cols.toArray(new Column[0]));
    }

    private static void csv(Warehouse wh, Dataset<Row> df, String path) {
        String tmp = path + "._tmp";
        frenchText(df).coalesce(1).write().mode(SaveMode.Overwrite).option("sep", ";").option("header", "true")
                .option("emptyValue", "").option("nullValue", "").option("encoding", "UTF-8").csv(tmp);
        // the byte-order mark tells Excel the file is UTF-8 (accents in the labels)
        single(wh, tmp, path, new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, ".csv");
    }

    private static void parquet(Warehouse wh, Dataset<Row> df, String path) {
        String tmp = path + "._tmp";
        df.coalesce(1).write().mode(SaveMode.Overwrite).parquet(tmp);
        single(wh, tmp, path, new byte[0], ".parquet");
    }

    /** Moves the one part file Spark wrote to {@code path} (with a prefix), and removes the folder. */
    private static void single(Warehouse wh, String folder, String path, byte[] prefix, String extension) {
        try {
            Path dir = new Path(folder);
            FileSystem fs = dir.getFileSystem(wh.spark().sparkContext().hadoopConfiguration());
            FileStatus part = null;
            for (FileStatus s : fs.listStatus(dir)) {
                if (s.getPath().getName().startsWith("part-") && s.getPath().getName().endsWith(extension)) {
                    part = s;
                }
            }
            if (part == null) {
                throw new IllegalStateException("no part file in " + folder);
            }
            Path target = new Path(path);
            if (prefix.length == 0) {
                fs.delete(target, false);
                if (!fs.rename(part.getPath(), target)) {
                    throw new IOException("cannot move " + part.getPath() + " to " + target);
                }
            } else {
                try (FSDataOutputStream o = fs.create(target, true); InputStream in = fs.open(part.getPath())) {
                    o.write(prefix);
                    in.transferTo(o);
                }
            }
            fs.delete(dir, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    private static void xlsx(Warehouse wh, Dataset<Row> df, String path, String table, long rows) {
        if (rows + 1 > XLSX_MAX_ROWS) {
            throw new IllegalStateException(table + " has " + rows + " rows, more than an Excel sheet holds (" + (XLSX_MAX_ROWS - 1)
                    + "): export it as csv or parquet");
        }
        StructField[] fields = df.schema().fields();
        try (SXSSFWorkbook wb = new SXSSFWorkbook(200)) {
            SXSSFSheet sheet = wb.createSheet(table);
            Font bold = wb.createFont();
            bold.setBold(true);
            CellStyle header = wb.createCellStyle();
            header.setFont(bold);
            CellStyle money = wb.createCellStyle();
            money.setDataFormat(wb.createDataFormat().getFormat("#,##0.00"));
            var head = sheet.createRow(0);
            for (int i = 0; i < fields.length; i++) {
                var cell = head.createCell(i);
                cell.setCellValue(fields[i].name());
                cell.setCellStyle(header);
            }
            sheet.createFreezePane(0, 1);
            int r = 1;
            // streamed a partition at a time: the driver never holds the table
            Iterator<Row> it = df.toLocalIterator();
            while (it.hasNext()) {
                Row row = it.next();
                var x = sheet.createRow(r++);
                for (int i = 0; i < fields.length; i++) {
                    if (row.isNullAt(i)) {
                        continue;
                    }
                    var cell = x.createCell(i);
                    DataType t = fields[i].dataType();
                    Object v = row.get(i);
                    if (v instanceof BigDecimal b) {
                        cell.setCellValue(b.doubleValue());
                        if (((DecimalType) t).scale() == 2) {
                            cell.setCellStyle(money);
                        }
                    } else if (v instanceof Number n) {
                        cell.setCellValue(n.doubleValue());
                    } else if (v instanceof Boolean b) {
                        cell.setCellValue(b);
                    } else if (v instanceof scala.collection.Seq<?> s) {
                        cell.setCellValue(String.join(",", scala.jdk.javaapi.CollectionConverters.asJava(s).stream().map(String::valueOf).toList()));
                    } else {
                        cell.setCellValue(String.valueOf(v));
                    }
                }
            }
            Path target = new Path(path);
            FileSystem fs = target.getFileSystem(wh.spark().sparkContext().hadoopConfiguration());
            try (FSDataOutputStream o = fs.create(target, true)) {
                wb.write(o);
            }
            wb.dispose();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }
}
