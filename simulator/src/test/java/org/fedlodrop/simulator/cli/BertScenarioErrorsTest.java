package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.models.corpus.Corpus;
import org.fedlodrop.models.family.bert.PretrainedBert;
import org.fedlodrop.simulator.TestCorpora;
import org.fedlodrop.simulator.TestScenarios;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bert scenario's bad inputs, each a located message and exit code 2, never a stack trace, and
 * nothing written: a corpus not fetched, an unknown built-in name, a corrupt or truncated ONNX file,
 * a tokenizer.json that is none, model.layers beyond the model.
 */
class BertScenarioErrorsTest {
    @TempDir
    Path temp;

    @BeforeAll
    static void corpus() throws Exception {
        TestCorpora.fetched(Corpus.SPAM_ASSASSIN);
    }

    private CliRunner run(String... overrides) {
        List<String> args = new ArrayList<>(List.of("run", TestScenarios.file("spam.yaml").toString(), "--out",
                temp.resolve("out").toString(), "-q"));
        for (String override : overrides) {
            args.addAll(List.of("--set", override));
        }
        CliRunner result = CliRunner.execute(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.hasStackTrace()).as(result.err()).isFalse();
        assertThat(temp.resolve("out")).doesNotExist();
        return result;
    }

    @Test
    void aCorpusNotFetchedNamesTheCommandThatFetchesIt() {
        String saved = System.getProperty("fedlodrop.data");
        System.setProperty("fedlodrop.data", temp.resolve("empty-cache").toString());
        try {
            assertThat(run().err()).contains("data.source: the corpus spam-assassin is not in",
                    "fetch it first with: fedlodrop data fetch spam-assassin");
        } finally {
            if (saved == null) {
                System.clearProperty("fedlodrop.data");
            } else {
                System.setProperty("fedlodrop.data", saved);
            }
        }
    }

    @Test
    void anUnknownCheckpointNameListsTheBuiltInModels() {
        assertThat(run("model.checkpoint=bert-huge").err())
                .contains("model.checkpoint: expected a built-in model (minilm-l6) or the path of an .onnx export");
    }

    @Test
    void aCorruptOrTruncatedOnnxFileIsNamed() throws Exception {
        Path tokenizer = temp.resolve("tokenizer.json");
        try (InputStream in = PretrainedBert.MINILM_L6.openTokenizer()) {
            Files.write(tokenizer, in.readAllBytes());
        }
        Path corrupt = Files.write(temp.resolve("corrupt.onnx"), "this is no model".getBytes());
        assertThat(run("model.checkpoint=" + corrupt, "model.tokenizer=" + tokenizer).err())
                .contains(corrupt + ": not an ONNX model", "(model.checkpoint)");
        byte[] head;
        try (InputStream in = PretrainedBert.class.getResourceAsStream(PretrainedBert.MINILM_L6.onnxResource())) {
            head = in.readNBytes(1_000_000);
        }
        Path truncated = Files.write(temp.resolve("truncated.onnx"), head);
        assertThat(run("model.checkpoint=" + truncated, "model.tokenizer=" + tokenizer).err())
                .contains(truncated.toString(), "(model.checkpoint)");
        assertThat(run("model.checkpoint=" + temp.resolve("missing.onnx"), "model.tokenizer=" + tokenizer).err())
                .contains("missing.onnx: no such file (model.checkpoint)");
    }

    @Test
    void aTokenizerThatIsNoneIsNamed() throws Exception {
        Path onnx = Files.write(temp.resolve("model.onnx"), new byte[] {1, 2, 3});
        Path tokenizer = Files.write(temp.resolve("tokenizer.json"), "{\"not\": \"a tokenizer\"}".getBytes());
        assertThat(run("model.checkpoint=" + onnx, "model.tokenizer=" + tokenizer).err())
                .contains(tokenizer + ": not a readable tokenizer.json", "(model.tokenizer)");
        assertThat(run("model.checkpoint=" + onnx).err())
                .contains("model.tokenizer: an ONNX checkpoint needs the path of its tokenizer.json");
    }

    @Test
    void layersBeyondTheModelAreRefused() {
        assertThat(run("model.layers=7").err()).contains("model.layers: expected 0 (all) to 6, the blocks of minilm-l6, got 7");
        assertThat(run("model.max_length=600").err()).contains("model.max_length: expected an integer from 2 to 512");
    }
}
