package fr.cpam.analytics.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The job's configuration, layered like Hudi's utilities: packaged defaults
 * ({@code conf/application.conf}) &lt; a {@code --conf} file &lt; {@code --set key=value}.
 * Everything the job reads lives under the {@code cpam} root.
 */
public final class JobConfig {

    private static final Pattern SECRET = Pattern.compile("(?i).*(secret|password|token|access\\.key|credential).*");

    private final Config config;

    private JobConfig(Config config) {
        this.config = config;
    }

    /** Builds the effective configuration from the three layers. */
    public static JobConfig load(File confFile, List<String> overrides) {
        Config defaults = ConfigFactory.parseResources(JobConfig.class.getClassLoader(), "application.conf");
        if (defaults.isEmpty()) {
            throw new IllegalStateException("application.conf is missing from the classpath");
        }
        Config layered = defaults;
        if (confFile != null) {
            if (!confFile.isFile()) {
                throw new IllegalArgumentException("--conf file not found: " + confFile);
            }
            layered = ConfigFactory.parseFile(confFile).withFallback(layered);
        }
        for (String kv : overrides == null ? List.<String>of() : overrides) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects key=value, got: " + kv);
            }
            String key = kv.substring(0, eq).trim();
            String value = kv.substring(eq + 1).trim();
            // --set a.b=c is short for cpam.a.b=c; Spark settings keep their own names
            String path = key.startsWith("cpam.") ? key : "cpam." + key;
            layered = layered.withValue(path, ConfigValueFactory.fromAnyRef(value));
        }
        return new JobConfig(layered.resolve());
    }

    /** Defaults only: for tests and tools. */
    public static JobConfig defaults() {
        return load(null, List.of());
    }

    public JobConfig with(String key, Object value) {
        String path = key.startsWith("cpam.") ? key : "cpam." + key;
        return new JobConfig(config.withValue(path, ConfigValueFactory.fromAnyRef(value)));
    }

    public String getString(String key) {
        return config.getString("cpam." + key);
    }

    public int getInt(String key) {
        return config.getInt("cpam." + key);
    }

    public long getLong(String key) {
        return config.getLong("cpam." + key);
    }

    public double getDouble(String key) {
        return config.getDouble("cpam." + key);
    }

    public boolean getBoolean(String key) {
        return config.getBoolean("cpam." + key);
    }

    /** A list setting; a plain string (as {@code --set} gives) is split on commas. */
    public java.util.List<String> getStringList(String key) {
        String path = "cpam." + key;
        if (config.getValue(path).valueType() == com.typesafe.config.ConfigValueType.LIST) {
            return config.getStringList(path);
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String part : config.getString(path).split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    public boolean hasPath(String key) {
        return config.hasPath("cpam." + key);
    }

    /** Free-form settings under {@code cpam.<key>} as a flat string map (quoted keys kept). */
    public Map<String, String> getStringMap(String key) {
        Map<String, String> out = new TreeMap<>();
        if (!hasPath(key)) {
            return out;
        }
        for (Map.Entry<String, ConfigValue> e : config.getObject("cpam." + key).entrySet()) {
            out.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
        }
        return out;
    }

    /** Every setting under cpam, flattened, with secrets masked: what the job logs at start. */
    public Map<String, String> effectiveMasked() {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : config.getConfig("cpam").entrySet()) {
            String value = String.valueOf(e.getValue().unwrapped());
            out.put(e.getKey(), SECRET.matcher(e.getKey()).matches() ? "****" : value);
        }
        return out;
    }

    /** A short hash of the effective configuration, recorded with every run. */
    public String hash() {
        return hash("");
    }

    /** A short hash of the settings under {@code cpam.<key>} (the whole of cpam for ""; "-" when absent). */
    public String hash(String key) {
        String path = key.isEmpty() ? "cpam" : "cpam." + key;
        if (!config.hasPath(path)) {
            return "-";
        }
        String rendered = config.getValue(path).render(ConfigRenderOptions.concise());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(rendered.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean isSecretKey(String key) {
        return SECRET.matcher(key).matches();
    }
}
