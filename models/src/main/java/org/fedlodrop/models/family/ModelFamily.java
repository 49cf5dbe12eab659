package org.fedlodrop.models.family;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.fedlodrop.api.Extension;
import org.fedlodrop.models.data.Dataset;
import org.fedlodrop.models.net.Adapter;
import org.fedlodrop.models.net.Classifier;
import org.fedlodrop.models.text.LabelSet;
import org.fedlodrop.models.text.LabelledText;
import org.fedlodrop.models.text.TextFileException;

/**
 * A model family: what learns in a run ({@code model.family}), with its own fields beside the model section's
 * common ones ({@code profile}, {@code rank}, {@code alpha}, {@code bits_per_parameter}, {@code rs_lora}).
 * The family's settings record holds exactly those fields; they are bound, defaulted and checked as every
 * extension's settings are, and written flat in the model section (docs/extending.md, Model families).
 * fedlodrop's families ({@code mlp}, {@code transformer}, {@code bert}) register under this interface with
 * {@link java.util.ServiceLoader} as a plugin's would. Unlike the other extensions, a family computes on
 * ND4J arrays, so a family plugin depends on {@code fedlodrop-models} (this interface's artifact) as well as
 * the API, and on nothing of the simulator.
 *
 * @param <S> the family's settings record
 */
public interface ModelFamily<S extends Record> extends Extension<S> {
    /** What a family learns from: data it makes itself, or labelled texts ({@code data.workload}). */
    enum Workload {
        SYNTHETIC,
        TEXT_CLASSIFICATION
    }

    /** LoRA as the model section sets it for every family (docs/model.md §1). */
    record Lora(int rank, double alpha, boolean rsLora) {
    }

    /** The workloads it learns; a scenario naming another is refused at {@code model.family}. */
    Set<Workload> workloads();

    /**
     * Whether its classifiers train on the java engine ({@link org.fedlodrop.models.train.DenseTrainable}):
     * what {@code training.engine: auto} picks, said in the run's provenance before the model is built.
     */
    default boolean denseTraining() {
        return false;
    }

    /**
     * Reads and checks what the settings name (checkpoints, tokenizers), their paths resolved against
     * {@code folder}, the scenario's: called once when a run that learns with this family is loaded, after
     * {@link #check}. Problems name their fields as the model section spells them ({@code checkpoint},
     * {@code rank}).
     */
    Loaded load(S settings, Lora lora, Workload workload, Path folder) throws FamilyInputException;

    /** A family ready to build what a run learns. */
    interface Loaded {
        /** The settings as resolved (files as absolute paths, built-in names kept): the resolved scenario's. */
        Record settings();

        /** Files whose bytes the run depends on, for the manifest's provenance. */
        default List<Path> dataFiles() {
            return List.of();
        }

        /**
         * Other inputs the run depends on, by a name for the manifest, with their bytes (whose SHA-256 it records),
         * e.g. a built-in model's tokenizer.
         */
        default Map<String, byte[]> otherInputs() {
            return Map.of();
        }

        /**
         * The largest LoRA rank its adapted layers allow, checked against {@code model.rank}; empty where
         * {@link #load} checked the rank itself.
         */
        default Optional<RankLimit> rankLimit() {
            return Optional.empty();
        }

        /**
         * The synthetic workload: the student, its starting adapter, {@code samples} training samples and
         * {@code testSamples} test samples, labels flipped with probability {@code labelNoise}.
         */
        default SyntheticTask synthetic(int samples, int testSamples, double labelNoise, RandomGenerator task,
                                        RandomGenerator test) {
            throw new UnsupportedOperationException("this family does not learn the synthetic workload");
        }

        /**
         * Text classification: the classifier for these labels with its starting adapter, and how texts become
         * its inputs. {@code training} is the whole training file (a vocabulary may be built from it).
         */
        default TextModel text(LabelSet labels, LabelledText training, RandomGenerator random) {
            throw new UnsupportedOperationException("this family does not learn text classification");
        }
    }

    /** The largest rank the adapted layers allow, and what sets it (e.g. "the transformer width"). */
    record RankLimit(int most, String setBy) {
    }

    /** What the synthetic workload learns: the student, its first adapter, the training pool and the test set. */
    record SyntheticTask(Classifier student, Adapter initial, Dataset pool, Dataset test, int classes) {
    }

    /** A text classifier, its starting adapter, and its encoder (closed once every text is encoded). */
    record TextModel(Classifier model, Adapter initial, TextEncoder encoder) implements AutoCloseable {
        @Override
        public void close() {
            encoder.close();
        }
    }

    /** Turns labelled texts into the model's inputs and class indices. */
    interface TextEncoder extends AutoCloseable {
        Dataset encode(LabelledText text, Path file) throws TextFileException;

        @Override
        default void close() {
        }
    }
}
