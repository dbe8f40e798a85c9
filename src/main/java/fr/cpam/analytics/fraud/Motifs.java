package fr.cpam.analytics.fraud;

import fr.cpam.analytics.reference.ResourceCsv;
import org.apache.spark.sql.Column;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.*;

/**
 * French wording of the motifs, as Spark expressions (the sentence is built where the row is,
 * no UDF): numbers with a narrow no-break space between thousands and a decimal comma
 * ("26 140", "37,2"), euros, plurals, and the names of professions.
 */
public final class Motifs {

    /** Narrow no-break space, the French thousands separator (REPORT.md). */
    public static final String THIN = "\u202F";

    private static final Column SINGULAR;
    private static final Column PLURAL;

    static {
        List<Column> singular = new ArrayList<>();
        List<Column> plural = new ArrayList<>();
        for (String[] f : ResourceCsv.read("reference/professions.csv")) {
            String key = f[0] + ":" + f[1];
            singular.add(lit(key));
            singular.add(lit(f[2]));
            plural.add(lit(key));
            plural.add(lit(f[3]));
        }
        SINGULAR = map(singular.toArray(new Column[0]));
        PLURAL = map(plural.toArray(new Column[0]));
    }

    private Motifs() {
    }

    /** "26 140", "37,2": format_number's "26,140.0" with French separators. */
    public static Column num(Column c, int decimals) {
        return translate(format_number(c, decimals), ",.", THIN + ",");
    }

    /** An integer count. */
    public static Column count(Column c) {
        return num(c, 0);
    }

    /** "12 345 €" (whole euros: a motif gives orders of magnitude, the amount column the cents). */
    public static Column euros(Column c) {
        return concat(num(c, 0), lit(THIN + "€"));
    }

    /** The noun with an "s" unless the count is 0 or 1 (French: "1 jour", "0 jour", "2 jours"). */
    public static Column plural(Column count, String singular, String plural) {
        return when(count.cast("double").gt(1), lit(plural)).otherwise(lit(singular));
    }

    /** "Infirmier", "Médecin généraliste" ...: by specialty when it is not 0, else by activity. */
    public static Column profession(Column specialty, Column activity) {
        return coalesce(lookup(SINGULAR, specialty, activity),
                concat(lit("Professionnel (spécialité "), coalesce(specialty.cast("string"), lit("?")), lit(")")));
    }

    /** "infirmiers", "médecins généralistes" ... */
    public static Column professions(Column specialty, Column activity) {
        return coalesce(lookup(PLURAL, specialty, activity),
                concat(lit("professionnels (spécialité "), coalesce(specialty.cast("string"), lit("?")), lit(")")));
    }

    private static Column lookup(Column map, Column specialty, Column activity) {
        Column bySpecialty = when(coalesce(specialty, lit(0)).notEqual(0), element_at(map, concat(lit("SPE:"), specialty.cast("string"))));
        return coalesce(bySpecialty, element_at(map, concat(lit("ACT:"), activity.cast("string"))));
    }
}
