package io.taskpool.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the taskpool command in this JVM with {@code stdin}, capturing its exit code and output. */
final class CliRun {
  final int exit;
  final String out;
  final String err;

  private CliRun(int exit, String out, String err) {
    this.exit = exit;
    this.out = out;
    this.err = err;
  }

  static CliRun of(String stdin, String... args) {
    InputStream originalIn = System.in;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try {
      if (stdin != null) {
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      }
      CommandLine cli = TaskpoolCli.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      return new CliRun(cli.execute(args), out.toString(), err.toString());
    } finally {
      System.setIn(originalIn);
    }
  }
}
