package org.fedlodrop.models.family.bert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WordPieceEncoderTest {
    /** A text of n distinct words the vocabulary holds whole, so that each is one token. */
    private static String words(int n) {
        List<String> vocabulary = List.of("alpha", "house", "river", "green", "table", "music", "water", "light");
        return IntStream.range(0, n).mapToObj(i -> vocabulary.get(i % vocabulary.size())).collect(Collectors.joining(" "));
    }

    @Test
    void headAndTailKeepsAQuarterOfTheRoomFromTheStartAndTheRestFromTheEnd() {
        long[] ids = new long[22];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i; // 0 = [CLS], 21 = [SEP], 20 tokens between
        }
        // maxLength 10: room 8, head 2, tail 6 (Sun et al.: 128 of 510 at the head).
        assertThat(WordPieceEncoder.headAndTail(ids, 10)).containsExactly(0, 1, 2, 15, 16, 17, 18, 19, 20, 21);
    }

    @Test
    void headTailTruncationCutsTheMiddleOfLongTextsAndLeavesShortOnesAlone() throws Exception {
        try (WordPieceEncoder head = WordPieceEncoder.open(PretrainedBert.MINILM_L6.openTokenizer(), 18);
             WordPieceEncoder headTail = WordPieceEncoder.open(PretrainedBert.MINILM_L6.openTokenizer(), 18,
                     WordPieceEncoder.Truncation.HEAD_TAIL);
             WordPieceEncoder whole = WordPieceEncoder.open(PretrainedBert.MINILM_L6.openTokenizer(), 512)) {
            String shortText = words(10);
            assertThat(headTail.ids(shortText)).containsExactly(head.ids(shortText)).hasSize(12);
            String longText = words(40) + " finally";
            long[] all = whole.ids(longText);
            assertThat(all).hasSize(43);
            long[] cut = headTail.ids(longText);
            assertThat(cut).hasSize(18);
            // [CLS], the first 4 tokens, the last 12 tokens ("finally" among them), [SEP]
            long[] expected = new long[18];
            System.arraycopy(all, 0, expected, 0, 5);
            System.arraycopy(all, all.length - 13, expected, 5, 13);
            assertThat(cut).containsExactly(expected);
            assertThat(head.ids(longText)).hasSize(18).doesNotContain(all[all.length - 2]);
            assertThat(cut[16]).isEqualTo(all[all.length - 2]);
            assertThat(Arrays.stream(headTail.encode(List.of(longText))[0]).mapToLong(d -> (long) d).toArray())
                    .containsExactly(expected);
        }
    }
}
