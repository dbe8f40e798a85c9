package fr.cpam.analytics.sources;

/** A file found under the input root: the unit of loading, identified by its relative path. */
public record InputFile(SourceDataset dataset, String relativePath, String absolutePath, long size, long modifiedMillis) {
}
