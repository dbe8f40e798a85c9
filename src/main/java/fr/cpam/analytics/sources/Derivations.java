package fr.cpam.analytics.sources;

import fr.cpam.analytics.reference.ReferenceData;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

import static org.apache.spark.sql.functions.*;

/**
 * The derived columns of the silver tables, with built-in Spark functions only: category
 * ({@code poste}, {@code sous_poste}, {@code is_covid}) from the broadcast reference tables,
 * the reimbursed {@code amount}, {@code in_scope} (counts in amounts) and the period columns.
 */
public final class Derivations {

    private Derivations() {
    }

    public static Dataset<Row> derive(SourceDataset dataset, Dataset<Row> typed, String runId) {
        Dataset<Row> out = switch (dataset) {
            case CLAIMS -> claims(typed);
            case OPENDAMIR -> openDamir(typed);
            case SICK_LEAVE -> typed
                    .withColumn("is_covid", col("ARR_DRG_MTF").isNotNull())
                    .withColumn("days_prescribed", datediff(col("ARR_FIN_DTE"), col("ARR_DEB_DTE")).plus(1))
                    .withColumn("start_month", date_format(col("ARR_DEB_DTE"), "yyyy-MM"));
            default -> typed;
        };
        return out.withColumn("run_id", lit(runId));
    }

    private static Dataset<Row> claims(Dataset<Row> typed) {
        Dataset<Row> withPoste = withCategory(typed, col("PRS_NAT_REF"), col("EXE_SOI_DTD"), col("RGO_ASU_NAT"));
        Dataset<Row> nabm = broadcast(ReferenceData.covidNabmTable(typed.sparkSession()));
        Dataset<Row> joined = withPoste.join(nabm, col("BIO_PRS_IDE").equalTo(col("nabm_code"))
                .and(col("EXE_SOI_DTD").between(col("nabm_valid_from"), col("nabm_valid_to"))), "left");
        return joined
                .withColumn("is_covid", col("nat_is_covid")
                        .or(col("poste").equalTo("BIOLOGIE").and(col("nabm_code").isNotNull())))
                .withColumn("amount", col("BSE_REM_MNT").plus(col("CPL_REM_MNT")).cast(DataTypes.createDecimalType(14, 2)))
                .withColumn("in_scope", col("DPN_QLF").isNull().or(col("DPN_QLF").notEqual(71)))
                .withColumn("pay_month", date_format(col("FLX_DIS_DTD"), "yyyy-MM"))
                .withColumn("care_month", date_format(col("EXE_SOI_DTD"), "yyyy-MM"))
                .drop("nabm_code", "nabm_label", "nabm_valid_from", "nabm_valid_to", "nat_is_covid");
    }

    private static Dataset<Row> openDamir(Dataset<Row> typed) {
        // SOI_ANN 0000/0001 are the published placeholders for an unknown care date
        Column careKnown = col("SOI_ANN").gt(1).and(col("SOI_MOI").between(1, 12));
        Column payDate = make_date(col("FLX_ANN_MOI").divide(100).cast("int"), pmod(col("FLX_ANN_MOI"), lit(100)), lit(1));
        Column careDate = when(careKnown, make_date(col("SOI_ANN"), col("SOI_MOI"), lit(1)));
        Dataset<Row> withPoste = withCategory(typed.withColumn("_ref_date", coalesce(careDate, payDate)),
                col("PRS_NAT"), col("_ref_date"), col("ASU_NAT"));
        return withPoste
                .withColumn("is_covid", col("nat_is_covid"))
                .withColumn("amount", col("PRS_REM_MNT"))
                .withColumn("in_scope", col("PRS_REM_TYP").isin(0, 1))
                .withColumn("pay_month", date_format(payDate, "yyyy-MM"))
                .withColumn("care_month", date_format(careDate, "yyyy-MM"))
                .drop("_ref_date", "nat_is_covid");
    }

    /**
     * poste / sous_poste from the versioned nature table (broadcast, equi-join on the code with
     * the validity window as an extra condition). Unknown or out-of-window codes go to AUTRES
     * with {@code nature_known = false}; IJ paid under AT/MP insurance go to sous_poste AT_MP.
     */
    static Dataset<Row> withCategory(Dataset<Row> df, Column nature, Column refDate, Column asuNat) {
        Dataset<Row> natures = broadcast(ReferenceData.natureTable(df.sparkSession()));
        Dataset<Row> joined = df.join(natures, nature.equalTo(col("ref_nat_code"))
                .and(refDate.between(col("nat_valid_from"), col("nat_valid_to"))), "left");
        Column poste = coalesce(col("ref_poste"), lit("AUTRES"));
        return joined
                .withColumn("poste", poste)
                .withColumn("sous_poste", when(poste.equalTo("INDEMNITES_JOURNALIERES").and(asuNat.equalTo(40)), lit("AT_MP"))
                        .otherwise(coalesce(col("ref_sous_poste"), lit("AUTRES"))))
                .withColumn("nature_known", col("ref_nat_code").isNotNull())
                .withColumn("nat_is_covid", coalesce(col("nat_is_covid"), lit(false)))
                .drop("ref_nat_code", "nat_letters", "nat_label", "ref_poste", "ref_sous_poste", "nat_valid_from", "nat_valid_to");
    }
}
