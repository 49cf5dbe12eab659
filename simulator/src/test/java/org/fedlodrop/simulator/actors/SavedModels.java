package org.fedlodrop.simulator.actors;

import org.fedlodrop.reports.records.Tensor;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.fedlodrop.models.lora.LoraLayer;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.family.bert.BertClassifier;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.family.mlp.MlpClassifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier;
import org.fedlodrop.models.family.transformer.TransformerClassifier.Projection;
import org.fedlodrop.reports.io.SafeTensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A run's model.safetensors read back into a model of the run's family and its adapter, for tests. */
record SavedModels(Classifier model, Adapter adapter) {

    /** Rebuilds the saved model on the shape of {@code template} (the run's own model) from the file's tensors alone. */
    static SavedModels read(SafeTensors.Contents contents, Classifier template) {
        double scale = Double.parseDouble(contents.metadata().get("lora_scale"));
        Classifier model;
        if (template instanceof BertClassifier bert) {
            // The base is the built-in model's; the file holds the adapted projections as they ended.
            List<LoraLayer> layers = new ArrayList<>();
            for (int u = 0; u < bert.layers().size(); u++) {
                layers.add(new LoraLayer(array(contents, bert.adaptedLayerName(u) + ".weight"), scale));
            }
            model = bert.withAdaptedLayers(layers);
        } else if (template instanceof TransformerClassifier transformer) {
            TransformerClassifier.Shape shape = transformer.shape();
            List<List<INDArray>> blocks = new ArrayList<>();
            for (int b = 0; b < shape.blocks(); b++) {
                List<INDArray> block = new ArrayList<>();
                for (Projection p : Projection.values()) {
                    block.add(array(contents, TransformerClassifier.name(b, p) + ".weight"));
                }
                blocks.add(block);
            }
            model = new TransformerClassifier(shape, new TransformerClassifier.Weights(
                    array(contents, "embeddings.tokens"), array(contents, "embeddings.positions"), blocks),
                    transformer.adapted(), scale, DataType.FLOAT);
        } else {
            List<LoraLayer> layers = new ArrayList<>();
            for (int u = 0; u < template.layers().size(); u++) {
                layers.add(new LoraLayer(array(contents, template.adaptedLayerName(u) + ".weight"), scale));
            }
            model = new MlpClassifier(layers, template.classes(), DataType.FLOAT);
        }
        List<INDArray> a = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int u = 0; u < model.layers().size(); u++) {
            a.add(array(contents, model.adaptedLayerName(u) + ".lora_A"));
            b.add(array(contents, model.adaptedLayerName(u) + ".lora_B"));
        }
        return new SavedModels(model, new Adapter(a, b, array(contents, "head.weight"), array(contents, "head.bias")));
    }

    static INDArray array(SafeTensors.Contents contents, String name) {
        Tensor tensor = contents.tensors().get(name);
        assertThat(tensor).as(name).isNotNull();
        return Nd4j.createFromArray(tensor.data()).reshape(tensor.shape()).castTo(DataType.FLOAT);
    }
}
