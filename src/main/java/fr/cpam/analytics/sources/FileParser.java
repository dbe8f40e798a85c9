package fr.cpam.analytics.sources;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.TaskCompletionListener;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The parse task: reads whole files (one per task, as gzip cannot be split), streams their
 * lines through the {@link LineTyper} and emits the valid lines as typed rows, which feed the
 * silver table's write directly. The same single read sends the quarantined lines to the
 * task's {@link QuarantineSink} and each file's statistics (lines, blank lines, bytes,
 * SHA-256, amount) to an accumulator. Memory stays flat: one line at a time. A file that
 * cannot be read to its end (corrupt gzip, I/O error) throws a {@link FileRejectedException},
 * which fails the write before it commits anything.
 */
public final class FileParser implements FlatMapFunction<Iterator<String>, Row> {

    /** Separates the relative and absolute path of a task input. */
    public static final char SEP = '\u0000';

    public static final String SOURCE_FILE = "source_file";
    public static final String LINE_NUMBER = "line_number";

    private final LineTyper typer;
    private final SerializableHadoopConf hadoopConf;
    private final String charset;
    private final CollectionAccumulator<FileStats> stats;
    private final String stagingDir;

    /**
     * @param stats      receives one entry per file parsed by a successful task
     * @param stagingDir where the tasks write their quarantined lines
     */
    public FileParser(LineTyper typer, SerializableHadoopConf hadoopConf, String charset,
                      CollectionAccumulator<FileStats> stats, String stagingDir) {
        this.typer = typer;
        this.hadoopConf = hadoopConf;
        this.charset = charset;
        this.stats = stats;
        this.stagingDir = stagingDir;
    }

    /** The rows emitted: the dataset's typed columns, then {@code source_file} and {@code line_number}. */
    public static StructType schema(SourceDataset d) {
        return d.inputSchema()
                .add(SOURCE_FILE, DataTypes.StringType, false)
                .add(LINE_NUMBER, DataTypes.LongType, false);
    }

    @Override
    public Iterator<Row> call(Iterator<String> files) {
        TaskContext task = TaskContext.get();
        QuarantineSink sink = new QuarantineSink(new Path(stagingDir, "q-" + task.stageId() + "-" + task.partitionId()
                + "-" + task.attemptNumber() + ".parquet"), hadoopConf.get());
        task.addTaskCompletionListener((TaskCompletionListener) t -> sink.close());
        return new Iterator<>() {
            private FileRows current;

            @Override
            public boolean hasNext() {
                while ((current == null || !current.hasNext()) && files.hasNext()) {
                    current = rowsOf(files.next(), sink);
                }
                return current != null && current.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /**
     * Opens a file and reads its header only: the reason the whole file would be rejected before
     * any line is read (empty, wrong header, unreadable), or null. Run before the write, so a
     * wrong file costs no failed write.
     */
    public String headerProblem(String spec) {
        FileRows f = rowsOf(spec, null);
        try {
            return f.open();
        } catch (IOException | RuntimeException e) {
            return unreadable(e);
        } finally {
            f.release();
        }
    }

    private FileRows rowsOf(String spec, QuarantineSink sink) {
        int cut = spec.indexOf(SEP);
        String rel = spec.substring(0, cut);
        String abs = spec.substring(cut + 1);
        return abs.endsWith(".parquet") ? new ParquetFile(rel, abs, sink) : new CsvFile(rel, abs, sink);
    }

    private static String unreadable(Exception e) {
        return "unreadable: " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Common bookkeeping of one file: counters, the quarantined lines, the final statistics. */
    private abstract class FileRows implements Iterator<Row> {
        final String rel;
        final String abs;
        final QuarantineSink sink;
        long linesRead;
        long linesBlank;
        long linesQuarantined;
        long bytes;
        String checksum;
        BigDecimal amount = BigDecimal.ZERO;
        LineTyper.Binding binding;
        private Row pending;
        private boolean opened;
        private boolean finished;

        FileRows(String rel, String abs, QuarantineSink sink) {
            this.rel = rel;
            this.abs = abs;
            this.sink = sink;
        }

        /** Opens the file and binds its header: why it cannot be loaded, or null. */
        abstract String open() throws IOException;

        /** Next valid row, or null at the end of the file; quarantined lines go to the sink on the way. */
        abstract Row advance() throws IOException;

        /** Closes the file and completes the byte count and checksum. */
        abstract void close() throws IOException;

        /** Closes whatever is open, after a failure or a header check. */
        abstract void release();

        @Override
        public boolean hasNext() {
            if (pending != null) {
                return true;
            }
            if (finished) {
                return false;
            }
            try {
                if (!opened) {
                    opened = true;
                    String problem = open();
                    if (problem != null) {
                        throw new FileRejectedException(rel, problem);
                    }
                }
                pending = advance();
                if (pending == null) {
                    finished = true;
                    close();
                    stats.add(new FileStats(rel, linesRead, linesBlank, bytes, checksum, "LOADED", null, amount,
                            linesQuarantined, linesQuarantined == 0 ? null : sink.pathIfWritten()));
                }
            } catch (FileRejectedException e) {
                release();
                throw e;
            } catch (IOException | RuntimeException e) {
                release();
                throw new FileRejectedException(rel, unreadable(e));
            }
            return pending != null;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row r = pending;
            pending = null;
            return r;
        }

        /** The typed row of a valid line; a bad line goes to the sink, with the raw NIR masked, and gives null. */
        Row typedRow(String[] fields, long lineNumber, String rawLine) {
            linesRead++;
            LineTyper.Typed t = typer.type(binding, fields);
            if (!t.valid()) {
                linesQuarantined++;
                sink.write(rel, lineNumber, Nir.mask(rawLine, t.nirValue()), String.join(",", t.reasons()));
                return null;
            }
            amount = amount.add(typer.amountOf(t.values()));
            Object[] out = Arrays.copyOf(t.values(), t.values().length + 2);
            out[out.length - 2] = rel;
            out[out.length - 1] = lineNumber;
            return RowFactory.create(out);
        }
    }

    /** A CSV or CSV.gz file, read as a byte stream through its codec. */
    private final class CsvFile extends FileRows {
        private BufferedReader reader;
        private DigestInputStream digest;
        private CountingStream counter;
        private CsvParser quoted;
        private long lineNumber;

        CsvFile(String rel, String abs, QuarantineSink sink) {
            super(rel, abs, sink);
        }

        @Override
        String open() throws IOException {
            Path path = new Path(abs);
            FileSystem fs = path.getFileSystem(hadoopConf.get());
            FSDataInputStream raw = fs.open(path);
            counter = new CountingStream(raw);
            digest = new DigestInputStream(counter, sha256());
            CompressionCodec codec = new CompressionCodecFactory(hadoopConf.get()).getCodec(path);
            InputStream in = codec == null ? digest : codec.createInputStream(digest);
            reader = new BufferedReader(new InputStreamReader(in, Charset.forName(charset)), 1 << 16);
            String header;
            do {
                header = reader.readLine();
                lineNumber++;
            } while (header != null && header.isBlank());
            if (header == null) {
                return "empty file: no header line";
            }
            if (!header.isEmpty() && header.charAt(0) == '\uFEFF') {
                header = header.substring(1); // UTF-8 byte-order mark
            }
            try {
                binding = typer.bind(split(header));
            } catch (LineTyper.HeaderException e) {
                return "wrong header: " + e.getMessage();
            }
            return null;
        }

        @Override
        Row advance() throws IOException {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    linesBlank++;
                    continue;
                }
                Row row = typedRow(split(line), lineNumber, line);
                if (row != null) {
                    return row;
                }
            }
            return null;
        }

        private String[] split(String line) {
            if (line.indexOf('"') < 0) {
                return fastSplit(line);
            }
            if (quoted == null) {
                CsvParserSettings s = new CsvParserSettings();
                s.getFormat().setDelimiter(';');
                s.getFormat().setQuote('"');
                s.setMaxColumns(512);
                s.setMaxCharsPerColumn(1 << 16);
                s.setNullValue("");
                s.setEmptyValue("");
                s.setIgnoreLeadingWhitespaces(false);
                s.setIgnoreTrailingWhitespaces(false);
                quoted = new CsvParser(s);
            }
            String[] f = quoted.parseLine(line);
            return f == null ? new String[0] : f;
        }

        @Override
        void close() throws IOException {
            // the rest of the raw stream, so the checksum and byte count cover the whole file
            // (the codec stream may stop before the raw end: gzip trailer already read)
            byte[] buf = new byte[1 << 16];
            while (digest.read(buf) >= 0) {
                // draining
            }
            reader.close();
            bytes = counter.count;
            checksum = HexFormat.of().formatHex(digest.getMessageDigest().digest());
        }

        @Override
        void release() {
            try {
                if (reader != null) {
                    reader.close();
                } else if (counter != null) {
                    counter.close();
                }
            } catch (IOException ignored) {
                // the file is given up anyway
            }
        }
    }

    /** A Parquet file: columns by name, values rendered as text then typed like CSV fields. */
    private final class ParquetFile extends FileRows {
        private ParquetReader<Group> reader;
        private Group first;
        private long rowNumber;

        ParquetFile(String rel, String abs, QuarantineSink sink) {
            super(rel, abs, sink);
        }

        @Override
        String open() throws IOException {
            reader = ParquetReader.builder(new GroupReadSupport(), new Path(abs)).withConf(hadoopConf.get()).build();
            first = reader.read();
            if (first == null) {
                return null; // no rows: loaded, with nothing in it
            }
            List<String> names = new ArrayList<>();
            for (Type t : first.getType().getFields()) {
                names.add(t.getName());
            }
            try {
                binding = typer.bind(names.toArray(new String[0]));
            } catch (LineTyper.HeaderException e) {
                return "wrong header: " + e.getMessage();
            }
            return null;
        }

        @Override
        Row advance() throws IOException {
            Group g;
            if (first != null) {
                g = first;
                first = null;
            } else {
                g = reader.read();
            }
            for (; g != null; g = reader.read()) {
                Row row = rowOf(g);
                if (row != null) {
                    return row;
                }
            }
            return null;
        }

        private Row rowOf(Group g) {
            rowNumber++;
            List<Type> types = g.getType().getFields();
            String[] fields = new String[types.size()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = g.getFieldRepetitionCount(i) == 0 ? "" : text(g, i, types.get(i));
            }
            return typedRow(fields, rowNumber, String.join(";", fields));
        }

        private String text(Group g, int i, Type t) {
            if (!t.isPrimitive()) {
                return g.getValueToString(i, 0);
            }
            PrimitiveType p = t.asPrimitiveType();
            LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
            if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                return LocalDate.ofEpochDay(g.getInteger(i, 0)).toString();
            }
            if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation dec) {
                BigInteger unscaled = switch (p.getPrimitiveTypeName()) {
                    case INT32 -> BigInteger.valueOf(g.getInteger(i, 0));
                    case INT64 -> BigInteger.valueOf(g.getLong(i, 0));
                    default -> new BigInteger(g.getBinary(i, 0).getBytes());
                };
                return new BigDecimal(unscaled, dec.getScale()).toPlainString();
            }
            return switch (p.getPrimitiveTypeName()) {
                case DOUBLE -> BigDecimal.valueOf(g.getDouble(i, 0)).toPlainString();
                case FLOAT -> BigDecimal.valueOf(g.getFloat(i, 0)).toPlainString();
                case BINARY, FIXED_LEN_BYTE_ARRAY -> g.getBinary(i, 0).toStringUsingUTF8();
                default -> g.getValueToString(i, 0);
            };
        }

        @Override
        void close() throws IOException {
            reader.close();
            // checksum of the file's bytes: Parquet is read by random access, so a separate pass
            Path path = new Path(abs);
            FileSystem fs = path.getFileSystem(hadoopConf.get());
            MessageDigest md = sha256();
            try (InputStream in = fs.open(path)) {
                byte[] buf = new byte[1 << 16];
                int r;
                while ((r = in.read(buf)) >= 0) {
                    md.update(buf, 0, r);
                    bytes += r;
                }
            }
            checksum = HexFormat.of().formatHex(md.digest());
        }

        @Override
        void release() {
            try {
                if (reader != null) {
                    reader.close();
                }
            } catch (IOException ignored) {
                // the file is given up anyway
            }
        }
    }

    /** Split on ';' without regex: the hot path for unquoted lines. */
    static String[] fastSplit(String line) {
        int count = 1;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ';') {
                count++;
            }
        }
        String[] out = new String[count];
        int start = 0;
        int k = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ';') {
                out[k++] = line.substring(start, i);
                start = i + 1;
            }
        }
        out[k] = line.substring(start);
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts the raw bytes read from storage. */
    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r > 0) {
                count += r;
            }
            return r;
        }
    }
}
