package org.fedlodrop.models.text;

import java.nio.file.Path;
import org.fedlodrop.models.data.Dataset;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Labelled texts as a {@link Dataset} of padded token-id rows, the input of the transformer family. */
public final class TextEncoding {
    private TextEncoding() {
    }

    public static Dataset encode(LabelledText text, Path file, Vocabulary vocabulary, LabelSet labels, int maxLength,
                                 DataType dataType) throws TextFileException {
        double[][] ids = new double[text.size()][];
        int[] classes = new int[text.size()];
        for (int i = 0; i < text.size(); i++) {
            int[] encoded = vocabulary.encode(text.texts().get(i), maxLength);
            ids[i] = new double[maxLength];
            for (int j = 0; j < maxLength; j++) {
                ids[i][j] = encoded[j];
            }
            classes[i] = labels.indexOf(text.labels().get(i));
            if (classes[i] < 0) {
                throw new TextFileException(file, text.lines()[i], "label \"" + text.labels().get(i)
                        + "\" is not among the training labels " + labels.names());
            }
        }
        return new Dataset(Nd4j.create(ids).castTo(dataType), classes);
    }
}
