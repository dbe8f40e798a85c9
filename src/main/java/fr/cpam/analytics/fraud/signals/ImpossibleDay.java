package fr.cpam.analytics.fraud.signals;

import fr.cpam.analytics.config.JobConfig;
import fr.cpam.analytics.fraud.FraudInputs;
import fr.cpam.analytics.fraud.FraudSignal;
import fr.cpam.analytics.fraud.Leads;
import fr.cpam.analytics.fraud.Motifs;
import fr.cpam.analytics.fraud.Peers;
import fr.cpam.analytics.reference.ResourceCsv;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.*;

/**
 * IMPOSSIBLE_DAY (PROFESSIONNEL): the typical minutes of every act a professional billed on one
 * day (reference table {@code reference/act_minutes.csv}: fixed minutes plus minutes per
 * coefficient unit, by nature, versioned by validity dates) above what one person can work
 * ({@code max-hours}). Value: the heaviest day, in hours. Raised with {@code min-days} days over
 * the limit. At stake: the amount billed on those days. Peers: professionals of the same
 * specialty / activity in the fund that year (their heaviest day).
 */
public final class ImpossibleDay extends FraudSignal {

    @Override
    public String code() {
        return "IMPOSSIBLE_DAY";
    }

    @Override
    public String ruleVersion() {
        return "IMPOSSIBLE_DAY/1.0";
    }

    /** One row per nature code and validity window: the narrowest range of the CSV wins. */
    static Dataset<Row> minutesTable(SparkSession spark) {
        record Rule(int from, int to, double fixed, double perCoef, LocalDate validFrom, LocalDate validTo) {
        }
        List<Rule> rules = new ArrayList<>();
        for (String[] f : ResourceCsv.read("reference/act_minutes.csv")) {
            rules.add(new Rule(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), LocalDate.parse(f[4]), LocalDate.parse(f[5])));
        }
        List<Row> rows = new ArrayList<>();
        int lo = rules.stream().mapToInt(Rule::from).min().orElse(0);
        int hi = rules.stream().mapToInt(Rule::to).max().orElse(-1);
        for (int code = lo; code <= hi; code++) {
            final int c = code;
            int narrowest = rules.stream().filter(r -> r.from() <= c && c <= r.to()).mapToInt(r -> r.to() - r.from())
                    .min().orElse(-1);
            for (Rule r : rules) {
                if (r.from() <= c && c <= r.to() && r.to() - r.from() == narrowest) {
                    rows.add(RowFactory.create(c, r.fixed(), r.perCoef(), r.validFrom(), r.validTo()));
                }
            }
        }
        StructType schema = new StructType()
                .add("m_nature", DataTypes.IntegerType).add("m_fixed", DataTypes.DoubleType)
                .add("m_per_coef", DataTypes.DoubleType).add("m_from", DataTypes.DateType).add("m_to", DataTypes.DateType);
        return spark.createDataFrame(rows, schema);
    }

    @Override
    public Judged judged() {
        return Judged.CARE_YEAR;
    }

    @Override
    public Dataset<Row> leads(FraudInputs in, JobConfig config) {
        double maxHours = config.getDouble(key("max-hours"));
        int minDays = config.getInt(key("min-days"));
        Dataset<Row> minutes = broadcast(minutesTable(in.warehouse().spark()));
        Column known = col("nature").equalTo(col("m_nature")).and(col("care_date").between(col("m_from"), col("m_to")));
        Column actMinutes = col("qty").cast("double")
                .multiply(col("m_fixed").plus(col("m_per_coef").multiply(coalesce(col("coef").cast("double"), lit(0.0)))));
        Dataset<Row> days = in.claims().filter(col("exe").isNotNull()).join(minutes, known)
                .groupBy("org", "year", "exe", "care_date")
                .agg(sum(actMinutes).as("minutes"), sum("amount").as("amount"), max("exe_spe").as("spe"), max("exe_act").as("act"));
        double limit = maxHours * 60;
        Dataset<Row> population = days.groupBy("org", "year", "exe")
                .agg(max("minutes").divide(60).as("value"), max("spe").as("spe"), max("act").as("act"),
                        count(when(col("minutes").gt(limit), lit(1))).as("days_over"),
                        sum(when(col("minutes").gt(limit), col("amount")).otherwise(lit(0))).as("amount_over"));
        Dataset<Row> raised = Peers.of(population, List.of("org", "year", "spe", "act"), "value")
                .filter(col("days_over").geq(minDays));
        Column motif = concat(Motifs.profession(col("spe"), col("act")), lit(" : "), Motifs.count(col("days_over")), lit(" "),
                Motifs.plural(col("days_over"), "journée", "journées"), lit(" de plus de "), Motifs.num(lit(maxHours), 0),
                lit(" h d'actes facturés en "), col("year").cast("string"), lit(" (jusqu'à "), Motifs.num(col("value"), 1),
                lit(" h en un jour), contre "), Motifs.num(col("peer_median"), 1), lit(" h en médiane pour la journée la plus chargée de "),
                Motifs.count(col("peer_size")), lit(" "), Motifs.professions(col("spe"), col("act")),
                lit(" de la caisse (durées types des actes ; seuil "), Motifs.num(lit(maxHours), 0), lit(" h par jour)"));
        return Leads.select(raised.select(lit(code()).as("signal"), lit(Leads.PROFESSIONNEL).as("entity_type"),
                col("exe").as("entity_id"), col("org"), Leads.yearStart(col("year")).as("period_start"),
                Leads.yearEnd(col("year")).as("period_end"), col("value"),
                concat(Motifs.professions(col("spe"), col("act")), lit(", caisse "), col("org"), lit(", "), col("year").cast("string")).as("peer_group"),
                col("peer_size"), col("peer_median"), lit(maxHours).as("threshold"), col("value").divide(lit(maxHours)).as("score"),
                col("amount_over").as("amount_at_stake"), motif.as("motif")));
    }
}
