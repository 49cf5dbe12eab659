package org.fedlodrop.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedlodrop.models.net.NativeMemory;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    @Test
    void setsJavaCppLimitsAboveTheHeapButKeepsTheUsersOwn() {
        String bytes = System.getProperty("org.bytedeco.javacpp.maxbytes");
        String physical = System.getProperty("org.bytedeco.javacpp.maxphysicalbytes");
        try {
            System.clearProperty("org.bytedeco.javacpp.maxbytes");
            System.setProperty("org.bytedeco.javacpp.maxphysicalbytes", "7g");
            NativeMemory.bound();
            assertThat(Long.parseLong(System.getProperty("org.bytedeco.javacpp.maxbytes"))).isEqualTo(2L << 30);
            assertThat(System.getProperty("org.bytedeco.javacpp.maxphysicalbytes")).isEqualTo("7g");
            System.clearProperty("org.bytedeco.javacpp.maxphysicalbytes");
            NativeMemory.bound();
            // Above the heap's maximum, or a large heap alone would make JavaCPP fail allocations.
            assertThat(Long.parseLong(System.getProperty("org.bytedeco.javacpp.maxphysicalbytes")))
                    .isEqualTo(Runtime.getRuntime().maxMemory() + (2L << 30));
        } finally {
            restore("org.bytedeco.javacpp.maxbytes", bytes);
            restore("org.bytedeco.javacpp.maxphysicalbytes", physical);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
