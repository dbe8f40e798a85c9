package fr.cpam.analytics.indicators;

import fr.cpam.analytics.spark.Warehouse;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import static org.apache.spark.sql.functions.*;

/**
 * IJ payment lines linked to their sick-leave notice (INPUTS.md): the notice of the same
 * beneficiary whose {@code ARR_DEB_DTE..ARR_FIN_DTE} contains the payment's first day, the
 * latest-starting one when several do. A payment no notice contains stays unlinked (and
 * non-Covid).
 *
 * <p>A range join done as one: notices are bucketed by the months they cover, payments by the
 * month of their first day, and the join is an equi-join on (beneficiary, month) with the
 * date range as an extra condition, so each payment meets only the few notices of its
 * beneficiary around that month, never a cartesian product.
 */
public final class IjPayments {

    public static final String TABLE = "ij_payments";

    /** IJ natures whose code says the stoppage is under three months / over three months. */
    static final Integer[] SHORT_NATURES = {6111, 6113, 6115, 6117};
    static final Integer[] LONG_NATURES = {6110, 6112, 6114, 6116, 6118, 6119};

    private IjPayments() {
    }

    /** In-scope IJ lines of the claims (given, so callers can limit the partitions read), linked. */
    public static Dataset<Row> link(Warehouse wh, Dataset<Row> claims) {
        Dataset<Row> pay = claims.filter(col("in_scope").and(col("poste").equalTo("INDEMNITES_JOURNALIERES")))
                .select(col("source_file"), col("line_number"), col("ORG_AFF_BEN").as("org"), col("BEN_NIR_PSA"),
                        col("BEN_RNG_GEM"), col("EXE_SOI_DTD"), col("EXE_SOI_DTF"), col("FLX_DIS_DTD"), col("pay_month"),
                        col("care_month"), col("PRS_NAT_REF"), col("RGO_ASU_NAT"), col("sous_poste"),
                        col("PRS_ACT_QTE").as("days"), col("amount"))
                .withColumn("_bucket", trunc(col("EXE_SOI_DTD"), "MM"));
        Dataset<Row> linked;
        if (wh.exists("sick_leave")) {
            Dataset<Row> notices = wh.read("sick_leave")
                    .select(col("ARR_NUM"), col("BEN_NIR_PSA").as("_n_ben"), col("BEN_RNG_GEM").as("_n_rng"),
                            col("ARR_DEB_DTE"), col("ARR_FIN_DTE"), col("ARR_DRG_MTF"), col("PFS_PRE_NUM").as("ARR_PRESCRIBER"))
                    .withColumn("_n_bucket", explode(sequence(trunc(col("ARR_DEB_DTE"), "MM"), trunc(col("ARR_FIN_DTE"), "MM"),
                            expr("interval 1 month"))));
            Column sameBeneficiaryAndMonth = col("BEN_NIR_PSA").equalTo(col("_n_ben")).and(col("BEN_RNG_GEM").equalTo(col("_n_rng")))
                    .and(col("_bucket").equalTo(col("_n_bucket")));
            Column inside = col("EXE_SOI_DTD").between(col("ARR_DEB_DTE"), col("ARR_FIN_DTE"));
            linked = pay.join(notices, sameBeneficiaryAndMonth.and(inside), "left")
                    .withColumn("_pick", row_number().over(Window.partitionBy("source_file", "line_number")
                            .orderBy(col("ARR_DEB_DTE").desc_nulls_last(), col("ARR_NUM").desc_nulls_last())))
                    .filter(col("_pick").equalTo(1))
                    .drop("_pick", "_n_ben", "_n_rng", "_n_bucket");
        } else {
            linked = pay.withColumn("ARR_NUM", lit(null).cast("string")).withColumn("ARR_DEB_DTE", lit(null).cast("date"))
                    .withColumn("ARR_FIN_DTE", lit(null).cast("date")).withColumn("ARR_DRG_MTF", lit(null).cast("string"))
                    .withColumn("ARR_PRESCRIBER", lit(null).cast("string"));
        }
        Column notice = col("ARR_NUM").isNotNull();
        Column noticeDays = datediff(col("ARR_FIN_DTE"), col("ARR_DEB_DTE")).plus(1);
        return linked.drop("_bucket")
                .withColumn("linked", notice)
                .withColumn("is_covid_ij", notice.and(col("ARR_DRG_MTF").isNotNull()))
                .withColumn("risk", when(col("sous_poste").isin("MALADIE_COURT", "MALADIE_LONG"), lit("MALADIE"))
                        .when(col("sous_poste").isin("AT_MP", "MATERNITE", "PATERNITE"), col("sous_poste"))
                        .otherwise(lit("AUTRE")))
                // the nature says it for maladie and AT/MP; otherwise the linked notice's length does
                .withColumn("duration", when(col("PRS_NAT_REF").isin((Object[]) SHORT_NATURES), lit("COURT"))
                        .when(col("PRS_NAT_REF").isin((Object[]) LONG_NATURES), lit("LONG"))
                        .when(notice, when(noticeDays.lt(90), lit("COURT")).otherwise(lit("LONG")))
                        .otherwise(lit("INCONNUE")));
    }
}
