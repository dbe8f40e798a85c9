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
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

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
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The parse task: reads whole files (one per task, as gzip cannot be split), streams their
 * lines through the {@link LineTyper} and emits the {@link Envelope} rows. Memory stays flat:
 * one line at a time. A file that cannot be read to its end (corrupt gzip, I/O error) or whose
 * header is unusable ends with a {@code REJECTED} statistics row; its other rows are discarded
 * downstream, so nothing of it is published.
 */
public final class FileParser implements FlatMapFunction<Iterator<String>, Row> {

    /** Separates the relative and absolute path of a task input. */
    public static final char SEP = '\u0000';

    private final LineTyper typer;
    private final SerializableHadoopConf hadoopConf;
    private final String charset;

    public FileParser(LineTyper typer, SerializableHadoopConf hadoopConf, String charset) {
        this.typer = typer;
        this.hadoopConf = hadoopConf;
        this.charset = charset;
    }

    @Override
    public Iterator<Row> call(Iterator<String> files) {
        return new Iterator<>() {
            private Iterator<Row> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && files.hasNext()) {
                    String spec = files.next();
                    int cut = spec.indexOf(SEP);
                    String rel = spec.substring(0, cut);
                    String abs = spec.substring(cut + 1);
                    current = abs.endsWith(".parquet") ? new ParquetFile(rel, abs) : new CsvFile(rel, abs);
                }
                return current.hasNext();
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

    /** Common bookkeeping of one file: counters and the final statistics row. */
    private abstract class FileRows implements Iterator<Row> {
        final String rel;
        final String abs;
        long linesRead;
        long linesBlank;
        long linesQuarantined;
        long bytes;
        String checksum;
        BigDecimal amount = BigDecimal.ZERO;
        String status = "LOADED";
        String message;
        LineTyper.Binding binding;
        private Row pending;
        private boolean finished;

        FileRows(String rel, String abs) {
            this.rel = rel;
            this.abs = abs;
        }

        /** Next data row, or null at the end of the file. */
        abstract Row advance() throws IOException;

        abstract void close();

        @Override
        public boolean hasNext() {
            if (pending != null) {
                return true;
            }
            if (finished) {
                return false;
            }
            try {
                pending = advance();
            } catch (IOException | RuntimeException e) {
                reject("unreadable: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                pending = null;
            }
            if (pending == null) {
                finished = true;
                close();
                pending = statsRow();
            }
            return true;
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

        void reject(String why) {
            status = "REJECTED";
            message = why;
        }

        Row typedRow(String[] fields, long lineNumber, String rawLine) {
            linesRead++;
            LineTyper.Typed t = typer.type(binding, fields);
            Object[] out = new Object[t.values().length + Envelope.TRAILER.size()];
            System.arraycopy(t.values(), 0, out, 0, t.values().length);
            int k = t.values().length;
            out[k] = rel;
            out[k + 1] = lineNumber;
            if (t.valid()) {
                amount = amount.add(typer.amountOf(t.values()));
                out[k + 2] = "D";
            } else {
                linesQuarantined++;
                out[k + 2] = "Q";
                out[k + 3] = String.join(",", t.reasons());
                out[k + 4] = Nir.mask(rawLine, t.nirValue());
            }
            return RowFactory.create(out);
        }

        private Row statsRow() {
            int n = typer.dataset().columns().size();
            Object[] out = new Object[n + Envelope.TRAILER.size()];
            out[n] = rel;
            out[n + 2] = "F";
            out[n + 5] = linesRead;
            out[n + 6] = linesBlank;
            out[n + 7] = bytes;
            out[n + 8] = checksum;
            out[n + 9] = status;
            out[n + 10] = message;
            out[n + 11] = amount;
            out[n + 12] = linesQuarantined;
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

        CsvFile(String rel, String abs) {
            super(rel, abs);
        }

        @Override
        Row advance() throws IOException {
            if (reader == null && !open()) {
                return null;
            }
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    linesBlank++;
                    continue;
                }
                return typedRow(split(line), lineNumber, line);
            }
            drain();
            return null;
        }

        private boolean open() throws IOException {
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
                reject("empty file: no header line");
                return false;
            }
            if (!header.isEmpty() && header.charAt(0) == '\uFEFF') {
                header = header.substring(1); // UTF-8 byte-order mark
            }
            try {
                binding = typer.bind(split(header));
            } catch (LineTyper.HeaderException e) {
                reject("wrong header: " + e.getMessage());
                return false;
            }
            return true;
        }

        /** Reads the rest of the stream so the checksum and byte count cover the whole file. */
        private void drain() throws IOException {
            byte[] buf = new byte[1 << 16];
            while (digest.read(buf) >= 0) {
                // the codec stream may stop before the raw end (gzip trailer already read)
            }
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
        void close() {
            try {
                if (reader != null) {
                    reader.close();
                }
            } catch (IOException ignored) {
                // closing after a full read: nothing to lose
            }
            if (counter != null) {
                bytes = counter.count;
                checksum = HexFormat.of().formatHex(digest.getMessageDigest().digest());
            }
        }
    }

    /** A Parquet file: columns by name, values rendered as text then typed like CSV fields. */
    private final class ParquetFile extends FileRows {
        private ParquetReader<Group> reader;
        private long rowNumber;

        ParquetFile(String rel, String abs) {
            super(rel, abs);
        }

        @Override
        Row advance() throws IOException {
            if (reader == null) {
                Path path = new Path(abs);
                reader = ParquetReader.builder(new GroupReadSupport(), path).withConf(hadoopConf.get()).build();
                Group first = reader.read();
                if (first == null) {
                    return null;
                }
                List<String> names = new ArrayList<>();
                for (Type t : first.getType().getFields()) {
                    names.add(t.getName());
                }
                try {
                    binding = typer.bind(names.toArray(new String[0]));
                } catch (LineTyper.HeaderException e) {
                    reject("wrong header: " + e.getMessage());
                    return null;
                }
                return rowOf(first);
            }
            Group g = reader.read();
            return g == null ? null : rowOf(g);
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
        void close() {
            try {
                if (reader != null) {
                    reader.close();
                }
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
            } catch (IOException e) {
                reject("unreadable: " + e.getMessage());
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
