package org.fedlodrop.simulator.scenario;

import java.nio.file.Path;
import java.util.List;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.models.text.TextFileException;
import org.fedlodrop.models.text.TextTableReader;

/** The files a text-classification scenario names, read and checked when the scenario is loaded. */
public record TextWorkloadFiles(Path trainFile, LabelledText train, Path testFile, LabelledText test) {

    /** The training and test texts. */
    static TextWorkloadFiles read(Scenario.Data data, Path train, Path test) throws ScenarioException {
        TextTableReader.Columns columns = new TextTableReader.Columns(data.textColumn(), data.labelColumn(), data.header(),
                data.groupColumn());
        LabelledText trainText = read(train, columns, "data.train_file");
        LabelledText testText = read(test, columns, "data.test_file");
        return new TextWorkloadFiles(train, trainText, test, testText);
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
