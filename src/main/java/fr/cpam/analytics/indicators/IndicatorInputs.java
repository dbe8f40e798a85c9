package fr.cpam.analytics.indicators;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.apache.spark.sql.functions.*;

/**
 * The lines every spending indicator starts from, both sources in one shape: in-scope lines
 * only ({@code DPN_QLF 71} and Open DAMIR's non-legal parts excluded), placed in a month by the
 * configured period basis.
 */
public final class IndicatorInputs {

    public static final String DCIR = "DCIR";
    public static final String OPENDAMIR = "OPENDAMIR";

    private IndicatorInputs() {
    }

    /** {@code payment} (default) or {@code care}. */
    public static boolean careBasis(JobConfig config) {
        String basis = config.getString("period.basis");
        if (!basis.equals("payment") && !basis.equals("care")) {
            throw new IllegalArgumentException("period.basis must be 'payment' or 'care', got: " + basis);
        }
        return basis.equals("care");
    }

    /**
     * Columns: source, org, month_date, poste, sous_poste, ben (null for Open DAMIR), quantity,
     * amount. {@code range} (inclusive, payment months) limits the read to the partitions an
     * incremental run needs; null reads everything.
     */
    public static Dataset<Row> lines(Warehouse wh, JobConfig config, YearMonth[] range) {
        return lines(wh, config, range == null ? lit(true) : inPayMonthRange(range));
    }

    /** The same lines, of these payment months only (whole partitions pruned). */
    public static Dataset<Row> lines(Warehouse wh, JobConfig config, Collection<YearMonth> payMonths) {
        return lines(wh, config, inPayMonths(payMonths));
    }

    private static Dataset<Row> lines(Warehouse wh, JobConfig config, Column payMonths) {
        boolean care = careBasis(config);
        List<Dataset<Row>> parts = new ArrayList<>();
        if (wh.exists("claims")) {
            Dataset<Row> c = wh.read("claims").filter(payMonths.and(col("in_scope")));
            Column month = care ? col("care_month") : col("pay_month");
            parts.add(c.select(lit(DCIR).as("source"), col("ORG_AFF_BEN").as("org"), monthDate(month).as("month_date"),
                    col("poste"), col("sous_poste"),
                    beneficiary().as("ben"),
                    col("PRS_ACT_QTE").cast("decimal(18,3)").as("quantity"), col("amount").cast("decimal(18,2)").as("amount")));
        }
        if (wh.exists("opendamir")) {
            Dataset<Row> o = wh.read("opendamir").filter(payMonths.and(col("in_scope")));
            // an unknown care date (0000/00) falls back to the payment month
            Column month = care ? coalesce(col("care_month"), col("pay_month")) : col("pay_month");
            parts.add(o.select(lit(OPENDAMIR).as("source"), col("ORG_CLE_REG").as("org"), monthDate(month).as("month_date"),
                    col("poste"), col("sous_poste"), lit(null).cast("string").as("ben"),
                    col("PRS_ACT_QTE").cast("decimal(18,3)").as("quantity"), col("amount").cast("decimal(18,2)").as("amount")));
        }
        if (parts.isEmpty()) {
            throw new IllegalStateException("no claims or opendamir table in " + wh.root() + ": run ingest first");
        }
        Dataset<Row> all = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            all = all.unionByName(parts.get(i));
        }
        return all;
    }

    /** A claim line's beneficiary as one key: NIR and birth rank ({@code BEN_NIR_PSA#BEN_RNG_GEM}). */
    static Column beneficiary() {
        return concat_ws("#", col("BEN_NIR_PSA"), col("BEN_RNG_GEM").cast("string"));
    }

    static Dataset<Row> limit(Dataset<Row> df, YearMonth[] range) {
        if (range == null) {
            return df;
        }
        return df.filter(inPayMonthRange(range));
    }

    /** The lines paid from {@code range[0]} to {@code range[1]} ({@code pay_month} is the partition column: whole partitions pruned). */
    private static Column inPayMonthRange(YearMonth[] range) {
        return col("pay_month").between(range[0].toString(), range[1].toString());
    }

    /** The lines of these payment months ({@code pay_month} is the partition column: whole partitions pruned). */
    public static Column inPayMonths(Collection<YearMonth> months) {
        return col("pay_month").isin(months.stream().map(YearMonth::toString).toArray());
    }

    static Column monthDate(Column yyyyMm) {
        return to_date(concat(yyyyMm, lit("-01")));
    }
}
