package fr.cpam.analytics.sources;

/**
 * Thrown by a parse task when a file turns out unreadable part-way (corrupt gzip, I/O error):
 * it fails the silver write before its commit, so nothing of the file is published, and tells
 * the driver which file to leave out when it runs the write again.
 */
public final class FileRejectedException extends RuntimeException {

    private final String sourceFile;

    public FileRejectedException(String sourceFile, String message) {
        super("file rejected whole: " + sourceFile + ": " + message);
        this.sourceFile = sourceFile;
    }

    public String sourceFile() {
        return sourceFile;
    }

    /** Why, without the file name. */
    public String reason() {
        return getMessage().substring(("file rejected whole: " + sourceFile + ": ").length());
    }

    /** The rejection behind a failed Spark job, or null when it failed for another reason. */
    public static FileRejectedException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FileRejectedException r) {
                return r;
            }
        }
        return null;
    }
}
