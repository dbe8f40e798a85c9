package fr.cpam.analytics.fraud.signals;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.fraud.FraudInputs;
import fr.cpam.analytics.fraud.FraudSignal;
import fr.cpam.analytics.fraud.Leads;
import fr.cpam.analytics.fraud.Motifs;
import fr.cpam.analytics.fraud.Peers;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.*;

/**
 * IJ_OVERLAP (BENEFICIAIRE): IJ paid twice for the same days. Payment lines are first netted
 * per paid period (first day .. last day), so a +/- regularisation and its corrected line
 * count once; then a period paid for more days than it has, or two periods sharing days, are
 * double payments. Value: days paid twice in the year (of the later period's first day). At
 * stake: those days at the period's daily amount. Peers: the fund's IJ recipients that year.
 */
public final class IjOverlap extends FraudSignal {

    @Override
    public String code() {
        return "IJ_OVERLAP";
    }

    @Override
    public String ruleVersion() {
        return "IJ_OVERLAP/1.0";
    }

    @Override
    public Dataset<Row> leads(FraudInputs in, JobConfig config) {
        double minDays = config.getDouble(key("min-days"));
        // read by the repeats, both sides of the crossing join and the population: kept once
        Dataset<Row> periods = in.reused(in.claims().filter(col("poste").equalTo("INDEMNITES_JOURNALIERES"))
                .withColumn("care_end", coalesce(col("care_end"), col("care_date")))
                .groupBy("org", "ben_id", "care_date", "care_end")
                .agg(sum("qty").as("paid_days"), sum("amount").as("amount"))
                .filter(col("paid_days").gt(0))
                .withColumn("length", datediff(col("care_end"), col("care_date")).plus(1))
                .withColumn("daily", col("amount").divide(col("paid_days"))));
        // the same period paid for more days than it has
        Dataset<Row> repeated = periods.filter(col("paid_days").gt(col("length")))
                .select(col("org"), col("ben_id"), year(col("care_date")).as("year"),
                        col("paid_days").minus(col("length")).as("days"),
                        col("paid_days").minus(col("length")).multiply(col("daily")).as("amount"));
        // two distinct periods sharing days: equi-join on the beneficiary, each pair once
        Dataset<Row> later = periods.select(col("ben_id").as("l_ben"), col("care_date").as("l_from"),
                col("care_end").as("l_to"), col("daily").as("l_daily"));
        Column pair = col("ben_id").equalTo(col("l_ben"))
                .and(col("care_date").lt(col("l_from")).or(col("care_date").equalTo(col("l_from")).and(col("care_end").lt(col("l_to")))))
                .and(col("l_from").leq(col("care_end")));
        Column shared = datediff(least(col("care_end"), col("l_to")), col("l_from")).plus(1);
        Dataset<Row> crossing = periods.join(later, pair)
                .select(col("org"), col("ben_id"), year(col("l_from")).as("year"), shared.as("days"),
                        shared.multiply(col("l_daily")).as("amount"));
        Dataset<Row> perBeneficiary = repeated.unionByName(crossing).groupBy("org", "year", "ben_id")
                .agg(sum("days").as("value"), sum("amount").as("amount"), count(lit(1)).as("occurrences"));
        Dataset<Row> population = periods.select(col("org"), year(col("care_date")).as("year"), col("ben_id")).distinct()
                .join(perBeneficiary, new String[]{"org", "year", "ben_id"}, "left")
                .na().fill(0, new String[]{"value"});
        Dataset<Row> raised = Peers.of(population, List.of("org", "year"), "value").filter(col("value").geq(minDays));
        Column motif = concat(lit("Bénéficiaire : "), Motifs.count(col("value")), lit(" "),
                Motifs.plural(col("value"), "jour", "jours"), lit(" d'indemnités journalières "),
                Motifs.plural(col("value"), "payé", "payés"), lit(" deux fois en "), col("year").cast("string"), lit(" ("),
                Motifs.euros(col("amount")), lit(", "), Motifs.count(col("occurrences")), lit(" "),
                Motifs.plural(col("occurrences"), "période", "périodes"), lit(" en double, hors régularisations), contre "),
                Motifs.num(col("peer_median"), 0), lit(" en médiane pour "), Motifs.count(col("peer_size")),
                lit(" bénéficiaires d'IJ de la caisse (seuil : aucun jour payé deux fois)"));
        return Leads.select(raised.select(lit(code()).as("signal"), lit(Leads.BENEFICIAIRE).as("entity_type"),
                col("ben_id").as("entity_id"), col("org"), Leads.yearStart(col("year")).as("period_start"),
                Leads.yearEnd(col("year")).as("period_end"), col("value"),
                concat(lit("bénéficiaires d'IJ, caisse "), col("org"), lit(", "), col("year").cast("string")).as("peer_group"),
                col("peer_size"), col("peer_median"), lit(minDays).as("threshold"), col("value").divide(lit(minDays)).as("score"),
                col("amount").as("amount_at_stake"), motif.as("motif")));
    }
}
