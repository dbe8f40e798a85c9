package fr.cpam.analytics.bench;

import fr.cpam.analytics.reference.ReferenceData;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;

/**
 * The same work in DuckDB (JDBC, in this process), as a single-machine baseline: the claims CSV
 * files to typed Parquet (rejected lines kept by DuckDB's {@code store_rejects}), then the
 * spending evolution (beneficiary x month x sous-poste, every period type, sous-poste / poste /
 * total levels, exact consumers, the same period a year earlier). DuckDB is a benchmark-only
 * dependency: {@code jobs/run.sh bench} puts it on the classpath, the shaded jar never has it.
 */
final class DuckDbBaseline implements AutoCloseable {

    /** The claims columns of INPUTS.md with their types: the typing the job does, told to DuckDB. */
    private static final String COLUMNS = "{'BEN_NIR_PSA': 'VARCHAR', 'BEN_RNG_GEM': 'INTEGER', 'BEN_NAI_ANN': 'INTEGER', "
            + "'BEN_SEX_COD': 'INTEGER', 'BEN_RES_DPT': 'VARCHAR', 'ORG_AFF_BEN': 'VARCHAR', 'PFS_EXE_NUM': 'VARCHAR', "
            + "'PSE_SPE_COD': 'INTEGER', 'PSE_ACT_NAT': 'INTEGER', 'PFS_PRE_NUM': 'VARCHAR', 'PSP_SPE_COD': 'INTEGER', "
            + "'PRE_PRE_DTD': 'DATE', 'EXE_SOI_DTD': 'DATE', 'EXE_SOI_DTF': 'DATE', 'FLX_DIS_DTD': 'DATE', 'PRS_NAT_REF': 'INTEGER', "
            + "'RGO_ASU_NAT': 'INTEGER', 'DPN_QLF': 'INTEGER', 'PRS_ACT_QTE': 'DECIMAL(12,3)', 'PRS_ACT_CFT': 'DECIMAL(12,3)', "
            + "'PRS_PAI_MNT': 'DECIMAL(14,2)', 'BSE_REM_MNT': 'DECIMAL(14,2)', 'CPL_REM_MNT': 'DECIMAL(14,2)', "
            + "'BIO_PRS_IDE': 'INTEGER', 'PHA_PRS_C13': 'VARCHAR', 'PHA_ATC_CLA': 'VARCHAR', 'PHA_ACT_QSN': 'INTEGER', "
            + "'CAM_PRS_IDE': 'VARCHAR', 'ETB_EXE_FIN': 'VARCHAR'}";

    private final Connection db;

    DuckDbBaseline(Path tempDir) throws SQLException {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("DuckDB's JDBC driver is not on the classpath: run the benchmark with jobs/run.sh bench", e);
        }
        db = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = db.createStatement()) {
            s.execute("SET temp_directory = '" + tempDir.toAbsolutePath() + "'");
            s.execute("SET preserve_insertion_order = false");
            // DuckDB's default limit is 80 % of the machine's memory, blind to the JVM it shares this
            // process with: at 10 million lines its spending query then failed on an allocation
            // (an internal error) instead of spilling to temp_directory
            OptionalLong available = PeakMemory.meminfoMiB("MemAvailable");
            if (available.isPresent()) {
                s.execute("SET memory_limit = '" + memoryLimitMiB(available.getAsLong()) + "MiB'");
            }
        }
    }

    /**
     * DuckDB's memory limit from what the machine has available now (the JVM's resident memory
     * already taken out): three quarters of it, since DuckDB allocates some memory outside its
     * limit; at least 1 GiB.
     */
    static long memoryLimitMiB(long availableMiB) {
        return Math.max(1024, availableMiB * 3 / 4);
    }

    /** The memory limit DuckDB works under, as it reports it (e.g. {@code 13.9 GiB}). */
    String memoryLimit() throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT current_setting('memory_limit')")) {
            r.next();
            return r.getString(1);
        }
    }

    static String version() {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT version()")) {
            r.next();
            return r.getString(1);
        } catch (SQLException e) {
            return "unknown";
        }
    }

    /** CSV to one typed Parquet file; returns the lines written. */
    long ingest(String csvGlob, Path parquet) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("COPY (SELECT * FROM read_csv('" + csvGlob + "', delim = ';', header = true, columns = " + COLUMNS
                    + ", dateformat = '%Y-%m-%d', store_rejects = true)) TO '" + parquet.toAbsolutePath() + "' (FORMAT parquet)");
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + parquet.toAbsolutePath() + "')")) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** The spending evolution of every period from the Parquet file; returns the rows written. */
    long spending(Path parquet, Path out) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE natures (code INTEGER, poste VARCHAR, sous_poste VARCHAR, valid_from DATE)");
            try (PreparedStatement p = db.prepareStatement("INSERT INTO natures VALUES (?, ?, ?, ?)")) {
                for (ReferenceData.NatureMapping n : ReferenceData.natureMappings()) {
                    p.setInt(1, n.code());
                    p.setString(2, n.poste());
                    p.setString(3, n.sousPoste());
                    p.setObject(4, n.validFrom());
                    p.addBatch();
                }
                p.executeBatch();
            }
            s.execute("CREATE OR REPLACE TEMP TABLE nature AS SELECT code, arg_max(poste, valid_from) AS poste, "
                    + "arg_max(sous_poste, valid_from) AS sous_poste FROM natures GROUP BY code");
            s.execute("CREATE OR REPLACE TEMP TABLE by_ben AS SELECT c.ORG_AFF_BEN AS org, date_trunc('month', c.FLX_DIS_DTD) AS m, "
                    + "coalesce(n.poste, 'AUTRES') AS poste, coalesce(n.sous_poste, 'AUTRES') AS sous_poste, "
                    + "c.BEN_NIR_PSA || '#' || coalesce(c.BEN_RNG_GEM, 1) AS ben, sum(c.BSE_REM_MNT + c.CPL_REM_MNT) AS amount, "
                    + "sum(c.PRS_ACT_QTE) AS qty FROM read_parquet('" + parquet.toAbsolutePath() + "') c "
                    + "LEFT JOIN nature n ON n.code = c.PRS_NAT_REF WHERE c.DPN_QLF IS NULL OR c.DPN_QLF <> 71 GROUP BY ALL");
            s.execute("CREATE OR REPLACE TEMP TABLE month_periods AS "
                    + "WITH months AS (SELECT DISTINCT m FROM by_ben) "
                    + "SELECT m, 'MONTH' AS pt, strftime(m, '%Y-%m') AS p FROM months "
                    + "UNION ALL SELECT m, 'YEAR', strftime(m, '%Y') FROM months "
                    + "UNION ALL SELECT m, 'YTD', strftime(e, '%Y-%m') FROM (SELECT m, unnest(generate_series(m::TIMESTAMP, "
                    + "make_date(year(m), 12, 1)::TIMESTAMP, INTERVAL 1 MONTH)) AS e FROM months) "
                    + "UNION ALL SELECT m, 'R12', strftime(e, '%Y-%m') FROM (SELECT m, unnest(generate_series(m::TIMESTAMP, "
                    + "m::TIMESTAMP + INTERVAL 11 MONTH, INTERVAL 1 MONTH)) AS e FROM months)");
            s.execute("CREATE OR REPLACE TEMP TABLE cur AS SELECT org, pt, p, coalesce(poste, 'TOTAL') AS poste, "
                    + "coalesce(sous_poste, 'TOTAL') AS sous_poste, sum(amount) AS amount, sum(q) AS quantity, count_if(q > 0) AS consumers "
                    + "FROM (SELECT org, pt, p, poste, sous_poste, ben, sum(amount) AS amount, sum(qty) AS q "
                    + "      FROM by_ben JOIN month_periods USING (m) "
                    + "      GROUP BY GROUPING SETS ((org, pt, p, poste, sous_poste, ben), (org, pt, p, poste, ben), (org, pt, p, ben))) "
                    + "GROUP BY ALL");
            s.execute("COPY (SELECT c.*, v.amount AS amount_prev, c.amount - v.amount AS evolution_eur, "
                    + "round((c.amount - v.amount) * 100 / nullif(v.amount, 0), 2) AS evolution_pct, v.consumers AS consumers_prev "
                    + "FROM cur c LEFT JOIN cur v ON v.org = c.org AND v.pt = c.pt AND v.poste = c.poste AND v.sous_poste = c.sous_poste "
                    + "AND v.p = CAST(CAST(substr(c.p, 1, 4) AS INTEGER) - 1 AS VARCHAR) || substr(c.p, 5)) TO '"
                    + out.toAbsolutePath() + "' (FORMAT parquet)");
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + out.toAbsolutePath() + "')")) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
