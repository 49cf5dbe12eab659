package org.fedlodrop.simulator.scenario;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.models.family.transformer.PretrainedBase;
import org.fedlodrop.models.text.TextFileException;
import org.fedlodrop.models.text.TextTableReader;

/** The files a text-classification scenario names, read and checked when the scenario is loaded. */
public record TextWorkloadFiles(Path trainFile, LabelledText train, Path testFile, LabelledText test,
                                Optional<PretrainedBase> base, Optional<BertCheckpoint> bert) {

    /** The texts, and for the transformer family the base it names, if any. */
    static TextWorkloadFiles read(Scenario.Data data, Path train, Path test, Optional<Path> checkpoint)
            throws ScenarioException {
        TextTableReader.Columns columns = new TextTableReader.Columns(data.textColumn(), data.labelColumn(), data.header(),
                data.groupColumn());
        LabelledText trainText = read(train, columns, "data.train_file");
        LabelledText testText = read(test, columns, "data.test_file");
        Optional<PretrainedBase> base = checkpoint.isPresent()
                ? Optional.of(BaseCheckpointReader.read(checkpoint.get())) : Optional.empty();
        return new TextWorkloadFiles(train, trainText, test, testText, base, Optional.empty());
    }

    /** The same texts with a bert family's encoder. */
    TextWorkloadFiles withBert(BertCheckpoint checkpoint) {
        return new TextWorkloadFiles(trainFile, train, testFile, test, Optional.empty(), Optional.of(checkpoint));
    }

    private static LabelledText read(Path file, TextTableReader.Columns columns, String field) throws ScenarioException {
        try {
            return TextTableReader.read(file, columns);
        } catch (TextFileException e) {
            throw new ScenarioException(List.of(new FieldProblem(file.toString(), e.line(), 0, "",
                    e.detail() + " (" + field + ")")));
        }
    }
}
