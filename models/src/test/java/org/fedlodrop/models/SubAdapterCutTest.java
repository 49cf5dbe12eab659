package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.fedlodrop.models.profile.AdaptedLayer;
import org.fedlodrop.models.lora.MaskMode;
import org.fedlodrop.models.lora.SubAdapterCut;
import org.fedlodrop.models.lora.SubAdapterSize;
import org.fedlodrop.models.profile.ModelCatalogue;
import org.fedlodrop.models.profile.ModelProfile;
import org.junit.jupiter.api.Test;

class SubAdapterCutTest {
    private final ModelProfile tiny = new ModelProfile("tiny", 1000,
            List.of(new AdaptedLayer("q", 10, 6), new AdaptedLayer("v", 7, 5)), 11, 4);

    @Test
    void exactModeDropsFloorOfGammaTimesNIndicesPerLayer() {
        // γ = 0.3, rank 2: layer q keeps 10-3=7 rows of B and 6-1=5 columns of A; v keeps 7-2=5 and 5-1=4.
        SubAdapterSize size = SubAdapterCut.exact(tiny, 2, 0.3);
        assertThat(size.keptLoraParameters()).isEqualTo(2 * (7 + 5) + 2 * (5 + 4));
        assertThat(size.headParameters()).isEqualTo(11);
        // Uploaded at 16 bits the kept LoRA entries are rounded, the head is not; the download is not rounded.
        assertThat(size.uploadBits(16)).isEqualTo(16.0 * (2 * (7 + 5) + 2 * (5 + 4)) + 32.0 * 11);
        assertThat(size.downloadBits(16, false)).isEqualTo(32.0 * (2 * (7 + 5) + 2 * (5 + 4) + 11));
        assertThat(size.uploadBits(64)).isEqualTo(size.downloadBits(64, false)).isEqualTo(64.0 * (2 * (7 + 5) + 2 * (5 + 4) + 11));
    }

    @Test
    void noDropoutKeepsEverythingAndMatchesEquationFive() {
        SubAdapterSize size = SubAdapterCut.exact(tiny, 3, 0);
        assertThat(size.keptLoraParameters()).isEqualTo(tiny.loraParameters(3)).isEqualTo(3 * (16 + 12));
        assertThat(size.uploadBits(32)).isEqualTo(size.downloadBits(32, false)).isEqualTo(tiny.expectedUploadBits(3, 0, 32))
                .isEqualTo(tiny.expectedDownloadBits(3, 0, 32, false));
        assertThat(size.uploadBits(8)).isEqualTo(tiny.expectedUploadBits(3, 0, 8)).isEqualTo(8.0 * 3 * (16 + 12) + 32.0 * 11);
    }

    @Test
    void exactCountsEqualEquationFiveWhenGammaNIsWhole() {
        ModelProfile even = new ModelProfile("even", 1, List.of(new AdaptedLayer("w", 20, 40)), 0, 1);
        assertThat(SubAdapterCut.exact(even, 4, 0.25).uploadBits(32)).isEqualTo(even.expectedUploadBits(4, 0.25, 32));
        assertThat(SubAdapterCut.exact(even, 4, 0.25).downloadBits(4, false)).isEqualTo(even.expectedDownloadBits(4, 0.25, 4, false));
        assertThat(SubAdapterCut.exact(even, 4, 0.25).downloadBits(4, true)).isEqualTo(even.expectedDownloadBits(4, 0.25, 4, true))
                .isEqualTo(4.0 * 4 * (15 + 30));
    }

    @Test
    void bernoulliModeKeepsOneMinusGammaOnAverage() {
        ModelProfile profile = ModelCatalogue.find("roberta-base").orElseThrow();
        SplittableRandom random = new SplittableRandom(7);
        double gamma = 0.4;
        double mean = 0;
        int draws = 50;
        for (int i = 0; i < draws; i++) {
            mean += SubAdapterCut.cut(MaskMode.BERNOULLI, profile, 4, gamma, random).keptLoraParameters() / (double) draws;
        }
        double expected = (1 - gamma) * profile.loraParameters(4);
        // Each draw is a sum of 36,864 Bernoulli(0.6) indices times r = 4: sd of the mean is about 0.05 % of it.
        assertThat(mean).isCloseTo(expected, within(expected * 0.003));
    }

    @Test
    void rejectsDropoutRatesOutsideTheUnitInterval() {
        assertThatThrownBy(() -> SubAdapterCut.exact(tiny, 1, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubAdapterCut.exact(tiny, 1, -0.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
