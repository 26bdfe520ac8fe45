package io.accent.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "ExportWeightsCommand", mixinStandardHelpOptions = true)
final class ExportWeightsCommand implements Runnable {
    @Override
    public void run() {}
}
