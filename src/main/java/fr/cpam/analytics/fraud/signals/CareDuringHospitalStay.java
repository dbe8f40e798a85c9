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
 * CARE_DURING_HOSPITAL_STAY (PROFESSIONNEL and ETABLISSEMENT): ville care of the configured
 * sous-postes (nursing, physiotherapy ...; transport is excluded, it takes the patient in and
 * out) dated strictly inside a hospital stay of the same beneficiary — the stay's funding
 * (dotation) already pays for that care ("cumul dotation / soins de ville"). The entry and
 * exit days are not counted. A range join done as an equi-join on (beneficiary, month) with
 * the date condition on top, like the IJ linking. Value: acts during stays in the year; one
 * lead per professional and one per establishment whose stays received such care. Peers: the
 * fund's professionals billing those sous-postes; the establishments with stays entered that year
 * by beneficiaries who had such care with the fund that year.
 */
public final class CareDuringHospitalStay extends FraudSignal {

    @Override
    public String code() {
        return "CARE_DURING_HOSPITAL_STAY";
    }

    @Override
    public String ruleVersion() {
        return "CARE_DURING_HOSPITAL_STAY/1.1";
    }

    @Override
    public Judged judged() {
        return Judged.CARE_YEAR;
    }

    @Override
    public boolean applicable(FraudInputs in) {
        return in.hasClaims() && in.hospitalStays().isPresent();
    }

    @Override
    public Dataset<Row> leads(FraudInputs in, JobConfig config) {
        List<String> sousPostes = config.getStringList(key("sous-postes"));
        double minActs = config.getDouble(key("min-acts"));
        // read by the stay join, the professionals' peers and the establishments' stays: kept once
        Dataset<Row> care = in.reused(in.claims().filter(col("sous_poste").isin(sousPostes.toArray()).and(col("exe").isNotNull()))
                .groupBy("org", "year", "ben_id", "exe", "care_date")
                .agg(sum("qty").as("acts"), sum("amount").as("amount"), max("exe_spe").as("spe"), max("exe_act").as("act"))
                .filter(col("acts").gt(0))
                .withColumn("_bucket", trunc(col("care_date"), "MM")));
        Dataset<Row> stays = in.hospitalStays().orElseThrow()
                .select(col("ben_id").as("s_ben"), col("establishment"), col("entry"), col("exit"),
                        explode(sequence(trunc(col("entry"), "MM"), trunc(col("exit"), "MM"), expr("interval 1 month"))).as("s_bucket"));
        Column inside = col("ben_id").equalTo(col("s_ben")).and(col("_bucket").equalTo(col("s_bucket")))
                .and(col("care_date").gt(col("entry"))).and(col("care_date").lt(col("exit")));
        // a day inside two overlapping stays counts once: keep the latest-entered stay
        Dataset<Row> during = care.join(stays, inside)
                .withColumn("_pick", row_number().over(org.apache.spark.sql.expressions.Window
                        .partitionBy("org", "ben_id", "exe", "care_date").orderBy(col("entry").desc(), col("establishment"))))
                .filter(col("_pick").equalTo(1));
        Dataset<Row> byProfessional = during.groupBy("org", "year", "exe")
                .agg(sum("acts").as("value"), sum("amount").as("amount"), countDistinct("ben_id").as("patients"),
                        countDistinct("care_date").as("days"), concat_ws(", ", array_sort(collect_set("establishment"))).as("where"));
        Dataset<Row> professionals = Peers.of(care.groupBy("org", "year", "exe").agg(max("spe").as("spe"), max("act").as("act"))
                        .join(byProfessional, new String[]{"org", "year", "exe"}, "left").na().fill(0, new String[]{"value"}),
                        List.of("org", "year"), "value")
                .filter(col("value").geq(minActs))
                .select(lit(Leads.PROFESSIONNEL).as("entity_type"), col("exe").as("entity_id"), col("org"), col("year"), col("value"),
                        col("amount"), col("peer_size"), col("peer_median"),
                        concat(lit("professionnels de soins de ville concernés, caisse "), col("org"), lit(", "), col("year").cast("string")).as("peer_group"),
                        concat(Motifs.profession(col("spe"), col("act")), lit(" : "), Motifs.count(col("value")), lit(" "),
                                Motifs.plural(col("value"), "acte facturé", "actes facturés"), lit(" en "), col("year").cast("string"),
                                lit(" pendant une hospitalisation du patient ("), Motifs.count(col("patients")), lit(" "),
                                Motifs.plural(col("patients"), "patient", "patients"), lit(", "), Motifs.count(col("days")), lit(" "),
                                Motifs.plural(col("days"), "jour", "jours"), lit(", établissement "), col("where"), lit(", "),
                                Motifs.euros(col("amount")), lit("), contre "), Motifs.num(col("peer_median"), 0),
                                lit(" en médiane pour "), Motifs.count(col("peer_size")),
                                lit(" professionnels de la caisse (soins déjà couverts par le séjour)")).as("motif"));
        // a stay is the fund's in its entry year when its beneficiary had such care with the fund
        // that year: the year's own lines decide (1.0 took any year read, so a night, reading fewer
        // years than a full run, saw fewer of the fund's stays)
        Dataset<Row> fundStays = stays.select(col("s_ben"), col("establishment"), col("entry"), year(col("entry")).as("year")).distinct()
                .join(care.select(col("ben_id").as("s_ben"), col("org"), col("year")).distinct(), new String[]{"s_ben", "year"})
                .groupBy("org", "year", "establishment").agg(count(lit(1)).as("stays"));
        Dataset<Row> byEstablishment = during.groupBy("org", "year", "establishment")
                .agg(sum("acts").as("value"), sum("amount").as("amount"), countDistinct("exe").as("professionals"),
                        countDistinct("ben_id").as("patients"));
        Dataset<Row> establishments = Peers.of(fundStays.join(byEstablishment, new String[]{"org", "year", "establishment"}, "full")
                        .na().fill(0, new String[]{"value"}), List.of("org", "year"), "value")
                .filter(col("value").geq(minActs))
                .select(lit(Leads.ETABLISSEMENT).as("entity_type"), col("establishment").as("entity_id"), col("org"), col("year"),
                        col("value"), col("amount"), col("peer_size"), col("peer_median"),
                        concat(lit("établissements ayant hospitalisé des bénéficiaires de la caisse "), col("org"), lit(", "),
                                col("year").cast("string")).as("peer_group"),
                        concat(lit("Établissement : "), Motifs.count(col("value")), lit(" "),
                                Motifs.plural(col("value"), "acte", "actes"), lit(" de soins de ville facturés en "),
                                col("year").cast("string"), lit(" pendant ses séjours, par "), Motifs.count(col("professionals")), lit(" "),
                                Motifs.plural(col("professionals"), "professionnel", "professionnels"), lit(" pour "),
                                Motifs.count(col("patients")), lit(" "), Motifs.plural(col("patients"), "patient", "patients"),
                                lit(" ("), Motifs.euros(col("amount")), lit(", soins couverts par la dotation du séjour), contre "),
                                Motifs.num(col("peer_median"), 0), lit(" en médiane pour "), Motifs.count(col("peer_size")),
                                lit(" établissements")).as("motif"));
        return Leads.select(professionals.unionByName(establishments)
                .select(lit(code()).as("signal"), col("entity_type"), col("entity_id"), col("org"),
                        Leads.yearStart(col("year")).as("period_start"), Leads.yearEnd(col("year")).as("period_end"), col("value"),
                        col("peer_group"), col("peer_size"), col("peer_median"), lit(minActs).as("threshold"),
                        col("value").divide(lit(minActs)).as("score"), col("amount").as("amount_at_stake"), col("motif")));
    }
}
