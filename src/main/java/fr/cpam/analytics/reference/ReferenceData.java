package fr.cpam.analytics.reference;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's own reference tables, built from resource files: the SNDS nature list
 * (IR_NAT_V snapshot plus the Covid-era natures it lacks), the poste rules, and the Covid NABM
 * list. Every mapping carries a validity window on the care date, since codes get reused.
 */
public final class ReferenceData {

    /** One version of a nature's mapping. */
    public record NatureMapping(int code, String letters, String label, String poste, String sousPoste,
                                LocalDate validFrom, LocalDate validTo, boolean covid) {
    }

    /** One Covid NABM biology code. */
    public record CovidNabm(int code, String label, LocalDate validFrom, LocalDate validTo) {
    }

    private record Rule(int from, int to, String poste, String sousPoste, LocalDate validFrom,
                        LocalDate validTo, boolean covid) {
        int width() {
            return to - from;
        }
    }

    public static final StructType NATURE_SCHEMA = new StructType()
            .add("ref_nat_code", DataTypes.IntegerType, false)
            .add("nat_letters", DataTypes.StringType, true)
            .add("nat_label", DataTypes.StringType, true)
            .add("ref_poste", DataTypes.StringType, false)
            .add("ref_sous_poste", DataTypes.StringType, false)
            .add("nat_valid_from", DataTypes.DateType, false)
            .add("nat_valid_to", DataTypes.DateType, false)
            .add("nat_is_covid", DataTypes.BooleanType, false);

    public static final StructType COVID_NABM_SCHEMA = new StructType()
            .add("nabm_code", DataTypes.IntegerType, false)
            .add("nabm_label", DataTypes.StringType, true)
            .add("nabm_valid_from", DataTypes.DateType, false)
            .add("nabm_valid_to", DataTypes.DateType, false);

    private ReferenceData() {
    }

    /** Every known nature with its mapping versions; natures no rule covers go to AUTRES. */
    public static List<NatureMapping> natureMappings() {
        Map<Integer, String[]> natures = new LinkedHashMap<>();
        for (String[] f : readCsv("reference/snds/IR_NAT_V.csv")) {
            natures.put(Integer.parseInt(f[0]), new String[]{f[2], f[3]});
        }
        for (String[] f : readCsv("reference/natures_added.csv")) {
            natures.put(Integer.parseInt(f[0]), new String[]{f[1], f[2]});
        }
        List<Rule> rules = new ArrayList<>();
        for (String[] f : readCsv("reference/poste_rules.csv")) {
            rules.add(new Rule(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], f[3],
                    LocalDate.parse(f[4]), LocalDate.parse(f[5]), "1".equals(f[6])));
        }
        List<NatureMapping> out = new ArrayList<>();
        for (Map.Entry<Integer, String[]> e : natures.entrySet()) {
            int code = e.getKey();
            if (code == 0) {
                continue; // SANS OBJET
            }
            int best = Integer.MAX_VALUE;
            for (Rule r : rules) {
                if (code >= r.from && code <= r.to) {
                    best = Math.min(best, r.width());
                }
            }
            boolean any = false;
            for (Rule r : rules) {
                if (code >= r.from && code <= r.to && r.width() == best) {
                    out.add(new NatureMapping(code, e.getValue()[0], e.getValue()[1], r.poste, r.sousPoste,
                            r.validFrom, r.validTo, r.covid));
                    any = true;
                }
            }
            if (!any) {
                out.add(new NatureMapping(code, e.getValue()[0], e.getValue()[1], "AUTRES", "AUTRES",
                        LocalDate.of(2000, 1, 1), LocalDate.of(9999, 12, 31), false));
            }
        }
        return out;
    }

    public static List<CovidNabm> covidNabm() {
        List<CovidNabm> out = new ArrayList<>();
        for (String[] f : readCsv("reference/covid_nabm.csv")) {
            out.add(new CovidNabm(Integer.parseInt(f[0]), f[1], LocalDate.parse(f[2]), LocalDate.parse(f[3])));
        }
        return out;
    }

    public static Dataset<Row> natureTable(SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        for (NatureMapping m : natureMappings()) {
            rows.add(RowFactory.create(m.code(), m.letters(), m.label(), m.poste(), m.sousPoste(),
                    m.validFrom(), m.validTo(), m.covid()));
        }
        return spark.createDataFrame(rows, NATURE_SCHEMA);
    }

    public static Dataset<Row> covidNabmTable(SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        for (CovidNabm c : covidNabm()) {
            rows.add(RowFactory.create(c.code(), c.label(), c.validFrom(), c.validTo()));
        }
        return spark.createDataFrame(rows, COVID_NABM_SCHEMA);
    }

    static List<String[]> readCsv(String resource) {
        return ResourceCsv.read(resource);
    }
}
