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
 * TAXI_TRIPS_PER_DAY (PROFESSIONNEL): trips (net quantity of the TRANSPORTS lines) per working
 * day of a taxi or ambulance company, against the fund's transporters of the same activity
 * that year, by modified z-score (median, 1.4826 MAD). Raised at {@code z-threshold} and at
 * least {@code min-trips-per-day}; the threshold column is the trips per day at which both
 * hold. At stake: the amount of the trips beyond the peer median rate.
 */
public final class TaxiTripsPerDay extends FraudSignal {

    @Override
    public String code() {
        return "TAXI_TRIPS_PER_DAY";
    }

    @Override
    public String ruleVersion() {
        return "TAXI_TRIPS_PER_DAY/1.0";
    }

    @Override
    public Judged judged() {
        return Judged.CARE_YEAR;
    }

    @Override
    public Dataset<Row> leads(FraudInputs in, JobConfig config) {
        double z = config.getDouble(key("z-threshold"));
        double minTrips = config.getDouble(key("min-trips-per-day"));
        Dataset<Row> days = in.claims().filter(col("poste").equalTo("TRANSPORTS").and(col("exe").isNotNull()))
                .groupBy("org", "year", "exe", "care_date")
                .agg(sum("qty").as("trips"), sum("amount").as("amount"), max("exe_spe").as("spe"), max("exe_act").as("act"))
                .filter(col("trips").gt(0));
        Dataset<Row> population = days.groupBy("org", "year", "exe")
                .agg(sum("trips").divide(count(lit(1))).as("value"), count(lit(1)).as("days"), max("trips").as("max_trips"),
                        sum("trips").as("trips"), sum("amount").as("amount"), max("spe").as("spe"), max("act").as("act"));
        Column atZ = col("peer_median").plus(col("peer_scale").multiply(z));
        Dataset<Row> raised = Peers.of(population, List.of("org", "year", "act"), "value")
                .withColumn("threshold", greatest(coalesce(atZ, col("peer_median")), lit(minTrips)))
                // no spread among the peers (alone, or all equal): no z-score, no lead
                .filter(col("value").geq(col("threshold")).and(col("robust_z").geq(z)));
        Column motif = concat(Motifs.profession(col("spe"), col("act")), lit(" : "), Motifs.num(col("value"), 1),
                lit(" trajets par jour travaillé en "), col("year").cast("string"), lit(" ("), Motifs.count(col("trips")),
                lit(" trajets en "), Motifs.count(col("days")), lit(" jours, jusqu'à "), Motifs.count(col("max_trips")),
                lit(" en un jour), contre "), Motifs.num(col("peer_median"), 1), lit(" en médiane pour "),
                Motifs.count(col("peer_size")), lit(" "), Motifs.professions(col("spe"), col("act")),
                lit(" de la caisse (score z robuste "), Motifs.num(col("robust_z"), 1), lit(", seuil "), Motifs.num(col("threshold"), 1),
                lit(" trajets par jour)"));
        Column excessShare = col("value").minus(col("peer_median")).divide(col("value"));
        return Leads.select(raised.select(lit(code()).as("signal"), lit(Leads.PROFESSIONNEL).as("entity_type"),
                col("exe").as("entity_id"), col("org"), Leads.yearStart(col("year")).as("period_start"),
                Leads.yearEnd(col("year")).as("period_end"), col("value"),
                concat(Motifs.professions(col("spe"), col("act")), lit(", caisse "), col("org"), lit(", "), col("year").cast("string")).as("peer_group"),
                col("peer_size"), col("peer_median"), col("threshold"), col("value").divide(col("threshold")).as("score"),
                col("amount").multiply(excessShare).as("amount_at_stake"), motif.as("motif")));
    }
}
