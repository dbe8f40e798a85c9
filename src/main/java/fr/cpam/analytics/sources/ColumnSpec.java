package fr.cpam.analytics.sources;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.io.Serializable;

/** One input column as declared in {@code schemas/<dataset>.csv}. */
public record ColumnSpec(String name, String type, boolean required, String defaultValue,
                         int maxLength, String notBefore, String description) implements Serializable {

    public enum Kind { STRING, INT, DECIMAL, DATE, YYYYMM }

    public Kind kind() {
        if (type.startsWith("decimal")) {
            return Kind.DECIMAL;
        }
        return switch (type) {
            case "string" -> Kind.STRING;
            case "int" -> Kind.INT;
            case "date" -> Kind.DATE;
            case "yyyymm" -> Kind.YYYYMM;
            default -> throw new IllegalArgumentException("unknown column type " + type + " for " + name);
        };
    }

    /** decimal(p,s): precision. */
    public int precision() {
        return Integer.parseInt(type.substring(type.indexOf('(') + 1, type.indexOf(',')).trim());
    }

    /** decimal(p,s): scale. */
    public int scale() {
        return Integer.parseInt(type.substring(type.indexOf(',') + 1, type.indexOf(')')).trim());
    }

    public DataType sparkType() {
        return switch (kind()) {
            case STRING -> DataTypes.StringType;
            case INT, YYYYMM -> DataTypes.IntegerType;
            case DECIMAL -> DataTypes.createDecimalType(precision(), scale());
            case DATE -> DataTypes.DateType;
        };
    }

    /** A default that names another column ({@code =EXE_SOI_DTD}) copies that column's value. */
    public String defaultFromColumn() {
        return defaultValue != null && defaultValue.startsWith("=") ? defaultValue.substring(1) : null;
    }
}
