package fr.cpam.analytics.ops;

import fr.cpam.analytics.spark.Warehouse;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

/**
 * One writer at a time on a warehouse: {@code _lock/cpam.lock} under its root, created
 * atomically (create without overwrite: atomic on local file systems and HDFS; on S3 use a
 * store with conditional writes or keep one scheduler). The file says who holds it (host,
 * process, run, start). A lock is stale — and taken over with a warning — when its process
 * is gone on this host (a run killed with kill -9) or it is older than
 * {@code ops.lock-stale-hours}. Closing the lock deletes it.
 */
public final class WarehouseLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseLock.class);

    /** A second writer on a warehouse that another run holds. */
    public static final class HeldException extends IllegalStateException {
        HeldException(String message) {
            super(message);
        }
    }

    private final FileSystem fs;
    private final Path path;

    private WarehouseLock(FileSystem fs, Path path) {
        this.fs = fs;
        this.path = path;
    }

    public static Path lockPath(Warehouse warehouse) {
        return new Path(warehouse.root() + "/_lock/cpam.lock");
    }

    public static WarehouseLock acquire(Warehouse warehouse, String runId, String command, double staleHours) {
        Path path = lockPath(warehouse);
        try {
            FileSystem fs = path.getFileSystem(warehouse.spark().sparkContext().hadoopConfiguration());
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    create(fs, path, describe(runId, command));
                    return new WarehouseLock(fs, path);
                } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
                    Properties holder = read(fs, path);
                    String stale = staleReason(holder, staleHours);
                    if (stale == null) {
                        throw new HeldException("warehouse " + warehouse.root() + " is in use by run " + holder.getProperty("run")
                                + " (" + holder.getProperty("command") + ", process " + holder.getProperty("pid") + " on "
                                + holder.getProperty("host") + ", since " + holder.getProperty("started") + "); "
                                + "refusing to start a second writer. If that run is dead, remove " + path);
                    }
                    LOG.warn("taking over the stale lock of run {} ({}): {}", holder.getProperty("run"), stale, path);
                    fs.delete(path, false);
                }
            }
            throw new HeldException("could not take the lock " + path + ": another run took it first");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the lock " + path, e);
        }
    }

    /** Create-if-absent: java.nio's CREATE_NEW on a local disk (atomic), Hadoop's create(overwrite = false) elsewhere. */
    private static void create(FileSystem fs, Path path, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if ("file".equals(fs.getUri().getScheme())) {
            java.nio.file.Path local = java.nio.file.Path.of(path.toUri());
            java.nio.file.Files.createDirectories(local.getParent());
            java.nio.file.Files.write(local, bytes, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
            return;
        }
        try (FSDataOutputStream out = fs.create(path, false)) {
            out.write(bytes);
        }
    }

    private static String describe(String runId, String command) throws IOException {
        return "run=" + runId + "\ncommand=" + command + "\nhost=" + InetAddress.getLocalHost().getHostName()
                + "\npid=" + ProcessHandle.current().pid() + "\nstarted=" + Instant.now() + "\n";
    }

    private static Properties read(FileSystem fs, Path path) throws IOException {
        Properties p = new Properties();
        try (FSDataInputStream in = fs.open(path)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (java.io.FileNotFoundException gone) {
            // released between our create and this read: treated as stale, the retry takes it
        }
        return p;
    }

    /** Why the lock may be taken over, or null when its holder may still be running. */
    static String staleReason(Properties holder, double staleHours) throws IOException {
        if (holder.getProperty("started") == null) {
            return "unreadable lock file";
        }
        Instant started = Instant.parse(holder.getProperty("started"));
        if (Duration.between(started, Instant.now()).toMinutes() > staleHours * 60) {
            return "older than " + staleHours + " h";
        }
        boolean sameHost = InetAddress.getLocalHost().getHostName().equals(holder.getProperty("host"));
        if (sameHost) {
            long pid = Long.parseLong(holder.getProperty("pid", "-1"));
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return null;
            }
            return "process " + pid + " is gone";
        }
        return null;
    }

    @Override
    public void close() {
        try {
            fs.delete(path, false);
        } catch (IOException e) {
            LOG.warn("could not remove the lock {}: {}", path, e.getMessage());
        }
    }
}
