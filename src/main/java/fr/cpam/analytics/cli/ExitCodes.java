package fr.cpam.analytics.cli;

/** Exit codes of CLI.md. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int QUALITY_GATE = 3;
    public static final int FILES_REJECTED = 4;

    private ExitCodes() {
    }
}
