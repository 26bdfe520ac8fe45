package io.accent.cli;

import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "RecommendCommand", mixinStandardHelpOptions = true)
final class RecommendCommand implements Runnable {
    @Override
    public void run() {}
}
