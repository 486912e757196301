package org.fpnas.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fpnas.client.SearchRequest;
import org.fpnas.client.SearchSpecs;
import org.fpnas.core.space.Architecture;
import org.fpnas.core.space.SearchSpace;
import org.fpnas.evaluator.djl.FinalTraining;
import org.fpnas.schemas.avro.SearchSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainFinalCommandTest {
  @TempDir Path output;

  @Test
  void trainsTheFoundAndARandomArchitectureAndSavesBoth() throws Exception {
    String text = TextFiles.example("fbnet-fmnist.yaml");
    SearchSpec search =
        SearchSpecs.validate(
            new SearchRequest("fbnet-fmnist.yaml", text).evaluator("djl").searchId("final-test"),
            0L);
    SearchSpace space = SearchSpace.parse(search.getSpace(), "space");
    int[][] choices = new int[space.layerCount()][];
    for (int l = 0; l < choices.length; l++) {
      choices[l] = new int[space.layer(l).variables().size()];
      choices[l][0] = 1; // kernel 5 everywhere
    }
    TrainFinalCommand command = new TrainFinalCommand();
    new CommandLine(command)
        .parseArgs(
            "--epochs",
            "1",
            "--training-images",
            "512",
            "--batch-size",
            "64",
            "--output",
            output.toString(),
            "final-test");
    StringWriter text2 = new StringWriter();
    FinalTraining.Comparison result =
        command.plan().run(search, Architecture.of(choices), new PrintWriter(text2));
    String printed = text2.toString();
    assertTrue(printed.contains("test accuracy"), printed);
    assertTrue(printed.contains("found") && printed.contains("random"), printed);
    assertEquals(Architecture.of(choices), result.found().architecture());
    double ratio = (double) result.random().multiplyAdds() / result.found().multiplyAdds();
    assertTrue(Math.abs(ratio - 1) <= 0.1, "similar FLOPs: " + ratio);
    assertTrue(Files.isDirectory(output.resolve("final-test").resolve("found")));
    assertTrue(Files.isDirectory(output.resolve("final-test").resolve("random")));
  }

  @Test
  void badOptionsAreNamed() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new TrainFinalCommand());
    cli.setErr(new PrintWriter(err));
    cli.setExecutionExceptionHandler(
        (e, c, p) -> {
          c.getErr().println(e.getMessage());
          return 2;
        });
    assertEquals(2, cli.execute("--epochs", "0", "some-search"));
    assertTrue(
        err.toString().contains("epochs of the final training must be at least 1, got 0"),
        err.toString());
  }
}
