package fr.cpam.analytics.sources;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The quarantined lines of one parse task, written by the task itself to a Parquet file in the
 * run's staging folder. This side output is what lets the parse feed the silver table's write
 * directly (no cached copy of the parsed rows): the bad lines, a small share, leave the same
 * single read of the files through here, and the driver commits them to {@code quarantine}
 * afterwards. The file is named after the task attempt, so a retried or speculative attempt
 * never writes over another; only the files named by successful tasks' statistics are read.
 */
final class QuarantineSink implements AutoCloseable {

    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message quarantined {
              required binary source_file (STRING);
              required int64 line_number;
              optional binary raw_line (STRING);
              required binary reasons (STRING);
            }""");

    private final Path path;
    private final Configuration conf;
    private ParquetWriter<Group> writer;
    private SimpleGroupFactory groups;
    private long rows;

    QuarantineSink(Path path, Configuration conf) {
        this.path = path;
        this.conf = conf;
    }

    /** Opened on the first bad line: most tasks of a clean extract write nothing. */
    void write(String sourceFile, long lineNumber, String rawLine, String reasons) {
        try {
            if (writer == null) {
                writer = ExampleParquetWriter.builder(path).withConf(conf).withType(SCHEMA)
                        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                        .withCompressionCodec(CompressionCodecName.SNAPPY).build();
                groups = new SimpleGroupFactory(SCHEMA);
            }
            Group g = groups.newGroup().append("source_file", sourceFile).append("line_number", lineNumber)
                    .append("reasons", reasons);
            if (rawLine != null) {
                g.append("raw_line", rawLine);
            }
            writer.write(g);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write quarantined lines to " + path, e);
        }
    }

    /** The file written, or null when the task had no bad line. */
    String pathIfWritten() {
        return rows == 0 ? null : path.toString();
    }

    @Override
    public void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + path, e);
            } finally {
                writer = null;
            }
        }
    }
}
