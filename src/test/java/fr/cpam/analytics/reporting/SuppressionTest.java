package fr.cpam.analytics.reporting;

import fr.cpam.analytics.support.SparkTestBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Primary and secondary suppression on hand-made tables, each blank worked out by hand below. */
class SuppressionTest extends SparkTestBase {

    private static final StructType SPENDING = new StructType()
            .add("source", DataTypes.StringType).add("org", DataTypes.StringType).add("period_type", DataTypes.StringType)
            .add("period", DataTypes.StringType).add("poste", DataTypes.StringType).add("sous_poste", DataTypes.StringType)
            .add("amount", DataTypes.createDecimalType(18, 2)).add("consumers", DataTypes.LongType)
            .add("consumers_prev", DataTypes.LongType).add("consumers_evolution_pct", DataTypes.createDecimalType(12, 2))
            .add("amount_per_consumer", DataTypes.createDecimalType(18, 2))
            .add("amount_per_consumer_evolution_pct", DataTypes.createDecimalType(12, 2));

    private static Row se(String poste, String sous, long consumers, long prev) {
        return RowFactory.create("DCIR", "092", "YEAR", "2022", poste, sous, new BigDecimal("1000.00"), consumers, prev,
                new BigDecimal("1.00"), new BigDecimal("10.00"), new BigDecimal("2.00"));
    }

    private static Map<String, Row> byKey(Dataset<Row> df, String a, String b) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : df.collectAsList()) {
            out.put(r.getAs(a) + "/" + r.getAs(b), r);
        }
        return out;
    }

    @Test
    void spendingCountsOfOneToTenAreBlankedWithWhatWouldRevealThemAndTheirLoneSiblings() {
        Dataset<Row> table = spark().createDataFrame(List.of(
                se("TOTAL", "TOTAL", 500, 480),
                se("MEDICAMENTS", "TOTAL", 300, 290),
                se("MEDICAMENTS", "PHARMACIE", 290, 280),
                se("MEDICAMENTS", "HONORAIRES_DISPENSATION", 5, 40),   // primary: 5 people
                se("BIOLOGIE", "TOTAL", 8, 12),                          // primary at poste level
                se("BIOLOGIE", "ACTES", 8, 12),                          // primary
                se("BIOLOGIE", "PRELEVEMENTS", 3, 0),                    // primary: two blanks, no secondary needed
                se("TRANSPORTS", "TOTAL", 40, 38),
                se("TRANSPORTS", "TAXIS", 40, 38),
                se("TRANSPORTS", "AMBULANCES", 0, 0)), SPENDING);
        Map<String, Row> out = byKey(Suppression.forReportingTables().get("spending_evolution").apply(table), "poste", "sous_poste");

        Row disp = out.get("MEDICAMENTS/HONORAIRES_DISPENSATION");
        assertTrue(disp.isNullAt(disp.fieldIndex("consumers")));
        assertTrue(disp.isNullAt(disp.fieldIndex("amount_per_consumer")), "amount / amount per consumer would give the count back");
        assertTrue(disp.isNullAt(disp.fieldIndex("consumers_evolution_pct")));
        assertEquals(40L, disp.<Long>getAs("consumers_prev"), "last year's 40 people are publishable");
        assertEquals("consumers,consumers_evolution_pct,amount_per_consumer,amount_per_consumer_evolution_pct",
                disp.getAs("suppressed_cells"));
        assertTrue(disp.<Boolean>getAs("suppressed"));

        // the poste's 300 minus pharmacie would give the dispensation back: pharmacie is blanked too
        Row pharmacie = out.get("MEDICAMENTS/PHARMACIE");
        assertTrue(pharmacie.isNullAt(pharmacie.fieldIndex("consumers")));
        assertTrue(pharmacie.<Boolean>getAs("suppressed"));

        // biologie (8) among the postes: the smallest other poste (transports, 40) is blanked, not médicaments (300)
        Row transports = out.get("TRANSPORTS/TOTAL");
        assertTrue(transports.isNullAt(transports.fieldIndex("consumers")));
        assertEquals(300L, out.get("MEDICAMENTS/TOTAL").<Long>getAs("consumers"));
        // in biologie, last year's 12 and this year's 8: the evolution is blanked with the 8
        Row bio = out.get("BIOLOGIE/TOTAL");
        assertTrue(bio.isNullAt(bio.fieldIndex("consumers")));
        assertEquals(12L, bio.<Long>getAs("consumers_prev"));
        // prélèvements: 3 this year and 0 last year (0 is publishable)
        Row prel = out.get("BIOLOGIE/PRELEVEMENTS");
        assertTrue(prel.isNullAt(prel.fieldIndex("consumers")));
        assertEquals(0L, prel.<Long>getAs("consumers_prev"));

        // untouched rows keep every value and say so
        Row total = out.get("TOTAL/TOTAL");
        assertEquals(500L, total.<Long>getAs("consumers"));
        assertEquals(new BigDecimal("10.00"), total.getAs("amount_per_consumer"));
        assertFalse(total.<Boolean>getAs("suppressed"));
        assertEquals("", total.getAs("suppressed_cells"));
        assertEquals(40L, out.get("TRANSPORTS/TAXIS").<Long>getAs("consumers"), "transports' own sous-postes have no lone blank");
        assertEquals(10, out.size());
    }

    @Test
    void ijBeneficiariesAreSuppressedInBothDimensionsOfTheRiskByDurationTable() {
        StructType schema = new StructType().add("org", DataTypes.StringType).add("period_type", DataTypes.StringType)
                .add("period", DataTypes.StringType).add("risk", DataTypes.StringType).add("duration", DataTypes.StringType)
                .add("beneficiaries", DataTypes.LongType).add("amount", DataTypes.createDecimalType(18, 2));
        Object[][] cells = {{"MALADIE", "COURT", 5L}, {"MALADIE", "LONG", 30L}, {"MALADIE", "TOUS", 35L},
                {"AT_MP", "COURT", 20L}, {"AT_MP", "LONG", 15L}, {"AT_MP", "TOUS", 35L},
                {"TOUS", "COURT", 25L}, {"TOUS", "LONG", 45L}, {"TOUS", "TOUS", 70L}};
        List<Row> rows = new java.util.ArrayList<>();
        for (Object[] c : cells) {
            rows.add(RowFactory.create("092", "YEAR", "2022", c[0], c[1], c[2], new BigDecimal("1.00")));
        }
        Map<String, Row> out = byKey(Suppression.forReportingTables().get("ij_breakdown")
                .apply(spark().createDataFrame(rows, schema)), "risk", "duration");
        // maladie court (5) -> maladie long (its only sibling in the row) -> at_mp court and long (lone in their columns)
        for (String blank : List.of("MALADIE/COURT", "MALADIE/LONG", "AT_MP/COURT", "AT_MP/LONG")) {
            assertTrue(out.get(blank).isNullAt(out.get(blank).fieldIndex("beneficiaries")), blank);
            assertEquals("beneficiaries", out.get(blank).getAs("suppressed_cells"));
        }
        for (String shown : List.of("MALADIE/TOUS", "AT_MP/TOUS", "TOUS/COURT", "TOUS/LONG", "TOUS/TOUS")) {
            assertFalse(out.get(shown).isNullAt(out.get(shown).fieldIndex("beneficiaries")), shown);
        }
        assertEquals(new BigDecimal("1.00"), out.get("MALADIE/COURT").getAs("amount"), "amounts are not counts of people");
    }
}
