package fr.cpam.analytics.indicators;

import fr.cpam.analytics.reference.ResourceCsv;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The postes and sous-postes every published period reports (resource {@code reference/postes.csv}),
 * with their French labels, the poste-level rows ({@code sous_poste = TOTAL}) and the
 * all-categories row ({@code TOTAL / TOTAL}).
 */
public final class Categories {

    public static final String TOTAL = "TOTAL";

    public record Category(String poste, String sousPoste, String libellePoste, String libelleSousPoste, int order) {
    }

    public static final StructType SCHEMA = new StructType()
            .add("poste", DataTypes.StringType, false)
            .add("sous_poste", DataTypes.StringType, false)
            .add("libelle_poste", DataTypes.StringType, false)
            .add("libelle_sous_poste", DataTypes.StringType, false)
            .add("ordre", DataTypes.IntegerType, false);

    private Categories() {
    }

    public static List<Category> all() {
        List<Category> detail = new ArrayList<>();
        for (String[] f : ResourceCsv.read("reference/postes.csv")) {
            detail.add(new Category(f[0], f[1], f[2], f[3], Integer.parseInt(f[4])));
        }
        List<Category> out = new ArrayList<>(detail);
        Set<String> postes = new LinkedHashSet<>();
        for (Category c : detail) {
            if (postes.add(c.poste())) {
                out.add(new Category(c.poste(), TOTAL, c.libellePoste(), c.libellePoste(), 100 + c.order()));
            }
        }
        out.add(new Category(TOTAL, TOTAL, "Total des soins de ville", "Total des soins de ville", 0));
        return out;
    }

    public static Dataset<Row> table(SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        for (Category c : all()) {
            rows.add(RowFactory.create(c.poste(), c.sousPoste(), c.libellePoste(), c.libelleSousPoste(), c.order()));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }
}
