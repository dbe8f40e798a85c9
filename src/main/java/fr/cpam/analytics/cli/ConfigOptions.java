package fr.cpam.analytics.cli;

import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** The options every command shares: configuration layers. */
public final class ConfigOptions {

    @Option(names = "--conf", paramLabel = "FILE",
            description = "Configuration file layered over the packaged conf/application.conf.")
    File confFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting (repeatable; highest priority), e.g. --set period.basis=care.")
    List<String> overrides = new ArrayList<>();
}
