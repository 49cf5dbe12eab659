package org.fedlodrop.simulator.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and keeps what it printed. */
record CliRunner(int exitCode, String out, String err) {
    static CliRunner execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FedLoDrop.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new CliRunner(code, out.toString(), err.toString());
    }

    /** A user's mistake is told in words, never as a Java stack trace. */
    boolean hasStackTrace() {
        String all = out + err;
        return all.contains("\tat ") || all.contains("Exception") || all.contains("Caused by");
    }
}
