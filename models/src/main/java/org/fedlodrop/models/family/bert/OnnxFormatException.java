package org.fedlodrop.models.family.bert;

/** An ONNX file that cannot be read as a model, or whose weights do not fit the model family. */
public final class OnnxFormatException extends Exception {
    public OnnxFormatException(String message) {
        super(message);
    }
}
